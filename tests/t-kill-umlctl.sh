#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# umlctl itself SIGKILLed at each step of a guest's life.  After each,
# status tells the truth (running, or crashed with exit 4), a new start
# converges (the guest runs, with one kernel and only its processes), and a
# final stop leaves nothing: no process of USER, no /run/uml/NAME, no tap.
# 1. the starter, while the kernel boots (fake kernel, slow to be ready):
#    the supervisor carries on and the guest becomes ready;
# 2. the supervisor, while the kernel boots (fake kernel, with a tap);
#    then of a running one whose child outlives it holding the tap (as a
#    6.1 kernel's do): a start, or a stop, cleans up after it; and of a
#    running one whose persistent tap (NET_TRANSPORT="vector") is in NETNS;
# 3. the supervisor of a running real guest (with a tap); then a stop, not
#    a start, cleans up after it;
# 4. the supervisor during the stop ladder of a real guest ignoring cad;
# 5. the supervisor while it forces a hung (fake) kernel.
# SC2317: running and kernel_up are called through t_wait, which shellcheck
# does not follow.
# shellcheck source=SCRIPTDIR/lib.sh disable=SC2317
. "${0%/*}/lib.sh"
t_init
t_need_umlctl
t_need_fake

ns=$(t_name n)
t_netns "$ns"

# kernels NAME: how many kernels of guest NAME run (process group leaders).
kernels() {
	ps -u "$T_USER" -o pid=,pgid=,stat=,args= |
		awk -v w="umid=$1" '$1 == $2 && $3 !~ /^Z/ {
			for (i = 4; i <= NF; i++) if ($i == w) { n++; break } }
			END { print n + 0 }'
}

# kernel_up NAME: the kernel of guest NAME runs (it has called setsid()).
kernel_up() {
	[ -n "$(t_kernel_pid "$1")" ]
}

# running NAME: status says guest NAME is running (not just starting).
running() {
	"$UMLCTL" -c "$T_CONF" status "$1" 2>/dev/null | grep -q "^$1: running"
}

# strays NAME: processes of USER outside the running kernel's process group.
strays() {
	_k=$(t_kernel_pid "$1")
	ps -u "$T_USER" -o pid=,pgid=,stat=,args= |
		awk -v k="${_k:-none}" '$2 != k && $3 !~ /^Z/'
}

# converges DESC NAME [TAP [STOP_STATUS]]: after umlctl was killed, status says crashed,
# a new start brings the guest back whole, a stop leaves nothing.
converges() {
	t_ok "$1: status exits 4 (crashed) within 10 s" t_wait 10 t_status_is 4 t_umlctl status "$2"
	t_exit 4 "$1: status exits 4" t_umlctl status "$2"
	t_match "$1: status says the supervisor died" "^$2: crashed.*supervisor" "$t_out"
	t_exit 0 "$1: a new start exits 0" t_umlctl start "$2"
	t_exit 0 "$1: status exits 0" t_umlctl status "$2"
	t_eq "$1: one kernel" 1 "$(kernels "$2")"
	t_eq "$1: every process of $T_USER is the new kernel's" "" "$(strays "$2")"
	if [ -n "${3:-}" ]; then
		t_ok "$1: the tap exists again" ip -n "$ns" link show dev "$3"
	fi
	# A guest that ignores cad is stopped by force: exit 6.
	t_exit "${4:-0}" "$1: stop exits ${4:-0}" t_umlctl stop "$2"
	t_exit 3 "$1: status exits 3" t_umlctl status "$2"
	t_no_leftovers "$2" ${3:+"$3"}
}

# 1. The starter, during boot.
g=$(t_name a)
# CONFINE=no: the record (fake.record) reads /proc/self and is written
# in $T_REC, both outside a Landlock domain; t-confine tests the domain.
t_fake_conf "$g" CONFINE=no KERNEL_ARGS="fake.record=$T_REC/$g fake.delay_ready=2000"
"$UMLCTL" -c "$T_CONF" start "$g" >"$T_TMP/a.out" 2>&1 &
starter=$!
t_ok "starter: the kernel runs" t_wait 10 test -s "$T_REC/$g"
t_ok "starter: not ready yet (status says starting)" sh -c \
	"'$UMLCTL' -c '$T_CONF' status '$g' | grep -q starting"
