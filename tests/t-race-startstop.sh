#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Many starts and stops of one guest at once: 8 loops of `start; stop' for
# 20 s (fake kernel), with 3 loops of `status' meanwhile.  At every sample
# (about every 50 ms) at most one kernel of the guest runs; status always
# says running, starting or stopped (0, 7 or 3), never crashed (4); every start
# exits 0 or 5 (busy), every stop 0, 3 (not running) or 5 (still starting);
# at the end one stop leaves nothing behind.  Then the race status can
# lose, made certain with strace delaying its lock query while the guest
# is stopped and started again.
# SC2317: the functions below are called through t_wait or in the
# background, which shellcheck does not follow.
# shellcheck source=SCRIPTDIR/lib.sh disable=SC2317
. "${0%/*}/lib.sh"
t_init
t_need_umlctl
t_need_fake

LOOPS=8
SECONDS_=20
g=$(t_name r)
t_fake_conf "$g"

# loop N END: start and stop until the epoch second END; one line per
# command, `start STATUS' or `stop STATUS', in $T_TMP/loop.N.
loop() {
	while [ "$(date +%s)" -lt "$2" ]; do
		"$UMLCTL" -c "$T_CONF" start "$g" >/dev/null 2>&1
		echo "start $?"
		"$UMLCTL" -c "$T_CONF" stop "$g" >/dev/null 2>&1
		echo "stop $?"
	done >"$T_TMP/loop.$1" 2>&1
}

# statuses N END: status in a tight loop until END; any exit status but 0
# and 3 is written to $T_TMP/status.N with the time and the output.
statuses() {
	while [ "$(date +%s)" -lt "$2" ]; do
		_o=$("$UMLCTL" -c "$T_CONF" status "$g" 2>&1)
		_st=$?
		case $_st in
		0 | 3 | 7) ;;
		*) echo "$(date +%T.%N) $_st $_o" ;;
		esac
	done >"$T_TMP/status.$1" 2>&1
}

# lock_open PID: a child of PID has /run/uml/NAME.lock open.
lock_open() {
	for _c in $(ps --ppid "$1" -o pid=); do
		for _f in "/proc/$_c/fd"/*; do
			[ "$(readlink "$_f" 2>/dev/null)" = "/run/uml/$g.lock" ] && return 0
		done
	done
	return 1
}

# live_kernels: the guest's kernels alive now (process group leaders of
# USER with its umid), confirmed: a scan of /proc is not atomic, so with
# more than one, each is looked at again, newest first; an older one still
# alive after a newer one was seen alive means both ran at once.
live_kernels() {
	_pids=$(ps -u "$T_USER" -o pid=,pgid=,stat=,args= | awk -v w="umid=$g" \
		'$1 == $2 && $3 !~ /^Z/ { for (i = 4; i <= NF; i++) if ($i == w) { print $1; break } }')
	_c=$(printf '%s\n' "$_pids" | grep -c .)
	if [ "$_c" -le 1 ]; then
		echo "$_c"
		return
	fi
	_n=0
	for _p in $(for _q in $_pids; do
		printf '%s %s\n' "$(sed 's/.*) //' "/proc/$_q/stat" 2>/dev/null | cut -d' ' -f20)" "$_q"
	done | sort -rn | cut -d' ' -f2); do
		_s=$(sed 's/.*) //' "/proc/$_p/stat" 2>/dev/null | cut -c1)
		case $_s in
		'' | Z | X) ;;
		*) _n=$((_n + 1)) ;;
		esac
	done
	echo "$_n"
}

end=$(($(date +%s) + SECONDS_))
i=0
pids=
while [ "$i" -lt "$LOOPS" ]; do
	loop "$i" "$end" &
	pids="$pids $!"
	i=$((i + 1))
done
for i in 1 2 3; do
	statuses "$i" "$end" &
	pids="$pids $!"
done
t_defer "kill $pids"

samples=0
most=0
bad_status=
while [ "$(date +%s)" -lt "$end" ]; do
	n=$(live_kernels)
	[ "$n" -gt "$most" ] && most=$n
	"$UMLCTL" -c "$T_CONF" status "$g" >"$T_TMP/status" 2>&1
	st=$?
	case $st in
	0 | 3 | 7) ;;
	*) bad_status="$bad_status|$(date +%T.%N) $st: $(cat "$T_TMP/status")" ;;
	esac
	samples=$((samples + 1))
	sleep 0.05
done
for p in $pids; do
	wait "$p"
done

t_log "$samples samples"
t_ok "some samples were taken (at least 20, even on a loaded machine)" test "$samples" -ge 20
t_eq "at most one kernel at every sample" 1 "$most"
t_eq "status never exited but 0, 3 or 7" "" "$bad_status"
t_eq "status in a tight loop never exited but 0, 3 or 7" "" "$(cat "$T_TMP"/status.*)"
cat "$T_TMP"/loop.* >"$T_TMP/all"
t_log "outcomes: $(sort "$T_TMP/all" | uniq -c | tr -s ' \n' '  ')"
t_eq "every start exited 0 or 5" "" "$(grep '^start' "$T_TMP/all" | grep -v '^start [05]$' | sort | uniq -c)"
t_eq "every stop exited 0, 3 or 5" "" "$(grep '^stop' "$T_TMP/all" | grep -v '^stop [035]$' | sort | uniq -c)"
t_ok "starts succeeded" grep -q '^start 0$' "$T_TMP/all"
t_ok "stops succeeded" grep -q '^stop 0$' "$T_TMP/all"
t_nomatch "the log has no crash" 'crashed|panic|killed' "$(t_console "$T_LOGDIR/$g.log")"

# The end: whatever state the loops left, one stop makes it stopped.
t_run t_umlctl stop "$g"
t_ok "a last stop exits 0 or 3" test "$t_status" -eq 0 -o "$t_status" -eq 3
t_exit 3 "status exits 3" t_umlctl status "$g"
t_match "status says stopped" "^$g: stopped" "$t_out"
t_eq "no temporary file left in /run/uml" "" "$(find /run/uml -maxdepth 1 -name ".$g*")"
t_no_leftovers "$g"

# 2. The race status loses above, made certain: status has opened
# NAME.lock, its lock query (fcntl) is held back 1 s by strace, and
# meanwhile the guest is stopped and started again.  status must still
# not say crashed.
if command -v strace >/dev/null; then
	t_exit 0 "delayed status: start" t_umlctl start "$g"
	strace -f -o /dev/null -e trace=fcntl -e inject=fcntl:delay_enter=1000000 \
		"$UMLCTL" -c "$T_CONF" status "$g" >"$T_TMP/delayed" 2>&1 &
	tracer=$!
	t_ok "delayed status: it has opened $g.lock" t_wait 5 lock_open "$tracer"
	t_exit 0 "delayed status: stop" t_umlctl stop "$g"
	t_exit 0 "delayed status: start again" t_umlctl start "$g"
	wait "$tracer"
	st=$?
	t_match "delayed status: exits 0 or 7 (running or starting), not 4" '^(0|7)$' "$st"
	t_nomatch "delayed status: does not say crashed" crashed "$(cat "$T_TMP/delayed")"
	t_exit 0 "delayed status: stop" t_umlctl stop "$g"
	t_no_leftovers "$g"
fi
t_done
