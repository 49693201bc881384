#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# The stop ladder with the real kernel: data written without sync just
# before stop survives and the image is clean, whether the guest powers off
# on cad, ignores it, or reboots (and a confined guest boots again after a
# reboot, which re-executes its kernel); a killed kernel reads as crashed and can
# be started again; two starts at once make one kernel; a hung guest is
# killed in bounded time.
# shellcheck source=SCRIPTDIR/lib.sh
. "${0%/*}/lib.sh"
t_init
t_need_umlctl
[ -x "$REALKERNEL" ] || t_skip_all "$REALKERNEL missing"

# 1. Powers off on cad.
g=$(t_name p)
t_root_image "$g" --cad poweroff --write
t_real_conf "$g" KERNEL_ARGS="token=$g"
t_exit 0 "poweroff: start exits 0" t_umlctl start "$g"
t_ok "poweroff: the guest wrote its data" \
	t_wait_log "$T_LOGDIR/$g.log" "guest: wrote /data.txt token=$g" 30
t0=$(date +%s)
t_exit 0 "poweroff: stop exits 0" t_umlctl stop "$g"
t_log "poweroff: stop took $(($(date +%s) - t0)) s"
t_exit 3 "poweroff: status exits 3" t_umlctl status "$g"
t_match "poweroff: status says stopped, graceful" 'stopped.*graceful' "$t_out"
t_data_ok poweroff "$g" "$g"
t_no_leftovers "$g"

# 2. Ignores cad: the ladder must sync, remount read-only and halt by itself.
g=$(t_name i)
t_root_image "$g" --cad ignore --write
t_real_conf "$g" KERNEL_ARGS="token=$g" SHUTDOWN_TIMEOUT=3
t_exit 0 "ignore: start exits 0" t_umlctl start "$g"
t_ok "ignore: the guest wrote its data" \
	t_wait_log "$T_LOGDIR/$g.log" "guest: wrote /data.txt token=$g" 30
t0=$(date +%s)
t_exit 6 "ignore: stop exits 6 (stopped, forced)" t_umlctl stop "$g"
el=$(($(date +%s) - t0))
t_log "ignore: stop took $el s"
t_ok "ignore: stop took less than SHUTDOWN_TIMEOUT + 20 s" test "$el" -lt 23
t_exit 3 "ignore: status exits 3" t_umlctl status "$g"
t_match "ignore: status says stopped, forced" 'stopped.*forced' "$t_out"
# The guest's mounts are asked for as init sees them (`proc 1/mounts'):
# 7.x kernels answer `proc mounts' with nothing.
t_has "ignore: the ladder saw / read-only before it halted" \
	"synced, remounted read-only, halted" "$t_out"
t_data_ok ignore "$g" "$g"
t_no_leftovers "$g"

# 2b. Paused with `mconsole stop' (UML's own pause): stop resumes it first,
# so that it powers off on cad with its data.
g=$(t_name q)
t_root_image "$g" --cad poweroff --write
t_real_conf "$g" KERNEL_ARGS="token=$g" SHUTDOWN_TIMEOUT=10
t_exit 0 "paused: start exits 0" t_umlctl start "$g"
t_ok "paused: the guest wrote its data" \
	t_wait_log "$T_LOGDIR/$g.log" "guest: wrote /data.txt token=$g" 30
t_exit 0 "paused: mconsole stop" t_umlctl mconsole "$g" stop
t_exit 0 "paused: stop exits 0 (graceful)" t_umlctl stop "$g"
t_match "paused: status says stopped, graceful" 'stopped, graceful' \
	"$(t_umlctl status "$g")"
t_has "paused: the log says it was resumed" "was paused (mconsole stop); resumed" \
	"$(t_console "$T_LOGDIR/$g.log")"
t_data_ok paused "$g" "$g"
t_no_leftovers "$g"

# 3. Reboots on cad: umlctl notices and still stops the guest.
g=$(t_name r)
t_root_image "$g" --cad reboot
t_real_conf "$g" SHUTDOWN_TIMEOUT=10
t_exit 0 "reboot: start exits 0" t_umlctl start "$g"
t_ok "reboot: the guest is up" t_wait_log "$T_LOGDIR/$g.log" '^guest: up' 30
# A reboot re-executes the kernel in its process (UML's main(); Debian's
# 6.1, linked dynamically, through its loader again): under confinement
# the Landlock rules for KERNEL and the loader must allow that exec.
kr=$(t_kernel_pid "$g")
t_exit 0 "reboot: mconsole reboot" t_umlctl mconsole "$g" reboot
t_ok "reboot: the guest is up again" t_wait_up "$g" 2 45
t_eq "reboot: the same kernel process, re-executed" "$kr" "$(t_kernel_pid "$g")"
t0=$(date +%s)
t_exit 6 "reboot: stop exits 6 (stopped, forced)" t_umlctl stop "$g"
el=$(($(date +%s) - t0))
t_log "reboot: stop took $el s"
t_ok "reboot: stop took less than SHUTDOWN_TIMEOUT + 20 s" test "$el" -lt 30
t_match "reboot: the console log has umlctl saying the guest rebooted on cad" \
	'^umlctl: .*reboot' "$(t_console "$T_LOGDIR/$g.log")"