kill -KILL "$starter"
wait "$starter" 2>/dev/null
t_ok "starter: the supervisor carries on; the guest is ready within 10 s" \
	t_wait 10 running "$g"
t_exit 0 "starter: status exits 0" t_umlctl status "$g"
t_match "starter: status says running" "^$g: running" "$t_out"
t_eq "starter: one kernel" 1 "$(kernels "$g")"
t_exit 5 "starter: a new start exits 5 (already running)" t_umlctl start "$g"
t_eq "starter: still one kernel" 1 "$(kernels "$g")"
t_exit 0 "starter: stop exits 0" t_umlctl stop "$g"
t_no_leftovers "$g"

# 2. The supervisor, during boot.
g=$(t_name b)
tap=tb$$
# fake.delay_ready: long enough that the kill comes first on a loaded host
# (the kernel dies with its supervisor: it costs no time).
t_fake_conf "$g" NETNS="$ns" NET="$tap" KERNEL_ARGS="fake.record=$T_REC/$g fake.delay_ready=15000"
"$UMLCTL" -c "$T_CONF" start "$g" >"$T_TMP/b.out" 2>&1 &
starter=$!
t_ok "supervisor at boot: the kernel runs" t_wait 10 kernel_up "$g"
kp=$(t_kernel_pid "$g")
sup=$(ps -o ppid= -p "${kp:-0}" | tr -d ' ')
t_ok "supervisor at boot: the kernel's parent is the supervisor" \
	sh -c "tr '\\0' ' ' </proc/${sup:-0}/cmdline | grep -q 'umlctl.* start $g'"
kill -KILL "$sup"
wait "$starter"
st=$?
t_log "supervisor at boot: the starter exited $st: $(cat "$T_TMP/b.out")"
t_ok "supervisor at boot: the starter fails" test "$st" -ne 0
t_match "supervisor at boot: and says why" "$g" "$(cat "$T_TMP/b.out")"
t_fake_conf "$g" NETNS="$ns" NET="$tap" KERNEL_ARGS="fake.record=$T_REC/$g"
converges "supervisor at boot" "$g" "$tap"

# 2b. The supervisor of a running guest whose kernel has a child that
# outlives it and holds its tap, as a 6.1 kernel's processes do (found by
# the soak): the next start cleans up first (its checks found the tap in
# use), and so does a stop instead (it said "not running" and left all).
# The child is not dumpable, so its /proc/PID files are root's: the sweep
# goes by /proc/PID's own owner (a dying 7.3.4 kernel is such a process,
# and a sweep that skipped it returned before it had ended; finding 24).
for how in start stop; do
	g=$(t_name "l$how" | cut -c1-12)
	tap=tl$how$$
	t_fake_conf "$g" NETNS="$ns" NET="$tap" KERNEL_ARGS="fake.record=$T_REC/$g fake.linger fake.nodump"
	t_exit 0 "lingering child, then $how: start" t_umlctl start "$g"
	kill -KILL "$(cat "/run/uml/$g.pid")"
	t_ok "lingering child, then $how: status exits 4 within 10 s" t_wait 10 t_status_is 4 t_umlctl status "$g"
	t_ok "lingering child, then $how: the kernel's child outlives it" test -n "$(t_guest_pids "$g")"
	# check (rc-service restart's stop_pre) as start would see it after
	# its sweep: the disks and the tap the child holds are the guest's
	# own, not "locked by another program" (found by the soak, 6.1).
	t_exit 0 "lingering child, then $how: check passes" t_umlctl check "$g"
	if [ "$how" = start ]; then
		converges "lingering child, then start" "$g" "$tap"
		continue
	fi
	t_exit 4 "lingering child, then stop: stop exits 4 (crashed)" t_umlctl stop "$g"
	t_match "lingering child, then stop: stop says it cleaned up" \
		"^$g: crashed: .*supervisor died; cleaned up after it" "$t_out"
	t_ok "lingering child, then stop: no lock, no pid file" \
		test ! -e "/run/uml/$g.lock" -a ! -e "/run/uml/$g.pid"
	t_no_leftovers "$g" "$tap"
	t_exit 3 "lingering child, then stop: a second stop exits 3" t_umlctl stop "$g"
