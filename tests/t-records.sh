#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Data safety when the kernel dies: a real guest (mkguest.sh --records)
# appends numbered, checksummed records to /records, fsyncs each, then says
# `ack R N' on its console.  Its kernel's main process is SIGKILLed, 20
# rounds, at varied moments: right after start returns (still booting),
# right after userspace is up, and after the Nth acknowledged record (N
# varying, with or without a short delay).  After every kill: status says
# crashed (4), `e2fsck -fy' of the image exits below 4 (every error
# corrected), and every record acknowledged so far, in this round or an
# earlier one, is in /records and intact; then the guest starts again.
# At the end a clean stop leaves a clean image and nothing behind.
# shellcheck source=SCRIPTDIR/lib.sh
. "${0%/*}/lib.sh"
t_init
t_need_umlctl
[ -x "$REALKERNEL" ] || t_skip_all "$REALKERNEL missing"

ROUNDS=20
g=$(t_name k)
t_root_image "$g" --records
img=$T_UMLDIR/$g/root.loop

# acks: every `ack R N' said on the consoles so far, as `R N'.
acks() {
	cat "$T_LOGDIR/$g".*.log | tr -d '\r' | sed -n 's/^ack \([0-9][0-9]*\) \([0-9][0-9]*\)$/\1 \2/p'
}

# check DESC LOG: every acknowledged record is in the image's /records;
# if not, e2fsck's output, /records' inode and LOG's end go to the log.
check() {
	acks >"$T_TMP/acks"
	debugfs -R "cat /records" "$img" 2>/dev/null | tr '\000' '\n' >"$T_TMP/records"
	_r=$(sh "$T_DIR/tools/reccheck.sh" "$T_TMP/acks" "$T_TMP/records")
	_st=$?
	printf '%s\n' "$_r" | grep '^#'
	_bad=$(printf '%s\n' "$_r" | grep -v '^#' | head -20)
	[ "$_st" -eq 0 ] || [ -n "$_bad" ] || _bad="reccheck.sh exited $_st"
	t_eq "$1: every acknowledged record is intact ($(wc -l <"$T_TMP/acks") so far)" "" "$_bad"
	[ -z "$_bad" ] && return 0
	# For a post-mortem: what e2fsck did, what /records is, the console.
	sed 's/^/e2fsck: /' "$T_TMP/fsck" | head -30 | while IFS= read -r _l; do t_log "$_l"; done
	debugfs -R "stat /records" "$img" 2>/dev/null | head -14 |
		while IFS= read -r _l; do t_log "debugfs: $_l"; done
	tail -n 15 "$2" | tr -d '\r' | while IFS= read -r _l; do t_log "console: $_l"; done
}

r=1
t0=$(date +%s)
while [ "$r" -le "$ROUNDS" ]; do
	log=$T_LOGDIR/$g.$r.log
	t_real_conf "$g" CONSOLE_LOG="$log" KERNEL_ARGS="round=$r"
	t_exit 0 "round $r: start" t_umlctl start "$g"
	case $((r % 5)) in
	0) when="right after start" ;;
	1)
		when="as userspace comes up"
		t_wait_log "$log" '^guest: up' 30
		;;
	2)
		k=$((1 + r * 7 % 13))
		when="after ack $k"
		t_wait_log "$log" "^ack $r ${k}[[:space:]]*\$" 30
		;;
	3)
		k=$((20 + r * 11 % 40))
		when="after ack $k"
		t_wait_log "$log" "^ack $r ${k}[[:space:]]*\$" 30
		;;
	4)
		k=$((5 + r * 3 % 30))
		when="0.0$((r % 4 * 3)) s after ack $k"
		t_wait_log "$log" "^ack $r ${k}[[:space:]]*\$" 30
		sleep "0.0$((r % 4 * 3))"
		;;
	esac
	kp=$(t_kernel_pid "$g")
	[ -n "$kp" ] && kill -KILL "$kp"
	t_ok "round $r: the kernel ($kp) is SIGKILLed $when" test -n "$kp"
	t_ok "round $r: status exits 4 (crashed)" t_wait 15 t_status_is 4 t_umlctl status "$g"
	t_ok "round $r: every process of the guest is gone" t_wait 10 t_user_gone "$T_USER"
	e2fsck -fy "$img" >"$T_TMP/fsck" 2>&1
	st=$?
	[ "$st" -ne 0 ] && t_log "round $r: e2fsck exited $st: $(grep -v '^Pass\|^e2fsck\|^$' "$T_TMP/fsck" | head -5 | tr '\n' ' ')"
	t_ok "round $r: e2fsck -fy exits below 4 ($st)" test "$st" -lt 4
	check "round $r" "$log"
	r=$((r + 1))
done
t_log "$ROUNDS rounds in $(($(date +%s) - t0)) s"

# The end: a clean run and a clean stop.
t_real_conf "$g" CONSOLE_LOG="$T_LOGDIR/$g.last.log" KERNEL_ARGS="round=0"
t_exit 0 "last: start" t_umlctl start "$g"
t_ok "last: records are written" t_wait_log "$T_LOGDIR/$g.last.log" '^ack 0 10[[:space:]]*$' 30
t_exit 0 "last: stop" t_umlctl stop "$g"
t_match "last: stopped gracefully" 'stopped, graceful' "$t_out"
t_ok "last: the image is clean (e2fsck -fn)" e2fsck -fn "$img"
check "last" "$T_LOGDIR/$g.last.log"
t_no_leftovers "$g"
t_done
