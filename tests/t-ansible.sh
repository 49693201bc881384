#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# The Ansible collection (contrib/ansible, umlctl.uml) with Debian's
# ansible-core, against localhost over the local connection: uml_guest_info
# returns every guest's object as umlctl list --json has it (a real guest
# running, one never started), some guests by name, the same in check
# mode, changed=0 throughout, and fails with a clear message for a name
# without a conf.d file and for an unknown option.
# shellcheck source=SCRIPTDIR/lib.sh
. "${0%/*}/lib.sh"
t_init
t_need_umlctl
[ -x "$REALKERNEL" ] || t_skip_all "$REALKERNEL missing"
for p in ansible-playbook jq; do
	command -v "$p" >/dev/null || t_bail "$p missing (tests/deps.sh)"
done

a=$(t_name a)
t_root_image "$a"
t_real_conf "$a"
b=$(t_name b)
t_root_dummy "$b"
t_real_conf "$b"
t_exit 0 "a: start" t_umlctl start "$a"
t_ok "a: up" t_wait_up "$a" 1

# The collection where Ansible looks for umlctl.uml, and Ansible's own
# files in the test's area.
col=$T_TMP/collections/ansible_collections/umlctl/uml
mkdir -p "$col" "$T_TMP/home"
cp -r "$T_ROOT/contrib/ansible/." "$col/"
printf 'localhost ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n' \
	>"$T_TMP/inventory"
# play [TASK-ARGS-YAML]: a playbook of one uml_guest_info task, whose
# result (failed or not) goes to result.json.  (ansible-core has no JSON
# output callback: that is community.general's.)
play() {
	cat >"$T_TMP/play.yml" <<EOF2
- hosts: localhost
  gather_facts: false
  tasks:
    - umlctl.uml.uml_guest_info:
        umlctl: "$UMLCTL"
        confdir: "$T_CONF"
$1
      register: r
      ignore_errors: true
    - ansible.builtin.copy:
        content: "{{ r | to_json }}"
        dest: "$T_TMP/result.json"
        mode: "0600"
      check_mode: false
EOF2
}
# run [ansible-playbook ARGS]: the play; the task's result in $doc.
run() {
	rm -f "$T_TMP/result.json"
	# Ansible refuses to run in the C locale that lib.sh sets.
	t_out=$(HOME=$T_TMP/home LC_ALL=C.UTF-8 ANSIBLE_NOCOLOR=1 \
		ANSIBLE_COLLECTIONS_PATH="$T_TMP/collections" \
		ANSIBLE_LOCAL_TEMP="$T_TMP/home/tmp" ANSIBLE_REMOTE_TEMP="$T_TMP/home/tmp" \
		ansible-playbook -i "$T_TMP/inventory" "$@" "$T_TMP/play.yml" 2>&1)
	t_status=$?
	doc=$(cat "$T_TMP/result.json" 2>/dev/null)
	return "$t_status"
}
# jq FILTER on the task's result.
r() {
	printf '%s\n' "$doc" | jq -r "$1"
}

play ""
run
t_eq "every guest: the playbook passes" 0 "$t_status"
t_eq "every guest: the task did not fail" false "$(r .failed)"
t_eq "every guest: changed=false" false "$(r .changed)"
t_eq "every guest: both, sorted" "$(printf '%s\n' "$a" "$b" | sort | tr '\n' ' ')" \
	"$(r '.names[]' | tr '\n' ' ')"
t_eq "every guest: objects of schema 1" 1 "$(r '[.guests[].schema] | unique | .[]')"
t_eq "a: running" running "$(r ".guests[] | select(.name == \"$a\") | .state")"
t_eq "a: its kernel pid" "$(t_kernel_pid "$a")" \
	"$(r ".guests[] | select(.name == \"$a\") | .kernel_pid")"
t_eq "a: MEMORY" 134217728 "$(r ".guests[] | select(.name == \"$a\") | .memory_bytes")"
t_eq "b: never started" none "$(r ".guests[] | select(.name == \"$b\") | .state")"
t_eq "the same objects as umlctl list --json (fixed members)" \
	"$(t_umlctl list --json | jq -c 'sort_by(.name) | map([.name, .state, .kernel_pid, .root])')" \
	"$(r '.guests | map([.name, .state, .kernel_pid, .root]) | tostring')"

play "        name: [$b]"
# shellcheck disable=SC2119 # no ansible-playbook arguments
run
t_eq "by name: the playbook passes" 0 "$t_status"
t_eq "by name: only $b" "$b" "$(r '.names | join(",")')"
t_eq "by name: its object" none "$(r '.guests[0].state')"
run --check
t_eq "check mode: the playbook passes" 0 "$t_status"
t_eq "check mode: changed=false" false "$(r .changed)"
t_eq "check mode: the same answer" "$b" "$(r '.names | join(",")')"

play "        name: [nosuch$$]"
# shellcheck disable=SC2119 # no ansible-playbook arguments
run
t_eq "a name without a conf.d file: the task failed" true "$(r .failed)"
t_match "a name without a conf.d file: says which" \
	"no such guest in $T_CONF: nosuch$$" "$(r .msg)"
play "        colour: blue"
# shellcheck disable=SC2119 # no ansible-playbook arguments
run
t_eq "an unknown option: the task failed" true "$(r .failed)"
t_match "an unknown option: named" "Unsupported parameters.*colour" "$(r .msg)"
t_eq "an unknown option: nothing ran (a still running)" running \
	"$(t_umlctl list --json | jq -r ".[] | select(.name == \"$a\") | .state")"

t_exit 0 "a: stop" t_umlctl stop "$a"
t_done
