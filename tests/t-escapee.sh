#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# A process of the guest that leaves the kernel's session and process
# group, drops its parent-death signal and ignores SIGTERM (fake.escape,
# what a guest escaped into the kernel could start) does not outlive the
# guest (issue 16): the supervisor, a child subreaper, kills every one of
# its descendants, after a stop, a crash, and a start that failed.
# shellcheck source=SCRIPTDIR/lib.sh
. "${0%/*}/lib.sh"
t_init
t_need_umlctl
t_need_fake

# escapee NAME: the process of $T_USER not in the kernel's session.
escapee() {
	_k=$(t_kernel_pid "$1")
	ps -u "$T_USER" -o pid=,sid=,stat= | awk -v k="${_k:-none}" '$2 != k && $3 !~ /^Z/ { print $1 }'
}

g=$(t_name s)
t_fake_conf "$g" KERNEL_ARGS="fake.record=$T_REC/$g fake.escape"
t_exit 0 "stop: start" t_umlctl start "$g"
t_ok "stop: the escapee runs, outside the kernel's session" t_wait 5 sh -c "[ -n \"\$(ps -u $T_USER -o sid= | sort -u | sed -n 2p)\" ]"
t_log "stop: escapee $(escapee "$g")"
t_exit 0 "stop: stop exits 0" t_umlctl stop "$g"
t_no_leftovers "$g"

g=$(t_name c)
t_fake_conf "$g" KERNEL_ARGS="fake.record=$T_REC/$g fake.escape fake.panic_after=500"
t_exit 0 "crash: start" t_umlctl start "$g"
t_ok "crash: status says crashed" t_wait 10 t_status_is 4 t_umlctl status "$g"
t_ok "crash: nothing of $T_USER is left" t_wait 5 t_user_gone "$T_USER"
t_no_leftovers "$g"

g=$(t_name f)
t_fake_conf "$g" START_TIMEOUT=2 KERNEL_ARGS="fake.record=$T_REC/$g fake.escape fake.noready"
t_exit 1 "failed start: exits 1 at START_TIMEOUT" t_umlctl start "$g"
t_no_leftovers "$g"
t_done