t_exit 3 "reboot: status exits 3" t_umlctl status "$g"
t_match "reboot: status says stopped" "^$g: stopped" "$t_out"
t_ok "reboot: image clean (e2fsck -fn)" e2fsck -fn "$T_UMLDIR/$g/root.loop"
t_no_leftovers "$g"

# 4. SIGKILL of the kernel: crashed, everything of it gone, then a new start.
g=$(t_name k)
t_root_image "$g"
t_real_conf "$g"
t_exit 0 "kill: start exits 0" t_umlctl start "$g"
t_wait_log "$T_LOGDIR/$g.log" '^guest: up' 30
kp=$(t_kernel_pid "$g")
t_ok "kill: the kernel process is found" test -n "$kp"
[ -n "$kp" ] && kill -KILL "$kp"
t_ok "kill: status exits 4 within 10 s" t_wait 10 t_status_is 4 t_umlctl status "$g"
t_exit 4 "kill: status exits 4" t_umlctl status "$g"
t_match "kill: status says crashed" "^$g: crashed" "$t_out"
t_ok "kill: every process of the guest is gone within 10 s" t_wait 10 t_user_gone "$T_USER"
t_exit 0 "kill: a new start exits 0" t_umlctl start "$g"
t_exit 0 "kill: status exits 0 after the new start" t_umlctl status "$g"
# The log still holds the killed run's `guest: up': wait for a second one
# (stopping a guest still booting is forced, and its stop exits 6).
t_ok "kill: the new guest is up" t_wait_up "$g" 2
t_exit 0 "kill: stop exits 0" t_umlctl stop "$g"
t_exit 3 "kill: status exits 3 after stop" t_umlctl status "$g"
t_no_leftovers "$g"

# 5. Two starts at once: one kernel; the other start exits 5 and says why.
g=$(t_name c)
t_root_image "$g"
t_real_conf "$g"
"$UMLCTL" -c "$T_CONF" start "$g" </dev/null >"$T_TMP/c1.out" 2>&1 &
p1=$!
"$UMLCTL" -c "$T_CONF" start "$g" </dev/null >"$T_TMP/c2.out" 2>&1 &
p2=$!
wait "$p1"
s1=$?
wait "$p2"
s2=$?
t_eq "concurrent: one start exits 0, the other 5" "0 5" "$(printf '%s\n' "$s1" "$s2" | sort -n | tr '\n' ' ' | sed 's/ $//')"
if [ "$s1" -eq 5 ]; then busy=$T_TMP/c1.out; else busy=$T_TMP/c2.out; fi
t_log "concurrent: the busy start said: $(cat "$busy")"
t_match "concurrent: the busy start says the guest is running or busy" \
	"$g.*(already|running|busy|in use|locked)" "$(cat "$busy")"
nk=$(ps -u "$T_USER" -o pid=,sid=,stat=,args= |
	awk -v w="umid=$g" '$1 == $2 && $3 !~ /^Z/ { for (i = 4; i <= NF; i++) if ($i == w) n++ } END { print n + 0 }')
t_eq "concurrent: exactly one kernel" 1 "$nk"
t_exit 0 "concurrent: status exits 0" t_umlctl status "$g"
t_exit 5 "concurrent: a third start exits 5" t_umlctl start "$g"
# Stopped while it boots it would be forced (exit 6): let its init come up.
t_ok "concurrent: the guest is up" t_wait_up "$g" 1
t_exit 0 "concurrent: stop exits 0" t_umlctl stop "$g"
t_no_leftovers "$g"

# 6. A hung guest (every process of it stopped): killed in bounded time.
g=$(t_name h)
t_root_image "$g"
t_real_conf "$g" SHUTDOWN_TIMEOUT=2
t_exit 0 "hung: start exits 0" t_umlctl start "$g"
t_wait_log "$T_LOGDIR/$g.log" '^guest: up' 30
kp=$(t_kernel_pid "$g")
t_ok "hung: the kernel process is found" test -n "$kp"
[ -n "$kp" ] && kill -STOP "-$kp"
t_eq "hung: every process of the guest is stopped" T \
	"$(ps -o stat= -s "$kp" | cut -c1 | tr t T | sort -u | tr -d "\n")"
t0=$(date +%s)
t_run t_umlctl stop "$g"
el=$(($(date +%s) - t0))
t_log "hung: stop exited $t_status after $el s: $t_out"
t_ok "hung: stop took less than SHUTDOWN_TIMEOUT + 20 s" test "$el" -lt 22
t_exit 3 "hung: status exits 3" t_umlctl status "$g"
t_match "hung: status says forced" 'stopped.*forced' "$t_out"
t_no_leftovers "$g"
t_done
