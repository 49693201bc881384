#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# The Ansible collection (contrib/ansible, umlctl.uml) with Debian's
# ansible-core, against localhost over the local connection: uml_guest_info
# returns every guest's object as umlctl list --json has it (a real guest
# running, one never started), some guests by name, the same in check
# mode, changed=0 throughout, and fails with a clear message for a name
# without a conf.d file and for an unknown option.
#
# Then the role uml_host and the module uml_guest, as OpenRC services
# (/etc/conf.d, a private runscript as t_rc_install makes): two busybox
# guests made by umlctl create from a directory and started, one with a
# NIC on a bridge in a namespace; the same run again changes nothing; a
# check-mode run of a change changes nothing; MEMORY changed restarts that
# guest only; a bad value and an unknown key fail, named, changing nothing;
# absent keeps the images, absent with purge_images does not.
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

# --- the role uml_host and the module uml_guest ------------------------------

t_rc_runscript
c=$(t_name c)
d=$(t_name d)
ns=$(t_name n)
td=td$$
t_netns "$ns"
t_bridge "$ns" umltbr0
for g in "$c" "$d"; do
	t_defer "t_guest_cleanup $g"
	t_defer "rc-update -u"
	t_defer "rm -f /etc/init.d/uml.$g /etc/conf.d/uml.$g /etc/runlevels/default/uml.$g"
	t_defer "rmdir /sys/fs/cgroup/unified/uml.$g /sys/fs/cgroup/uml.$g"
	t_defer "rc-service uml.$g zap"
	t_defer "timeout 90 rc-service uml.$g stop"
	t_defer "timeout 90 $UMLCTL stop $g"
done
# The guests' files, a directory for create, cached like t_root_image's.
tree=$T_IMGCACHE/tree-$(cat "$MKGUEST" "$T_DIR/tools/records.awk" | cksum | cut -d" " -f1)
if [ ! -d "$tree" ]; then
	mkdir -p "$T_IMGCACHE"
	rm -rf "$tree.tmp"
	"$MKGUEST" "$tree.tmp" --tree >/dev/null || t_bail "mkguest.sh --tree"
	mv "$tree.tmp" "$tree"
fi

# site MEMORY-OF-C STATE-OF-C STATE-OF-D [MORE-YAML-FOR-D]: the playbook
# of the role for both guests.
site() {
	cat >"$T_TMP/site.yml" <<EOF2
- hosts: localhost
  gather_facts: false
  roles:
    - role: umlctl.uml.uml_host
      vars:
        uml_host_install: none
        uml_host_umlctl: "$UMLCTL"
        uml_host_runscript: umltest.$$
        uml_host_guests:
          - name: $c
            state: $2
            enabled: true
            purge_images: false
            source: "$tree"
            size: 64M
            user: $T_USER
            kernel: "$REALKERNEL"
            umldir: "$T_UMLDIR"
            console_log: "$T_LOGDIR/$c.log"
            memory: $1
            start_timeout: 30
          - name: $d
            state: $3
            purge_images: true
            source: "$tree"
            size: 64M
            user: $T_USER
            kernel: "$REALKERNEL"
            umldir: "$T_UMLDIR"
            console_log: "$T_LOGDIR/$d.log"
            memory: ${mem_d:-128M}
            start_timeout: 30
            netns: $ns
            net: [$td]
            bridges: {$td: umltbr0}
$4
EOF2
}
# converge [ansible-playbook ARGS]: the site playbook; its output in t_out.
converge() {
	# Pipelining: each module through python's stdin, no file copied.
	t_out=$(HOME=$T_TMP/home LC_ALL=C.UTF-8 ANSIBLE_NOCOLOR=1 \
		ANSIBLE_PIPELINING=1 ANSIBLE_COLLECTIONS_PATH="$T_TMP/collections" \
		ANSIBLE_LOCAL_TEMP="$T_TMP/home/tmp" ANSIBLE_REMOTE_TEMP="$T_TMP/home/tmp" \
		ansible-playbook -i "$T_TMP/inventory" "$@" "$T_TMP/site.yml" 2>&1)
	t_status=$?
	printf '%s\n' "$t_out" >>"$T_TMP/ansible.log"
}
# recap FIELD: FIELD=N of the play recap's localhost line, N.
recap() {
	printf '%s\n' "$t_out" | sed -n "s/^localhost .* $1=\([0-9]*\).*/\1/p"
}
state_of() {
	t_umlctl -c /etc/conf.d status --json "$1" | jq -r .state
}
# The guests as they are: conf.d files, links, runlevel, kernel pids.
snapshot() {
	for g in "$c" "$d"; do
		printf '%s: ' "$g"
		cksum <"/etc/conf.d/uml.$g" 2>/dev/null
		readlink "/etc/init.d/uml.$g"
		ls "/etc/runlevels/default/uml.$g" 2>/dev/null
		t_kernel_pid "$g"
	done
}
tap_master() {
	ip -n "$ns" -o link show "$td" 2>/dev/null | sed -n 's/.* master \([^ ]*\) .*/\1/p'
}

