#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# A kernel that stops answering its mconsole while it runs (here frozen
# with SIGSTOP) is reported hung (issue 11): the supervisor probes it three
# times per HANG_TIMEOUT, and after HANG_TIMEOUT without an answer logs it
# (console log and syslog's warning) and records it, so that status says
# "hung" and exits 8; an answer ends it.  RESPAWN restarts a hung guest only
# with RESPAWN_HUNG=yes, and says why it killed it.  With the fake kernel
# and the real one.
# shellcheck source=SCRIPTDIR/lib.sh
. "${0%/*}/lib.sh"
t_init
t_need_umlctl
t_need_fake

# The documented bound: HANG_TIMEOUT, plus one probe interval
# (HANG_TIMEOUT / 3, at least 1 s) and one mconsole request (1 s).
bound=$((3 + 1 + 1 + 1))

g=$(t_name h)
t_fake_conf "$g" HANG_TIMEOUT=3
t_exit 0 "start" t_umlctl start "$g"
kp=$(t_kernel_pid "$g")
t_exit 0 "status: running" t_umlctl status "$g"
kill -STOP "$kp"
t_ok "frozen: status says hung within $bound s" t_wait "$bound" t_status_is 8 t_umlctl status "$g"
t_exit 8 "frozen: status exits 8" t_umlctl status "$g"
t_match "frozen: status says so" "^$g: hung: its kernel \\(pid $kp\\) has not answered its mconsole for [0-9]+ s" "$t_out"
t_has "frozen: the log says so" "$g: hung: its kernel has not answered its mconsole" "$(cat "$T_LOGDIR/$g.log")"
t_eq "frozen: not killed without RESPAWN_HUNG" "$kp" "$(t_kernel_pid "$g")"
kill -CONT "$kp"
t_ok "thawed: status says running again" t_wait "$bound" t_status_is 0 t_umlctl status "$g"
t_ok "thawed: the log says it answers again" grep -q "$g: answers again after" "$T_LOGDIR/$g.log"
t_exit 0 "stop" t_umlctl stop "$g"
t_no_leftovers "$g"

# Frozen long enough for its mconsole queue to fill (a probe a second,
# net.unix.max_dgram_qlen is 10 here and there): the supervisor never
# blocks sending, so a stop still ends it, forced.
g=$(t_name q)
t_fake_conf "$g" HANG_TIMEOUT=3
t_exit 0 "full queue: start" t_umlctl start "$g"
kill -STOP "$(t_kernel_pid "$g")"
sleep 15
t_exit 8 "full queue: status says hung" t_umlctl status "$g"
t_exit 6 "full queue: stop ends it, forced" timeout 60 "$UMLCTL" -c "$T_CONF" stop "$g"
t_no_leftovers "$g"

# RESPAWN_HUNG=yes: killed, said why, started again.
g=$(t_name r)
t_fake_conf "$g" HANG_TIMEOUT=3 RESPAWN=yes RESPAWN_HUNG=yes
t_exit 0 "respawn: start" t_umlctl start "$g"
kp=$(t_kernel_pid "$g")
kill -STOP "$kp"
t_ok "respawn: the hung kernel is killed and started again" t_wait $((bound + 5)) \
	sh -c "p=\$(ps -o pid= -s \$(cat /run/uml/$g/state | sed -n 's/^kpid=//p') 2>/dev/null | head -1); [ -n \"\$p\" ] && [ \"\$(sed -n 's/^kpid=//p' /run/uml/$g/state)\" != $kp ]"
t_ok "respawn: running again" t_wait 10 t_status_is 0 t_umlctl status "$g"
t_has "respawn: the log says why it was killed" "$g: crashed: hung for" "$(cat "$T_LOGDIR/$g.log")"
t_has "respawn: and by what" "killed (RESPAWN_HUNG)" "$(cat "$T_LOGDIR/$g.log")"
t_exit 0 "respawn: stop" t_umlctl stop "$g"
t_no_leftovers "$g"

# HANG_TIMEOUT is checked like the other timeouts.
g=$(t_name b)
t_fake_conf "$g" HANG_TIMEOUT=0
t_refused "HANG_TIMEOUT=0" "$g" 'HANG_TIMEOUT="0"'

# The real kernel, frozen.
if [ -x "${REALKERNEL:-}" ]; then
	g=$(t_name k)
	t_root_image "$g"
	t_real_conf "$g" HANG_TIMEOUT=3
	t_exit 0 "real: start" t_umlctl start "$g"
	t_ok "real: up" t_wait_up "$g" 1
	kp=$(t_kernel_pid "$g")
	kill -STOP "$kp"
	t_ok "real: frozen, status says hung within $bound s" t_wait "$bound" t_status_is 8 t_umlctl status "$g"
	kill -CONT "$kp"
	t_ok "real: thawed, running again" t_wait "$bound" t_status_is 0 t_umlctl status "$g"
	t_exit 0 "real: stop" t_umlctl stop "$g"
	t_no_leftovers "$g"
fi
t_done