done

# 2b'. The same, with a child slow to end after SIGKILL (held 700 ms at
# its exit, before its files are closed): the start's sweep waits for what
# it killed before its checks, or it finds the child's disk lock still
# there and refuses (RELIABILITY.md, finding 21: so it did on 6.1).
g=$(t_name w)
t_fake_conf "$g" KERNEL_ARGS="fake.record=$T_REC/$g fake.linger fake.slowexit=700"
t_exit 0 "slow-dying child: start" t_umlctl start "$g"
t_has "slow-dying child: its tracer holds it" "slowexit: holding" \
	"$(cat "$T_LOGDIR/$g.log")"
kill -KILL "$(cat "/run/uml/$g.pid")"
# The next kernel without them: its child's tracer is a process of its own.
t_fake_conf "$g" KERNEL_ARGS="fake.record=$T_REC/$g"
converges "slow-dying child" "$g"

# 2c. The supervisor of a running guest with NET_TRANSPORT="vector", whose
# tap umlctl made persistent (USER's) in NETNS: what cleans up after the
# kill, start or stop, run from the host's namespace, deletes it there
# (finding 15 of RELIABILITY.md: it looked in its own namespace, the next
# start took the tap as an existing one, and no stop deleted it again).
for how in start stop; do
	g=$(t_name "v$how" | cut -c1-12)
	tap=tv$how$$
	t_fake_conf "$g" NETNS="$ns" NET="$tap" NET_TRANSPORT=vector \
		KERNEL_ARGS="fake.record=$T_REC/$g"
	t_exit 0 "vector tap, then $how: start" t_umlctl start "$g"
	t_ok "vector tap, then $how: the tap is in $ns" ip -n "$ns" link show dev "$tap"
	kill -KILL "$(cat "/run/uml/$g.pid")"
	t_ok "vector tap, then $how: status exits 4 within 10 s" \
		t_wait 10 t_status_is 4 t_umlctl status "$g"
	if [ "$how" = start ]; then
		converges "vector tap, then start" "$g" "$tap"
		continue
	fi
	t_exit 4 "vector tap, then stop: stop exits 4 (crashed)" t_umlctl stop "$g"
	t_no_leftovers "$g" "$tap"
done

