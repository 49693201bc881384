#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# A guest's stop never depends on today's conf.d, and OpenRC's view of a
# guest agrees with umlctl's whoever started or stopped it (issue 14).
# Real kernel, real OpenRC:
# 1. A running guest whose conf.d is then broken, removed, or given
#    another SHUTDOWN_TIMEOUT: `rc-service stop' runs the whole ladder
#    with the settings it started with; the data it wrote without sync
#    is intact and its image clean.
# 2. A crashed guest: `rc-service start' starts it again (exit 0, a kernel
#    runs); a start of a running guest says so and starts nothing.
# 3. Started with umlctl by hand: `rc-service start' adopts it, and
#    `rc-service stop' stops it.  Stopped with umlctl by hand:
#    `rc-service start' starts it (OpenRC does not still call it started).
# 4. `rc-service restart' with a broken conf.d: refused with a message
#    that says so; the guest keeps running.
# 5. `rc-service start' while umlctl is still starting the guest (fake
#    kernel, slow to be ready): it waits for that start and adopts the
#    guest (two starts of one guest meet when OpenRC's restart of one
#    service starts again others it saw stop: RELIABILITY.md, finding 16).
# 6. A stop by hand that ends the guest after it was ready but before
#    OpenRC marked the service started (a runscript whose umlctl stops the
#    guest once its start returned): OpenRC says stopped in the end, not
#    started with nothing running (RELIABILITY.md, finding 17).
# 7. A start by hand while OpenRC has the service starting: OpenRC says
#    started once the guest is ready (a first fix of finding 17 did not).
# SC2317: up is called through t_ok.
# shellcheck source=SCRIPTDIR/lib.sh disable=SC2317
. "${0%/*}/lib.sh"
t_init
t_need_umlctl
t_need_fake
[ -x "$REALKERNEL" ] || t_skip_all "$REALKERNEL missing"
command -v rc-service >/dev/null || t_skip_all "rc-service missing (apt-get install openrc)"

# rc_state NAME: OpenRC's state of uml.NAME, from its state directory.
rc_state() {
	for _s in started starting stopping; do
		[ -e "/run/openrc/$_s/uml.$1" ] && { echo "$_s"; return; }
	done
	echo stopped
}

# up NAME N: the guest's kernel answers and its init is up (the Nth time).
up() {
	t_wait 30 t_status_is 0 t_umlctl status "$1" && t_wait_up "$1" "$2"
}

# 1. conf.d changed under a running guest: it stops as it started.
for how in broken removed timeout; do
	g=$(t_name "c$how" | cut -c1-12)
	t_root_image "$g" --cad ignore --write
	t_real_conf "$g" SHUTDOWN_TIMEOUT=3 KERNEL_ARGS="token=$g"
	t_rc_install "$g"
	t_exit 0 "$how: rc-service start" rc-service "uml.$g" start
	t_ok "$how: the guest wrote its data" \
		t_wait_log "$T_LOGDIR/$g.log" "guest: wrote /data.txt token=$g" 30
	# shellcheck disable=SC2016 # a command substitution that sh would run
	case $how in
	broken) printf 'MEMORY="lots"\nSHUTDOWN_TIMEOUT=$(echo 1)\n' >>"/etc/conf.d/uml.$g" ;;
	removed) rm -f "/etc/conf.d/uml.$g" ;;
	timeout) printf 'SHUTDOWN_TIMEOUT="1"\n' >>"/etc/conf.d/uml.$g" ;;
	esac
	t_exit 0 "$how: rc-service stop exits 0" rc-service "uml.$g" stop
	t_has "$how: it waited SHUTDOWN_TIMEOUT as started (3 s), then synced" \
		"did not power off within 3 s; synced, remounted read-only, halted" \
		"$(t_console "$T_LOGDIR/$g.log")"
	t_eq "$how: OpenRC says stopped" stopped "$(rc_state "$g")"
	t_data_ok "$how" "$g" "$g"
	t_no_leftovers "$g"
