#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# The console log is written by the supervisor from a pipe (issues 16 and
# 11): the kernel never holds a descriptor of the file.  A flooding guest
# keeps it within CONSOLE_LOG_MAX (plus NAME.log.old), its forged
# "umlctl:" lines are quoted, its /proc/mconsole lines are rate-limited; a
# process that escaped the kernel cannot truncate the log, nor write to it
# after the guest stopped; logrotate with the shipped file (whose
# postrotate runs `umlctl reopen': SIGHUP) loses no line.
# shellcheck source=SCRIPTDIR/lib.sh
. "${0%/*}/lib.sh"
t_init
t_need_umlctl
t_need_fake

# size FILE: its size in bytes (0 if missing).
size() {
	if [ -e "$1" ]; then stat -c %s "$1"; else echo 0; fi
}

# --- a flood, with a forger ---------------------------------------------
g=$(t_name f)
log=$T_LOGDIR/$g.log
t_fake_conf "$g" CONSOLE_LOG_MAX=256K KERNEL_ARGS="fake.record=$T_REC/$g fake.flood=2048"
t_exit 0 "flood: start" t_umlctl start "$g"
t_ok "flood: the last flood line is logged" t_wait 20 grep -q 'flood line 0032766' "$log"
t_ok "flood: the log is within CONSOLE_LOG_MAX" test "$(size "$log")" -le 262144
t_ok "flood: the part before is NAME.log.old, within it too" \
	test "$(size "$log.old")" -gt 0 -a "$(size "$log.old")" -le 262144
t_exit 0 "flood: stop" t_umlctl stop "$g"
all=$(cat "$log.old" "$log")
t_nomatch "flood: no forged line passes for umlctl's" '^umlctl: [^ ]*: stopped, graceful [0-9]' "$all"
t_match "flood: forged lines are there, quoted" '^>umlctl: [^ ]*: stopped, graceful 0032759$' "$all"
t_match "flood: umlctl's own lines carry the date" \
	"^umlctl: [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:.]+: $g: stopped, graceful" "$(cat "$log")"
said=$(grep -c ': guest says: flood' "$log.old" "$log" | awk -F: '{ n += $NF } END { print n }')
t_ok "flood: /proc/mconsole lines are rate-limited (logged: $said of 200)" test "$said" -le 25
t_match "flood: the dropped ones are counted" 'line\(s\) the guest asked for were not logged' "$all"
t_no_leftovers "$g"

# --- an escapee ------------------------------------------------------------
g=$(t_name e)
log=$T_LOGDIR/$g.log
t_fake_conf "$g" KERNEL_ARGS="fake.record=$T_REC/$g fake.escape"
t_exit 0 "escapee: start" t_umlctl start "$g"
t_ok "escapee: it runs and writes" t_wait 5 grep -q 'escapee alive' "$log"
t_match "escapee: it could not truncate the log" 'escapee: ftruncate stdout: Invalid argument' "$(cat "$log")"
t_exit 0 "escapee: stop" t_umlctl stop "$g"
before=$(size "$log")
sleep 1
t_eq "escapee: nothing is written after the stop" "$before" "$(size "$log")"
t_no_leftovers "$g"

# --- rotation by logrotate with the shipped file: nothing lost ------------
g=$(t_name r)
log=$T_LOGDIR/$g.log
t_fake_conf "$g" KERNEL_ARGS="fake.record=$T_REC/$g fake.chatter=20"
t_exit 0 "rotate: start" t_umlctl start "$g"
t_ok "rotate: ticks come" t_wait 5 grep -q '^tick 20$' "$log"
# logrotate.d/uml as make install writes it, for this test's log and umlctl.
sed -e "s|^/var/log/uml/\*\.log|$log|" -e "s|@SBINDIR@/umlctl|$UMLCTL|" \
	"$T_ROOT/logrotate.d/uml" >"$T_TMP/logrotate.conf"
t_exit 0 "rotate: logrotate -f with the shipped configuration" \
	logrotate -f -s "$T_TMP/logrotate.state" "$T_TMP/logrotate.conf"
t_ok "rotate: the old file is NAME.log.1" test -s "$log.1"
t_ok "rotate: new lines go to a new file (umlctl reopen: SIGHUP)" t_wait 5 grep -q '^tick' "$log"
t_exit 0 "rotate: the guest still runs" t_umlctl status "$g"
t_exit 0 "rotate: stop" t_umlctl stop "$g"
ticks=$(cat "$log.1" "$log" | sed -n 's/^tick //p')
last=$(printf '%s\n' "$ticks" | tail -n 1)
t_eq "rotate: every tick, in order, once" "$(seq 1 "$last")" "$ticks"
t_ok "rotate: the new file has lines" test "$(grep -c '^tick' "$log")" -gt 0
t_exit 3 "reopen of a guest that is not running exits 3" t_umlctl reopen "$g"
t_has "reopen says so" "not running" "$t_out"

# --- a forgery across a rotation: the new file's first line is quoted ----
g=$(t_name s)
log=$T_LOGDIR/$g.log
t_fake_conf "$g" KERNEL_ARGS="fake.record=$T_REC/$g fake.slowforge=4000"
t_exit 0 "span: start" t_umlctl start "$g"
t_ok "span: the line began" t_wait 5 grep -q 'partial $' "$log"
mv "$log" "$log.1"
t_exit 0 "span: umlctl reopen, mid-line" t_umlctl reopen "$g"
t_ok "span: the line ended in the new file" t_wait 8 grep -q 'forged' "$log"
t_nomatch "span: no line of the new file passes for umlctl's" \
	"^umlctl: $g: stopped, graceful \(forged\)" "$(cat "$log")"
t_match "span: it is quoted" "^>umlctl: $g: stopped, graceful \(forged\)" "$(cat "$log")"
t_match "span: the old file ended the line" '^partial $' "$(cat "$log.1")"
t_exit 0 "span: stop" t_umlctl stop "$g"

# --- a log that ends mid-line (a kernel killed with its supervisor in the
# middle of a guest's line): umlctl's next line starts a line of its own
# (the soak's boot count missed a boot glued to `ack 405 13':
# RELIABILITY.md, finding 19).
g=$(t_name m)
t_fake_conf "$g"
log=$T_LOGDIR/$g.log
printf 'ack 405 13' >"$log"
t_exit 0 "mid-line: start" t_umlctl start "$g"
t_match "mid-line: the old line is ended" '^ack 405 13$' "$(cat "$log")"
t_match "mid-line: umlctl's first line starts a line" \
	"^umlctl: .* $g: kernel .* started as pid" "$(cat "$log")"
t_exit 0 "mid-line: stop" t_umlctl stop "$g"

# --- a bad bound is refused --------------------------------------------
g=$(t_name b)
t_fake_conf "$g" CONSOLE_LOG_MAX=1K
t_refused "CONSOLE_LOG_MAX=1K" "$g" 'CONSOLE_LOG_MAX="1K"' 'too small (at least 64K)'
t_done