if [ -x "$REALKERNEL" ]; then
	# 3. The supervisor of a running real guest.
	g=$(t_name c)
	tap=tc$$
	t_root_image "$g"
	t_real_conf "$g" NETNS="$ns" NET="$tap"
	t_exit 0 "supervisor running: start" t_umlctl start "$g"
	t_ok "supervisor running: the guest is up" t_wait_log "$T_LOGDIR/$g.log" '^guest: up' 30
	sup=$(cat "/run/uml/$g.pid")
	kill -KILL "$sup"
	converges "supervisor running" "$g" "$tap"

	# 3b. The same, then a stop rather than a start: the stop cleans up
	# (found by the soak: it said "not running" and left the kernel's
	# other processes, /run/uml/NAME and its mount, the pid and lock).
	g=$(t_name s)
	tap=ts$$
	t_root_image "$g"
	t_real_conf "$g" NETNS="$ns" NET="$tap"
	t_exit 0 "supervisor, then stop: start" t_umlctl start "$g"
	t_ok "supervisor, then stop: the guest is up" t_wait_log "$T_LOGDIR/$g.log" '^guest: up' 30
	kill -KILL "$(cat "/run/uml/$g.pid")"
	t_ok "supervisor, then stop: status exits 4 within 10 s" t_wait 10 t_status_is 4 t_umlctl status "$g"
	t_exit 4 "supervisor, then stop: stop exits 4 (crashed)" t_umlctl stop "$g"
	t_log "supervisor, then stop: stop said: $t_out"
	t_match "supervisor, then stop: stop says it cleaned up" "^$g: crashed: .*supervisor died; cleaned up after it" "$t_out"
	t_exit 4 "supervisor, then stop: status still says crashed" t_umlctl status "$g"
	t_has "supervisor, then stop: status says how" "cleaned up after it" "$t_out"
	t_ok "supervisor, then stop: no lock, no pid file" \
		test ! -e "/run/uml/$g.lock" -a ! -e "/run/uml/$g.pid"
	t_no_leftovers "$g" "$tap"
	t_exit 3 "supervisor, then stop: a second stop exits 3" t_umlctl stop "$g"
	t_exit 0 "supervisor, then stop: a start exits 0" t_umlctl start "$g"
	t_ok "supervisor, then stop: the guest is up again" t_wait_up "$g" 2
	t_exit 0 "supervisor, then stop: its stop exits 0" t_umlctl stop "$g"
	t_no_leftovers "$g" "$tap"

	# 4. The supervisor during the stop ladder (the guest ignores cad).
	g=$(t_name d)
	t_root_image "$g" --cad ignore
	t_real_conf "$g" SHUTDOWN_TIMEOUT=3
	t_exit 0 "supervisor in the ladder: start" t_umlctl start "$g"
	t_ok "supervisor in the ladder: the guest is up" t_wait_log "$T_LOGDIR/$g.log" '^guest: up' 30
	sup=$(cat "/run/uml/$g.pid")
	"$UMLCTL" -c "$T_CONF" stop "$g" >"$T_TMP/d.out" 2>&1 &
	stopper=$!
	t_ok "supervisor in the ladder: cad sent" t_wait_log "$T_LOGDIR/$g.log" 'stop: ctrl-alt-del' 10
	kill -KILL "$sup"
	wait "$stopper"
	st=$?
	t_log "supervisor in the ladder: stop exited $st: $(cat "$T_TMP/d.out")"
	t_nomatch "supervisor in the ladder: stop does not claim a clean stop" \
		'stopped, (graceful|forced)' "$(cat "$T_TMP/d.out")"
	converges "supervisor in the ladder" "$g" "" 6
fi

# 5. The supervisor while it forces a hung kernel (SIGTERM sent, ignored).
g=$(t_name e)
t_fake_conf "$g" SHUTDOWN_TIMEOUT=1 KERNEL_ARGS="fake.record=$T_REC/$g fake.cad=hang"
t_exit 0 "supervisor forcing: start" t_umlctl start "$g"
sup=$(cat "/run/uml/$g.pid")
"$UMLCTL" -c "$T_CONF" stop "$g" >"$T_TMP/e.out" 2>&1 &
stopper=$!
t_ok "supervisor forcing: SIGTERM sent" t_wait_log "$T_LOGDIR/$g.log" 'stop: still running; SIGTERM' 15
kill -KILL "$sup"
wait "$stopper"
t_log "supervisor forcing: stop exited $?: $(cat "$T_TMP/e.out")"
t_fake_conf "$g"
converges "supervisor forcing" "$g"

# 6. A stop while another umlctl holds the guest's lock to sweep what a
# killed supervisor left (its pid file names a dead process): busy, try
# again (exit 5), not a failed system call (111; RELIABILITY.md, finding
# 20).  The lock is an OFD lock (rundir.c), held here by python3.
if command -v python3 >/dev/null; then
	g=$(t_name l)
	t_fake_conf "$g"
	t_exit 0 "lock held: start" t_umlctl start "$g"
	sup=$(cat "/run/uml/$g.pid")
	kill -KILL "$sup"
	t_ok "lock held: the supervisor is gone" t_wait 10 sh -c "! kill -0 $sup 2>/dev/null"
	t_ok "lock held: by another process" t_ofd_lock "/run/uml/$g.lock" 4
	holder=$t_ofd_pid
	t_exit 5 "lock held: umlctl stop exits 5" t_umlctl stop "$g"
	t_has "lock held: and says to try again" "try again" "$t_out"
	wait "$holder"
	t_exit 4 "lock held: then stop cleans up (crashed)" t_umlctl stop "$g"
	t_no_leftovers "$g"
fi
t_done
