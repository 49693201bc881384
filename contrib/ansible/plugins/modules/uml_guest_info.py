#!/usr/bin/python
# -*- coding: utf-8 -*-
# SPDX-License-Identifier: BSD-2-Clause
#
# uml_guest_info: the facts of User Mode Linux guests run by umlctl, as
# `umlctl list --json' reports them (umlctl(8), JSON).  It only reads.

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: uml_guest_info
short_description: Facts of User Mode Linux guests run by umlctl
description:
  - Runs C(umlctl list --json) on the host and returns every guest's object
    (schema 1, described in umlctl(8), section JSON), or those named in
    O(name).
  - It changes nothing, in check mode or not.
  - Needs root on the host (umlctl reads root's runtime records), so use
    C(become) when the connection user is not root.
options:
  name:
    description:
      - The guests to report. All guests with a conf.d file when omitted.
      - A name that has no conf.d file is an error.
    type: list
    elements: str
  confdir:
    description:
      - umlctl's configuration directory (C(umlctl -c)).
    type: path
    default: /etc/conf.d
  umlctl:
    description:
      - The umlctl program, a path or a name looked up in PATH.
    type: str
    default: umlctl
author:
  - umlctl developers
"""

EXAMPLES = r"""
- name: Every guest of the host
  umlctl.uml.uml_guest_info:
  register: uml

- name: Say which guests do not run
  ansible.builtin.debug:
    msg: "{{ uml.guests | rejectattr('state', 'eq', 'running') | map(attribute='name') | list }}"

- name: Two guests only
  umlctl.uml.uml_guest_info:
    name: [router, web1]
"""

RETURN = r"""
guests:
  description:
    - One object per guest, as C(umlctl list --json) prints it
      (name, state, status, since, detail, kernel_pid, cpu_seconds,
      pss_bytes, memory_bytes, nics, console_log, ...; see umlctl(8)).
  returned: always
  type: list
  elements: dict
names:
  description: The names of the guests returned, in the same order.
  returned: always
  type: list
  elements: str
"""

import json

from ansible.module_utils.basic import AnsibleModule

SCHEMA = 1


def list_guests(module):
    """Every guest's object from umlctl, checked against the schema."""
    exe = module.params["umlctl"]
    if "/" not in exe:
        exe = module.get_bin_path(exe, required=True)
    cmd = [exe, "-c", module.params["confdir"], "list", "--json"]
    rc, out, err = module.run_command(cmd)
    if rc != 0:
        module.fail_json(msg="umlctl list --json failed (exit status %d): %s"
                         % (rc, err.strip()), rc=rc, cmd=cmd)
    try:
        guests = json.loads(out)
    except ValueError as e:
        module.fail_json(msg="umlctl list --json: not JSON: %s" % e, cmd=cmd)
    if not isinstance(guests, list):
        module.fail_json(msg="umlctl list --json: not an array", cmd=cmd)
    for g in guests:
        if not isinstance(g, dict) or g.get("schema") != SCHEMA:
            module.fail_json(msg="umlctl list --json: a guest of schema %r, "
                             "this module knows schema %d"
                             % (g.get("schema") if isinstance(g, dict) else None,
                                SCHEMA), cmd=cmd)
    return guests


def main():
    module = AnsibleModule(
        argument_spec=dict(
            name=dict(type="list", elements="str"),
            confdir=dict(type="path", default="/etc/conf.d"),
            umlctl=dict(type="str", default="umlctl"),
        ),
        supports_check_mode=True,
    )
    guests = sorted(list_guests(module), key=lambda g: g["name"])
    wanted = module.params["name"]
    if wanted is not None:
        known = set(g["name"] for g in guests)
        missing = [n for n in wanted if n not in known]
        if missing:
            module.fail_json(msg="no such guest in %s: %s (each needs a uml.NAME file)"
                             % (module.params["confdir"], ", ".join(missing)))
        guests = [g for g in guests if g["name"] in set(wanted)]
    module.exit_json(changed=False, guests=guests,
                     names=[g["name"] for g in guests])


if __name__ == "__main__":
    main()
