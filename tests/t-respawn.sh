#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# RESPAWN=yes: a crashed kernel is started again by its supervisor (the
# service stays up), at most RESPAWN_MAX times in a row; then the guest is
# crashed.  RESPAWN=no (the default) is covered by the crash tests.
# shellcheck source=SCRIPTDIR/lib.sh
. "${0%/*}/lib.sh"
t_init
t_need_fake

# A kernel killed once comes back as a new kernel under the same supervisor.
g=$(t_name r)
t_fake_conf "$g" RESPAWN=yes RESPAWN_MAX=3
t_exit 0 "start exits 0" t_umlctl start "$g"
k1=$(t_kernel_pid "$g")
sup=$(cat "/run/uml/$g.pid")
t_ok "the kernel is found" test -n "$k1"
# Called through t_wait, which shellcheck cannot follow.
# shellcheck disable=SC2317
new_kernel() {
	_k=$(t_kernel_pid "$g")
	test -n "$_k" && test "$_k" != "$k1"
}
kill -9 "$k1"
t_ok "a new kernel runs within 5 s" t_wait 5 new_kernel
t_exit 0 "status exits 0 (running)" t_umlctl status "$g"
t_eq "the same supervisor" "$sup" "$(cat "/run/uml/$g.pid")"
t_match "the log says it crashed and was respawned" 'respawning \(crash 1 of at most 3' \
	"$(t_console "$T_LOGDIR/$g.log")"
t_ok "the new kernel answers its mconsole" t_wait 5 t_umlctl mconsole "$g" version
t_exit 0 "stop exits 0" t_umlctl stop "$g"
t_exit 3 "status exits 3 after stop" t_umlctl status "$g"
t_no_leftovers "$g"

# A kernel that panics at every boot: respawned RESPAWN_MAX times, then
# the guest is crashed and everything is cleaned up.
g=$(t_name p)
t_fake_conf "$g" RESPAWN=yes RESPAWN_MAX=2 \
	KERNEL_ARGS="fake.record=$T_REC/$g fake.panic_after=200"
t_exit 0 "panicking: start exits 0" t_umlctl start "$g"
t_ok "panicking: crashed for good within 15 s" t_wait 15 t_status_is 4 t_umlctl status "$g"
t_exit 4 "panicking: status exits 4" t_umlctl status "$g"
t_match "panicking: status says crashed, with the panic text" "^$g: crashed: panic: fake panic" "$t_out"
t_eq "panicking: respawned exactly twice" 2 \
	"$(t_console "$T_LOGDIR/$g.log" | grep -c 'respawning (crash')"
t_match "panicking: the log says RESPAWN_MAX was reached" 'RESPAWN_MAX=2 reached' \
	"$(t_console "$T_LOGDIR/$g.log")"
t_no_leftovers "$g"
t_done