done

# 2. A crash, then rc-service start.
g=$(t_name k)
t_root_image "$g"
t_real_conf "$g"
t_rc_install "$g"
t_exit 0 "crash: rc-service start" rc-service "uml.$g" start
t_ok "crash: the guest is up" up "$g" 1
kp=$(t_kernel_pid "$g")
t_ok "crash: the kernel is found" test -n "$kp"
[ -n "$kp" ] && kill -KILL "$kp"
t_ok "crash: status exits 4" t_wait 10 t_status_is 4 t_umlctl status "$g"
t_ok "crash: OpenRC no longer calls it started" t_wait 5 sh -c "[ \"\$(ls /run/openrc/started/uml.$g 2>/dev/null)\" = '' ]"
t_exit 0 "crash: rc-service start exits 0" rc-service "uml.$g" start
t_nomatch "crash: it is not 'already started'" 'already been started' "$t_out"
t_exit 0 "crash: a kernel runs again" t_umlctl status "$g"
t_eq "crash: OpenRC says started" started "$(rc_state "$g")"
t_exit 0 "running: rc-service start exits 0" rc-service "uml.$g" start
t_has "running: it says so" "already been started" "$t_out"
t_eq "running: still one kernel" 1 "$(t_guest_pids "$g" | while read -r p; do
	[ "$(ps -o sid= -p "$p" | tr -d ' ')" = "$p" ] && echo "$p"; done | wc -l)"
t_exit 0 "running: rc-service stop" rc-service "uml.$g" stop
t_no_leftovers "$g"

# 3. By hand, then OpenRC; and the other way round.
g=$(t_name h)
t_root_image "$g"
t_real_conf "$g"
t_rc_install "$g"
t_exit 0 "by hand: umlctl start" t_umlctl start "$g"
t_eq "by hand: OpenRC says started" started "$(rc_state "$g")"
t_exit 0 "by hand: rc-service start exits 0 (adopted)" rc-service "uml.$g" start
t_exit 0 "by hand: rc-service status exits 0" rc-service "uml.$g" status
t_ok "by hand: the guest is up" up "$g" 1
t_exit 0 "by hand: rc-service stop exits 0" rc-service "uml.$g" stop
t_exit 3 "by hand: umlctl status says stopped" t_umlctl status "$g"
t_exit 0 "by hand: rc-service start" rc-service "uml.$g" start
t_ok "by hand: up again" up "$g" 2
t_exit 0 "by hand: umlctl stop" t_umlctl stop "$g"
t_eq "by hand: OpenRC says stopped" stopped "$(rc_state "$g")"
t_exit 0 "by hand: rc-service start exits 0" rc-service "uml.$g" start
t_exit 0 "by hand: a kernel runs" t_umlctl status "$g"
t_ok "by hand: up a third time" up "$g" 3

# 4. restart with a broken conf.d: refused, the guest keeps running.
kp=$(t_kernel_pid "$g")
printf 'MEMORY="lots"\n' >>"/etc/conf.d/uml.$g"
t_run rc-service "uml.$g" restart
out=$t_out
t_ok "restart, broken conf.d: fails" test "$t_status" -ne 0
t_has "restart, broken conf.d: says why" "not restarted: its configuration" "$out"
t_has "restart, broken conf.d: names the variable" 'MEMORY="lots"' "$out"
t_has "restart, broken conf.d: explains OpenRC's failed to stop" "nothing was stopped" "$out"
t_eq "restart, broken conf.d: the same kernel runs" "$kp" "$(t_kernel_pid "$g")"
t_exit 0 "restart, broken conf.d: rc-service stop still works" rc-service "uml.$g" stop
t_no_leftovers "$g"

