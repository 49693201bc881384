#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# The notify socket believes only the kernel's process group: datagrams
# forged by another process of USER (a panic, a second MCONSOLE_SOCKET, a
# user notification; sent with `fakekernel --notify') change nothing: no
# panic in the outcome, no "rebooted" and no "guest says" in the log, while
# running and during the stop ladder.  Another user cannot send at all.
# SC2317: forge is called through t_ok, which shellcheck does not follow.
# shellcheck source=SCRIPTDIR/lib.sh disable=SC2317
. "${0%/*}/lib.sh"
t_init
t_need_umlctl
t_need_fake

# forge USER TYPE TEXT: send one notification to guest $g as USER, from a
# process that is not in the kernel's process group.
forge() {
	setpriv --reuid="$1" --regid="$(id -g "$1")" --init-groups -- \
		"$T_FAKE" --notify "/run/uml/$g/notify" "$2" "$3"
}

# 1. While running; the guest powers off on cad, so a believed forgery is
# all that could make the outcome anything but a graceful stop.
g=$(t_name a)
t_fake_conf "$g"
t_exit 0 "running: start" t_umlctl start "$g"
t_ok "running: $T_USER sends a forged panic" forge "$T_USER" 1 "forged panic"
t_ok "running: $T_USER sends a forged second MCONSOLE_SOCKET" forge "$T_USER" 0 "/run/uml/$g/u/$g/mconsole"
t_ok "running: $T_USER sends a forged user notification" forge "$T_USER" 3 "forged note"
t_exit 1 "running: $T_USER2 cannot send to the notify socket" forge "$T_USER2" 1 "forged by $T_USER2"
t_exit 0 "running: status exits 0" t_umlctl status "$g"
t_match "running: status says running" "^$g: running" "$t_out"
t_nomatch "running: status says nothing of a panic" 'panic|forged' "$t_out"
# The supervisor reads every queued datagram before its stop ladder ends.
t_exit 0 "running: stop exits 0" t_umlctl stop "$g"
t_match "running: stop says graceful" 'stopped.*graceful' "$t_out"
t_nomatch "running: stop says nothing of a panic" 'panic|forged' "$t_out"
t_exit 3 "running: status exits 3" t_umlctl status "$g"
t_nomatch "running: the outcome has no panic" 'panic|forged' "$(cat "/run/uml/$g.last")"
log=$(t_console "$T_LOGDIR/$g.log")
t_nomatch "running: no panic in the log" 'panic|forged' "$log"
t_nomatch "running: umlctl logged no reboot" 'rebooted' "$log"
t_nomatch "running: no guest note in the log" 'guest says' "$log"
t_no_leftovers "$g"

# 2. During the stop ladder of a guest that ignores cad: a forged
# MCONSOLE_SOCKET would read as "rebooted on ctrl-alt-del", a forged panic
# would become the outcome.
g=$(t_name b)
t_fake_conf "$g" SHUTDOWN_TIMEOUT=3 KERNEL_ARGS="fake.record=$T_REC/$g fake.cad=ignore"
t_exit 0 "ladder: start" t_umlctl start "$g"
t_umlctl stop "$g" >"$T_TMP/stop.out" 2>&1 &
stopper=$!
t_defer "kill $stopper"
t_ok "ladder: the ladder sent cad" t_wait_log "$T_LOGDIR/$g.log" 'stop: ctrl-alt-del' 10
t_ok "ladder: $T_USER sends a forged second MCONSOLE_SOCKET" forge "$T_USER" 0 "/run/uml/$g/u/$g/mconsole"
t_ok "ladder: $T_USER sends a forged panic" forge "$T_USER" 1 "forged panic"
wait "$stopper"
t_eq "ladder: stop exits 6 (forced: the guest ignores cad)" 6 "$?"
t_out=$(cat "$T_TMP/stop.out")
t_match "ladder: the stop was forced for not powering off in time" \
	'forced: did not power off within 3 s' "$t_out"
t_nomatch "ladder: not for a reboot or a panic" 'rebooted|panic|forged' "$t_out"
log=$(t_console "$T_LOGDIR/$g.log")
t_nomatch "ladder: umlctl logged no reboot" 'rebooted' "$log"
t_nomatch "ladder: no panic in the log" 'panic|forged' "$log"
t_no_leftovers "$g"

# 3. A real panic queued behind forged datagrams when the kernel exits: the
# supervisor reads one datagram a round and sees the exit in the same
# round, so it reads what is left before it reaps the kernel (the panic
# would be lost, the outcome "exited with status 1").  The supervisor is
# stopped meanwhile, so that the queue holds the forgeries first; the fake
# kernel panics on SIGUSR2.
g=$(t_name c)
t_fake_conf "$g"
t_exit 0 "queued: start" t_umlctl start "$g"
sup=$(cat "/run/uml/$g.pid")
kp=$(t_kernel_pid "$g")
kill -STOP "$sup"
t_defer "kill -CONT $sup"
t_ok "queued: $T_USER sends a forged note" forge "$T_USER" 3 "forged note 1"
t_ok "queued: and another" forge "$T_USER" 3 "forged note 2"
kill -USR2 "$kp"
t_ok "queued: the kernel panicked and exited meanwhile" t_wait 10 sh -c \
	"[ \"\$(cut -d' ' -f3 /proc/$kp/stat 2>/dev/null)\" = Z ]"
kill -CONT "$sup"
t_ok "queued: status exits 4 within 10 s" t_wait 10 t_status_is 4 t_umlctl status "$g"
t_match "queued: the outcome names the panic" 'crashed.*panic: fake panic' \
	"$(cat "/run/uml/$g.last")"
t_no_leftovers "$g"
t_done
