#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# umlctl console NAME (issue 11): the admin's terminal on a running guest's
# console, in a real pty (script(1)): the last console lines are replayed,
# a command typed at the guest's shell runs and its output comes back,
# Ctrl-] detaches and the guest runs on; a second session while one is
# attached is refused (exit 5); a stopped guest is exit 3; no terminal is
# exit 100.  The log keeps receiving the console meanwhile.
# shellcheck source=SCRIPTDIR/lib.sh
. "${0%/*}/lib.sh"
t_init
t_need_umlctl
command -v script >/dev/null || t_skip_all "no script(1) (util-linux)"

# pty OUT INPUT-SCRIPT: umlctl console NAME in a pty made by script(1),
# its terminal fed by the sh commands in INPUT-SCRIPT; the session's
# output in OUT; the exit status umlctl's.
pty() {
	_out=$1
	_in=$2
	shift 2
	sh -c "$_in" | script -qfec "$UMLCTL -c $T_CONF console $*" "$_out" >/dev/null 2>&1
}

g=$(t_name x)
t_fake_conf "$g" 2>/dev/null || t_conf "$g" USER="$T_USER"
t_exit 100 "no terminal: exit 100" t_umlctl console "$g"
t_has "no terminal: says so" "must be a terminal" "$t_out"
pty "$T_TMP/stopped.out" 'sleep 1'  "$g"
t_eq "a stopped guest: exit 3" 3 "$?"
t_has "a stopped guest: says so" "$g: not running" "$(cat "$T_TMP/stopped.out")"

[ -x "${REALKERNEL:-}" ] || t_skip_all "no real kernel"
g=$(t_name c)
t_root_image "$g" --shell
t_real_conf "$g"
t_exit 0 "start" t_umlctl start "$g"
t_ok "up" t_wait_up "$g" 1
kp=$(t_kernel_pid "$g")
pty "$T_TMP/s1.out" "sleep 2; printf 'echo console-works-\$((6 * 7))\\r'; sleep 2; printf '\\035'; sleep 2" "$g"
t_eq "attach, type, detach: exit 0" 0 "$?"
out=$(tr -d '\r' <"$T_TMP/s1.out")
t_log "session: $out"
t_has "the console is attached, with the escape named" "console attached; Ctrl-] detaches" "$out"
t_has "the last console lines are replayed" "guest: up" "$out"
t_has "the typed command ran in the guest, its output came back" "console-works-42" "$out"
t_has "Ctrl-] detached" "detached; the guest runs on" "$out"
t_exit 0 "the guest still runs" t_umlctl status "$g"
t_eq "the same kernel" "$kp" "$(t_kernel_pid "$g")"
t_ok "the log got the command's output too" grep -q "console-works-42" "$T_LOGDIR/$g.log"
t_ok "the log says the console was attached and detached" \
	t_in_order "$T_LOGDIR/$g.log" "$g: console attached" "$g: console detached"

# The replay of a console longer than the replay begins at a whole line
# (issue 26: it began inside a line, or an escape sequence).  The guest
# prints one line of 3600 bytes, bold digits (each group inside an escape
# sequence), then a short line and its prompt: the last 2048 bytes are cut
# from inside the long line, so a replay that began at the cut would begin
# with a piece of it.  The short line is computed in the guest, so its
# text is not in the echo of the command typed.
# feed OUT TYPE FILE TEXT: a session's keys, as sh: once OUT shows the
# console attached, TYPE (none if empty), then, once FILE holds TEXT,
# Ctrl-], and its end once OUT says detached (each wait a poll, bounded:
# 30 s).
# shellcheck disable=SC2016 # $1 and $i: the feeder's own
feed() {
	printf '%s\n' 'w() { i=0; while ! grep -qa -e "$2" "$1" && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done; }' \
		"w '$1' 'console attached'" \
		"${2:+printf '%s\\r' '$2'}" \
		"w '$3' '$4'" "printf '\\035'" "w '$1' 'detached'"
}
# shellcheck disable=SC2016 # the guest's shell expands it
long='i=0; while [ $i -lt 200 ]; do printf "\033[1m%s\033[0m" 0123456789; i=$((i + 1)); done; echo; echo "replay-$((6 * 7))-whole"'
pty "$T_TMP/long.out" "$(feed "$T_TMP/long.out" "$long" "$T_LOGDIR/$g.log" '^replay-42-whole')" "$g"
t_eq "the guest printed a long line: exit 0" 0 "$?"
t_ok "... and the short line after it" grep -q "^replay-42-whole" "$T_LOGDIR/$g.log"
pty "$T_TMP/replay.out" "$(feed "$T_TMP/replay.out" '' "$T_TMP/replay.out" 'replay-42-whole')" "$g"
t_eq "a session after the long line: exit 0" 0 "$?"
# What came between the banner and the detach line.
replay=$(tr -d '\r' <"$T_TMP/replay.out" | sed -n '/console attached; Ctrl-\] detaches/,$p' |
	sed '1d; /^umlctl: /,$d')
t_log "replay: $(printf '%s' "$replay" | od -c | head -n 8)"
t_eq "the replay begins at the whole line after the cut one" "replay-42-whole" \
	"$(printf '%s\n' "$replay" | head -n 1)"
t_nomatch "no piece of the cut line (digits, escape sequences) is replayed" \
	'[0-9]{3}|\[[01]m' "$replay"

# One session at a time: a second one is refused while the first is on.
sh -c 'sleep 8; printf "\035"; sleep 1' |
	script -qfec "$UMLCTL -c $T_CONF console $g" "$T_TMP/first.out" >/dev/null 2>&1 &
first=$!
t_ok "the first session is attached" t_wait 5 grep -q "console attached" "$T_TMP/first.out"
pty "$T_TMP/second.out" 'sleep 1' "$g"
t_eq "a second session: exit 5" 5 "$?"
t_has "a second session: says why" "another session is attached" "$(cat "$T_TMP/second.out")"
wait "$first"
t_has "the first session detached normally" "detached" "$(cat "$T_TMP/first.out")"

t_exit 0 "stop" t_umlctl stop "$g"
t_no_leftovers "$g"
t_done
