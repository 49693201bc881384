#!/usr/bin/python
# -*- coding: utf-8 -*-
# SPDX-License-Identifier: BSD-2-Clause
#
# uml_guest: one User Mode Linux guest run by umlctl, as its conf.d file,
# its init.d link, its runlevel entry and its running state.

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: uml_guest
short_description: Manage a User Mode Linux guest run by umlctl
description:
  - Writes the guest's configuration, C(CONFDIR/uml.NAME), from the options
    below (each one a conf.d variable of uml(8), in lower case), keeps the
    link C(INITDIR/uml.NAME) to the runscript, puts the service in a runlevel
    or takes it out (O(enabled)), and starts, stops, restarts or removes the
    guest.
  - The file is validated before it replaces the real one. It is written to
    a private directory under O(confdir) first, and C(umlctl show --json)
    judges every value there. Once the guest's root image exists,
    C(umlctl check) judges the host and the guest's files too. A value
    either refuses fails the task, naming the variable. Nothing is changed
    then.
  - When the file changes for a guest that runs, the guest is restarted
    (unless O(state=stopped)), and no other guest is.
  - State is read with C(umlctl status --json). The module is idempotent and
    supports check mode and diff mode (the conf.d file's old and new text).
  - Needs root on the host. Use C(become) when the connection user is not
    root.
options:
  name:
    description: The guest's name (C(uml.NAME)).
    type: str
    required: true
  state:
    description:
      - V(present) writes the configuration and the link and starts nothing.
      - V(started) and V(stopped) also bring the guest up or down.
      - V(restarted) restarts it always (starts it when it is stopped).
      - V(absent) stops the guest, then runs C(umlctl remove NAME) (its
        runlevel entries, link, conf.d file, records and console logs). Its
        images stay unless O(purge_images=true).
    type: str
    choices: [present, started, stopped, restarted, absent]
    default: started
  enabled:
    description:
      - Whether the service is in runlevel O(runlevel) (C(rc-update)).
        Untouched when omitted.
      - Needs O(openrc=true).
    type: bool
  runlevel:
    description: The runlevel O(enabled) speaks of.
    type: str
    default: default
  purge_images:
    description: With O(state=absent), remove the guest's disks too
      (C(umlctl remove --images); never BASE_IMAGE).
    type: bool
    default: false
  openrc:
    description:
      - V(true) starts and stops the guest as the OpenRC service
        C(uml.NAME) (C(rc-service)), which needs O(confdir) to be
        C(/etc/conf.d). V(false) runs C(umlctl start) and C(umlctl stop)
        directly.
    type: bool
    default: true
  runscript:
    description: What the init.d link C(uml.NAME) points to (a name in the
      same directory).
    type: str
    default: uml
  confdir:
    description: umlctl's configuration directory (C(umlctl -c)). The
      init.d directory is its sibling, C(init.d).
    type: path
    default: /etc/conf.d
  umlctl:
    description: The umlctl program, a path or a name looked up in PATH.
    type: str
    default: umlctl
  user: {description: USER, who runs the kernel., type: str}
  kernel: {description: KERNEL, the UML kernel file., type: str}
  kernel_args: {description: KERNEL_ARGS, more words of the kernel's command line., type: str}
  kernel_check: {description: KERNEL_CHECK., type: raw}
  memory: {description: "MEMORY, such as 256M.", type: raw}
  memory_dir: {description: MEMORY_DIR., type: str}
  cpus: {description: CPUS., type: raw}
  userspace: {description: USERSPACE., type: str}
  umldir: {description: UMLDIR., type: str}
  root: {description: ROOT, the root disk image., type: str}
  base_image: {description: BASE_IMAGE., type: str}
  swap: {description: SWAP., type: str}
  net:
    description: NET, the taps (a list, or one string of words).
    type: raw
  bridges:
    description: BRIDGE_tap for each tap, as a dict tap -> bridge.
    type: dict
  macs:
    description: MAC_tap for each tap, as a dict tap -> MAC address.
    type: dict
  netns: {description: NETNS., type: str}
  net_transport: {description: NET_TRANSPORT., type: str}
  confine: {description: CONFINE., type: raw}
  hostfs: {description: HOSTFS (a host directory the guest may mount; uml(8))., type: str}
  mac_seed: {description: MAC_SEED (uml(8))., type: str}
  console_log: {description: CONSOLE_LOG., type: str}
  console_log_max: {description: CONSOLE_LOG_MAX., type: raw}
  ready: {description: READY., type: str}
  start_timeout: {description: START_TIMEOUT., type: raw}
  shutdown_timeout: {description: SHUTDOWN_TIMEOUT., type: raw}
  hang_timeout: {description: HANG_TIMEOUT., type: raw}
  respawn: {description: RESPAWN., type: raw}
  respawn_hung: {description: RESPAWN_HUNG., type: raw}
  respawn_max: {description: RESPAWN_MAX., type: raw}
notes:
  - The conf.d file is the module's. It holds exactly the options given
    (what is omitted takes umlctl's default or C(CONFDIR/uml)'s), so an edit
    by hand is undone by the next run.
  - Values are checked by umlctl, not by the module. A value of the wrong
    kind fails with umlctl's message, which names the variable.
author:
  - umlctl developers
"""

EXAMPLES = r"""
- name: A guest on a bridge, up and started at boot
  umlctl.uml.uml_guest:
    name: web1
    user: uml-web1
    kernel: /usr/bin/linux.uml
    memory: 256M
    net: [tap-web1]
    bridges: {tap-web1: br0}
    enabled: true

- name: Gone, disks too
  umlctl.uml.uml_guest:
    name: old
    state: absent
    purge_images: true
"""

RETURN = r"""
guest:
  description: The guest's object from C(umlctl status --json) after the
    task (schema 1, umlctl(8)); before it in check mode.
  returned: unless state=absent
  type: dict
actions:
  description: What was done (or would be, in check mode), in order, such
    as C(write conf.d), C(link), C(restart), C(enable).
  returned: always
  type: list
  elements: str
"""

import json
import os
import shutil
import tempfile

from ansible.module_utils.basic import AnsibleModule

SCHEMA = 1
# The options that are conf.d variables, with their variable's name.
SCALARS = dict(
    user="USER", kernel="KERNEL", kernel_args="KERNEL_ARGS",
    kernel_check="KERNEL_CHECK", memory="MEMORY", memory_dir="MEMORY_DIR",
    cpus="CPUS", userspace="USERSPACE", umldir="UMLDIR", root="ROOT",
    base_image="BASE_IMAGE", swap="SWAP", net="NET", netns="NETNS",
    net_transport="NET_TRANSPORT", confine="CONFINE", hostfs="HOSTFS",
    mac_seed="MAC_SEED",
    console_log="CONSOLE_LOG", console_log_max="CONSOLE_LOG_MAX",
    ready="READY", start_timeout="START_TIMEOUT",
    shutdown_timeout="SHUTDOWN_TIMEOUT", hang_timeout="HANG_TIMEOUT",
    respawn="RESPAWN", respawn_hung="RESPAWN_HUNG", respawn_max="RESPAWN_MAX",
)
PER_TAP = dict(bridges="BRIDGE_", macs="MAC_")
UP = ("running", "starting", "suspended")
HEADER = "# Written by Ansible (umlctl.uml.uml_guest): edits here are undone.\n"


def sh_quote(s):
    """s quoted for sh and umlctl's parser: single quotes."""
    return "'" + s.replace("'", "'\"'\"'") + "'"


def word(module, opt, v):
    """An option's value as the text of its variable."""
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, (list, tuple)):
        return " ".join(word(module, opt, x) for x in v)
    if isinstance(v, (dict, float)) or v is None:
        module.fail_json(msg="%s: not a word or a number: %r" % (opt, v))
    return str(v)


def compose(module):
    """The conf.d file's text the options say."""
    p = module.params
    lines = [HEADER]
    for opt in sorted(SCALARS, key=lambda o: SCALARS[o]):
        if p[opt] is not None:
            lines.append("%s=%s\n" % (SCALARS[opt], sh_quote(word(module, opt, p[opt]))))
    for opt in sorted(PER_TAP):
        for tap in sorted(p[opt] or {}):
            v = word(module, opt, p[opt][tap])
            lines.append("%s%s=%s\n" % (PER_TAP[opt], tap, sh_quote(v)))
    return "".join(lines)


class Guest(object):
    def __init__(self, module):
        self.m = module
        p = module.params
        self.name = p["name"]
        self.confdir = p["confdir"].rstrip("/") or "/"
        self.conf = os.path.join(self.confdir, "uml." + self.name)
        self.initdir = os.path.join(os.path.dirname(self.confdir), "init.d")
        self.link = os.path.join(self.initdir, "uml." + self.name)
        self.svc = "uml." + self.name
        exe = p["umlctl"]
        self.exe = exe if "/" in exe else module.get_bin_path(exe, required=True)
        self.actions = []

    def run(self, args, ok=(0,), what=None, confdir=None):
        cmd = [self.exe, "-c", confdir or self.confdir] + args
        rc, out, err = self.m.run_command(cmd)
        if rc not in ok:
            self.m.fail_json(msg="%s: umlctl %s failed (exit status %d): %s"
                             % (self.name, what or " ".join(args), rc,
                                (err or out).strip()), rc=rc, cmd=cmd,
                             actions=self.actions)
        return rc, out, err

    def rc(self, args):
        rc, out, err = self.m.run_command(args)
        if rc != 0:
            self.m.fail_json(msg="%s: %s failed (exit status %d): %s"
                             % (self.name, " ".join(args), rc,
                                (err or out).strip()), rc=rc, cmd=args,
                             actions=self.actions)
        return out

    def status(self, confdir=None):
        """umlctl status --json NAME, its object."""
        _, out, _ = self.run(["status", "--json", self.name],
                             ok=range(0, 11), confdir=confdir)
        return self.parse(out, "status")

    def parse(self, out, what):
        try:
            g = json.loads(out)
        except ValueError as e:
            self.m.fail_json(msg="umlctl %s --json: not JSON: %s" % (what, e))
        if not isinstance(g, dict) or g.get("schema") != SCHEMA:
            self.m.fail_json(msg="umlctl %s --json: not an object of schema %d"
                             % (what, SCHEMA))
        return g

    def current(self):
        try:
            with open(self.conf) as f:
                return f.read()
        except IOError as e:
            if e.errno == 2:
                return None
            raise

    def validate(self, text):
        """Fail, naming the variable, when umlctl refuses text as
        uml.NAME; nothing is changed either way."""
        tmp = tempfile.mkdtemp(prefix=".uml_guest.", dir=self.confdir)
        try:
            os.chmod(tmp, 0o700)
            if os.path.exists(os.path.join(self.confdir, "uml")):
                shutil.copyfile(os.path.join(self.confdir, "uml"),
                                os.path.join(tmp, "uml"))
            with open(os.path.join(tmp, "uml." + self.name), "w") as f:
                f.write(text)
            _, out, _ = self.run(["show", "--json", self.name], ok=range(0, 11),
                                 confdir=tmp)
            g = self.parse(out, "show")
            if g.get("config_error"):
                self.refuse(g["config_error"], tmp)
            disk = g.get("base_image") or g.get("root")
            if disk and os.path.exists(disk):
                rc, out, err = self.m.run_command(
                    [self.exe, "-c", tmp, "check", self.name])
                if rc != 0:
                    self.refuse((err or out).strip(), tmp)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def refuse(self, why, tmp):
        why = why.replace(tmp, self.confdir)
        shutil.rmtree(tmp, ignore_errors=True)
        self.m.fail_json(msg="%s: the configuration was refused, nothing was "
                         "changed: %s" % (self.name, why), actions=[])

    def write(self, text):
        fd, tmp = tempfile.mkstemp(prefix=".uml." + self.name + ".",
                                   dir=self.confdir)
        try:
            with os.fdopen(fd, "w") as f:
                f.write(text)
                f.flush()
                os.fsync(f.fileno())
            os.chmod(tmp, 0o644)
            os.rename(tmp, self.conf)
        except Exception:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise

    def openrc(self, verb):
        self.rc(["rc-service", self.svc, verb])

    def start(self):
        if self.m.params["openrc"]:
            # OpenRC believes it started (say, its guest crashed): forget.
            rc, _, _ = self.m.run_command(["rc-service", self.svc, "status"])
            if rc == 0:
                self.openrc("zap")
            self.openrc("start")
        else:
            self.run(["start", self.name])

    def stop(self):
        if self.m.params["openrc"]:
            rc, _, _ = self.m.run_command(["rc-service", self.svc, "status"])
            if rc == 0:
                self.openrc("stop")
        # Started outside OpenRC, or OpenRC did not stop it: umlctl does.
        # 3 not running, 4 crashed, 6 forced: stopped all the same.
        if self.status()["state"] in UP:
            self.run(["stop", self.name], ok=(0, 3, 4, 6))

    def enabled(self):
        return os.path.lexists(os.path.join(
            "/etc/runlevels", self.m.params["runlevel"], self.svc))


def want_link(g, check):
    target = g.m.params["runscript"]
    if os.path.islink(g.link) and os.readlink(g.link) == target:
        return
    if os.path.lexists(g.link) and not os.path.islink(g.link):
        g.m.fail_json(msg="%s: not a link, left alone" % g.link)
    g.actions.append("link")
    if not check:
        if os.path.lexists(g.link):
            os.unlink(g.link)
        os.symlink(target, g.link)


def want_enabled(g, check):
    want = g.m.params["enabled"]
    if want is None or want == g.enabled():
        return
    g.actions.append("enable" if want else "disable")
    if not check:
        g.rc(["rc-update", "add" if want else "del", g.svc,
              g.m.params["runlevel"]])


def absent(g, check):
    old = g.current()
    st = g.status()
    if old is None and not os.path.lexists(g.link):
        if st["state"] in UP:
            g.m.fail_json(msg="%s: runs, but has no conf.d file" % g.name)
        return {"before": "", "after": ""}
    if st["state"] in UP:
        g.actions.append("stop")
        if not check:
            g.stop()
    g.actions.append("remove")
    if not check:
        if old is None:
            os.unlink(g.link)
        else:
            args = ["remove", g.name]
            if g.m.params["purge_images"]:
                args.append("--images")
            g.run(args)
    return {"before": old or "", "after": ""}


def present(g, check):
    p = g.m.params
    state = p["state"]
    text = compose(g.m)
    old = g.current()
    if old != text:
        g.validate(text)
        g.actions.append("write conf.d")
        if not check:
            g.write(text)
    want_link(g, check)
    want_enabled(g, check)
    up = g.status()["state"] in UP
    if state == "restarted" or (old != text and up and state != "stopped"):
        g.actions.append("restart" if up else "start")
        if not check:
            if up:
                g.stop()
            g.start()
    elif state == "started" and not up:
        g.actions.append("start")
        if not check:
            g.start()
    elif state == "stopped" and up:
        g.actions.append("stop")
        if not check:
            g.stop()
    return {"before": old or "", "after": text}


def main():
    spec = dict(
        name=dict(type="str", required=True),
        state=dict(type="str", default="started",
                   choices=["present", "started", "stopped", "restarted",
                            "absent"]),
        enabled=dict(type="bool"),
        runlevel=dict(type="str", default="default"),
        purge_images=dict(type="bool", default=False),
        openrc=dict(type="bool", default=True),
        runscript=dict(type="str", default="uml"),
        confdir=dict(type="path", default="/etc/conf.d"),
        umlctl=dict(type="str", default="umlctl"),
        bridges=dict(type="dict"),
        macs=dict(type="dict"),
    )
    for opt in SCALARS:
        spec[opt] = dict(type="str" if opt in (
            "user", "kernel", "kernel_args", "memory_dir", "userspace",
            "umldir", "root", "base_image", "swap", "netns", "net_transport",
            "console_log", "ready") else "raw")
    module = AnsibleModule(argument_spec=spec, supports_check_mode=True)
    p = module.params
    if p["enabled"] is not None and not p["openrc"]:
        module.fail_json(msg="enabled: needs openrc=true (runlevels are OpenRC's)")
    g = Guest(module)
    if not os.path.isdir(g.confdir):
        module.fail_json(msg="confdir: %s is not a directory" % g.confdir)
    check = module.check_mode
    if p["state"] == "absent":
        diff = absent(g, check)
        res = dict(changed=bool(g.actions), actions=g.actions)
    else:
        diff = present(g, check)
        res = dict(changed=bool(g.actions), actions=g.actions,
                   guest=g.status())
    if module._diff:
        diff["before_header"] = diff["after_header"] = g.conf
        res["diff"] = diff
    module.exit_json(**res)


if __name__ == "__main__":
    main()