site 128M started started
converge
t_eq "site: the playbook passes" 0 "$t_status"
t_eq "site: nothing failed" 0 "$(recap failed)"
for g in "$c" "$d"; do
	t_eq "site: $g running" running "$(state_of "$g")"
	t_ok "site: $g: its root image made by create" test -s "$T_UMLDIR/$g/root.loop"
	t_eq "site: $g: its init.d link" "umltest.$$" "$(readlink "/etc/init.d/uml.$g")"
	t_eq "site: $g: OpenRC says started" 0 "$(rc-service "uml.$g" status >/dev/null 2>&1; echo $?)"
done
t_ok "site: $c in runlevel default" test -L "/etc/runlevels/default/uml.$c"
t_ok "site: $d not in runlevel default" test ! -e "/etc/runlevels/default/uml.$d"
t_has "site: $c: MEMORY written" "MEMORY='128M'" "$(cat "/etc/conf.d/uml.$c")"
t_has "site: $d: BRIDGE_tap written" "BRIDGE_$td='umltbr0'" "$(cat "/etc/conf.d/uml.$d")"
t_eq "site: $d: its tap on the bridge in $ns" umltbr0 "$(tap_master)"
t_eq "site: $d: the JSON names its NIC" "$td umltbr0" \
	"$(t_umlctl -c /etc/conf.d status --json "$d" | jq -r '.nics[0] | "\(.tap) \(.bridge)"')"

before=$(snapshot)
converge
t_eq "again: the playbook passes" 0 "$t_status"
t_eq "again: changed=0" 0 "$(recap changed)"
t_eq "again: guests untouched" "$before" "$(snapshot)"

site 192M started stopped
converge --check --diff
t_eq "check mode: the playbook passes" 0 "$t_status"
t_nomatch "check mode: changes reported" "^0$" "$(recap changed)"
t_has "check mode: the diff shows MEMORY" "+MEMORY='192M'" "$t_out"
t_eq "check mode: nothing changed (conf.d, links, pids)" "$before" "$(snapshot)"

site 192M started started
old_c=$(t_kernel_pid "$c")
old_d=$(t_kernel_pid "$d")
converge --diff
t_eq "MEMORY of $c: the playbook passes" 0 "$t_status"
t_eq "MEMORY of $c: running" running "$(state_of "$c")"
t_eq "MEMORY of $c: restarted with 192M" 201326592 \
	"$(t_umlctl -c /etc/conf.d status --json "$c" | jq -r .memory_bytes)"
t_ok "MEMORY of $c: a new kernel" test "$(t_kernel_pid "$c")" != "$old_c"
t_eq "MEMORY of $c: $d's kernel untouched" "$old_d" "$(t_kernel_pid "$d")"

before=$(snapshot)
mem_d=12x
site 192M started started
mem_d=
converge
t_eq "a bad MEMORY: the playbook fails" 2 "$t_status"
t_match "a bad MEMORY: named, with its value" "$d: the configuration was refused.*MEMORY=.*12x.*not a size" "$t_out"
t_eq "a bad MEMORY: nothing changed" "$before" "$(snapshot)"
site 192M started started "            memroy: 256M"
converge
t_eq "an unknown key: the playbook fails" 2 "$t_status"
t_match "an unknown key: named" "$d: unknown keys memroy" "$t_out"
t_eq "an unknown key: nothing changed" "$before" "$(snapshot)"

site 192M absent absent
converge
t_eq "absent: the playbook passes" 0 "$t_status"
for g in "$c" "$d"; do
	t_eq "absent: $g: no process" "" "$(t_guest_pids "$g")"
	t_ok "absent: $g: no conf.d file, no link" \
		test ! -e "/etc/conf.d/uml.$g" -a ! -L "/etc/init.d/uml.$g"
	t_eq "absent: $g: OpenRC knows it no more" 1 \
		"$(rc-service -e "uml.$g"; echo $?)"
done
t_ok "absent: $c: out of runlevel default" test ! -L "/etc/runlevels/default/uml.$c"
t_ok "absent: $c: its image kept" test -s "$T_UMLDIR/$c/root.loop"
t_ok "absent: $d (purge_images): its image gone" test ! -e "$T_UMLDIR/$d/root.loop"
t_eq "absent: $d: its tap gone" "" "$(ip -n "$ns" -o link show "$td" 2>/dev/null)"
converge
t_eq "absent again: changed=0" 0 "$(recap changed)"
t_done