# 5. A start that meets another start of the same guest.
g=$(t_name w)
# CONFINE=no: the fake kernel's record is written outside a domain.
t_fake_conf "$g" CONFINE=no KERNEL_ARGS="fake.record=$T_REC/$g fake.delay_ready=4000"
t_rc_install "$g"
"$UMLCTL" -c "$T_CONF" start "$g" >"$T_TMP/w.out" 2>&1 &
first=$!
t_ok "two starts: the first is starting" t_wait 10 t_status_is 7 t_umlctl status "$g"
t_exit 0 "two starts: rc-service start waits for it and exits 0" rc-service "uml.$g" start
t_has "two starts: and says it adopted the guest" "was already running" "$t_out"
wait "$first"
t_eq "two starts: the first start exits 0" 0 "$?"
t_exit 0 "two starts: status says running" t_umlctl status "$g"
t_eq "two starts: OpenRC says started" started "$(rc_state "$g")"
t_exit 0 "two starts: rc-service stop" rc-service "uml.$g" stop
t_no_leftovers "$g"

# 6. A stop that lands between readiness and OpenRC's mark: the runscript
# of uml.NAME runs a umlctl that, after a start, stops the guest by hand
# and returns once the kernel is gone and two more seconds have passed
# (without the fix the supervisor has marked the end by then; with it, it
# waits up to 5 s for openrc-run).
g=$(t_name m)
t_fake_conf "$g" CONFINE=no KERNEL_ARGS=
mkdir -p "$T_TMP/wrap"
cat >"$T_TMP/wrap/umlctl" <<EOF
#!/bin/sh
"$UMLCTL" "\$@" || exit
case " \$* " in *" start "*) ;; *) exit 0 ;; esac
kp=\$("$UMLCTL" -c "$T_CONF" status "$g" | sed -n 's/.*kernel pid \([0-9]*\).*/\1/p')
{ "$UMLCTL" -c "$T_CONF" stop "$g"; echo "\$?" >"$T_TMP/m.stopped"; } >"$T_TMP/m.stop" 2>&1 &
n=0
while [ -n "\$kp" ] && kill -0 "\$kp" 2>/dev/null && [ \$n -lt 100 ]; do
	sleep 0.1
	n=\$((n + 1))
done
sleep 2
EOF
chmod 0755 "$T_TMP/wrap/umlctl"
make -s -C "$T_ROOT" runscript SBINDIR="$T_TMP/wrap" RUNSCRIPT="/etc/init.d/umlstop.$$" ||
	t_bail "make runscript"
t_defer "rm -f /etc/init.d/umlstop.$$"
chmod 0755 "/etc/init.d/umlstop.$$"
t_rc_install "$g"
ln -sf "umlstop.$$" "/etc/init.d/uml.$g"
t_exit 0 "stop before the mark: rc-service start exits 0" rc-service "uml.$g" start
t_ok "stop before the mark: the stop by hand ends" t_wait 40 test -s "$T_TMP/m.stopped"
t_eq "stop before the mark: it exits 0" 0 "$(cat "$T_TMP/m.stopped")"
t_exit 3 "stop before the mark: status says stopped" t_umlctl status "$g"
t_eq "stop before the mark: OpenRC says stopped" stopped "$(rc_state "$g")"
t_no_leftovers "$g"

# 7. A start by hand while OpenRC has the service starting (an openrc-run
# still waiting on a dependency: marked here as it would mark it): the
# guest is ready, so OpenRC must say started, whatever that start does
# next (one that fails marks stopped only a service still "starting").
g=$(t_name s)
t_fake_conf "$g" CONFINE=no KERNEL_ARGS=
t_rc_install "$g"
/lib/rc/sbin/mark_service_starting "uml.$g"
t_eq "starting elsewhere: OpenRC says starting" starting "$(rc_state "$g")"
t_exit 0 "starting elsewhere: umlctl start by hand" t_umlctl start "$g"
t_eq "starting elsewhere: OpenRC says started" started "$(rc_state "$g")"
t_exit 0 "starting elsewhere: umlctl stop" t_umlctl stop "$g"
t_eq "starting elsewhere: OpenRC says stopped" stopped "$(rc_state "$g")"
t_no_leftovers "$g"

t_done
