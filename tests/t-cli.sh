#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# The command line face: every command's usage errors (exit 100, its own
# usage line), -h and --help (usage on stdout, exit 0), --version, root
# only where the table says, `list' with guests in each state, and
# umlctl(8) agreeing with the table and with src/pure/guest.h's exit statuses.
# shellcheck source=SCRIPTDIR/lib.sh
. "${0%/*}/lib.sh"
t_init
t_need_umlctl
t_need_fake
man=$T_ROOT/man/umlctl.8

t_exit 0 "-h exits 0" "$UMLCTL" -h
t_has "-h prints the usage" "usage: umlctl [-c confdir] command" "$t_out"
t_exit 0 "--help exits 0" "$UMLCTL" --help
help=$t_out
t_exit 0 "--version exits 0" "$UMLCTL" --version
t_eq "--version prints the VERSION file's" "umlctl $(cat "$T_ROOT/VERSION")" "$t_out"
t_exit 100 "no command: exit 100" "$UMLCTL"
t_has "no command: usage" "usage: umlctl" "$t_out"
t_exit 100 "an unknown option: exit 100" "$UMLCTL" -x list
t_exit 100 "an unknown command: exit 100" "$UMLCTL" frobnicate
t_has "an unknown command is named" 'unknown command "frobnicate"' "$t_out"

# help: a line per command, and per command a line per option, from the
# table (issue 26); `umlctl COMMAND --help' the same, for anybody.
t_exit 0 "help exits 0" "$UMLCTL" help
t_eq "help is -h's text" "$help" "$t_out"
cmds=$(printf '%s\n' "$help" | awk '$1 == "umlctl" && $2 ~ /^[a-z]/ { print $2 }')
for c in $cmds; do
	t_match "help describes $c on a line" "^  $c +[a-z]" "$help"
	t_exit 0 "$c --help exits 0" "$UMLCTL" "$c" --help
	chelp=$t_out
	t_exit 0 "help $c exits 0" "$UMLCTL" help "$c"
	t_eq "help $c is $c --help" "$chelp" "$t_out"
	usage=$(printf '%s\n' "$help" | awk -v c="$c" '$1 == "umlctl" && $2 == c')
	t_has "$c --help: its usage" "usage: $(printf '%s' "$usage" | sed 's/^ *//')" "$chelp"
	for o in $(printf '%s\n' "$usage" | grep -oE '\[--?[a-z-]+' | tr -d '['); do
		case $o in
		--*) t_match "$c --help: a line for $o" "^  -[a-z], $o( [^ ]+ *$| +[A-Za-z])" "$chelp" ;;
		*) t_match "$c --help: a line for $o" "^  $o( [a-z]+)? +[A-Za-z]" "$chelp" ;;
		esac
	done
done
t_has "create --help: the SOURCE forms" "debian:SUITE" "$(t_umlctl create --help)"
t_has "mconsole --help: its words" "COMMAND, spelled out: version, halt" \
	"$(t_umlctl mconsole --help)"
t_exit 0 "start --help as $T_USER: exits 0 (no root needed)" \
	setpriv --reuid="$T_USER" --regid="$T_USER" --clear-groups "$UMLCTL" start --help
t_exit 100 "help of an unknown command: exit 100" "$UMLCTL" help frob
t_has "help of an unknown command: named" 'unknown command "frob"' "$t_out"
t_exit 100 "help with two words: exit 100" "$UMLCTL" help start stop

# Each command with too few and too many arguments, and a bad flag.
for row in "start:[-f] [-q] NAME" "stop:NAME" "status:[--json] NAME" "check:[-q] NAME" \
	"show:[--json] NAME" "mconsole:NAME COMMAND [ARG...]"; do
	c=${row%%:*}
	t_exit 100 "$c without arguments: exit 100" t_umlctl "$c"
	t_eq "$c without arguments: its usage" "usage: umlctl $c ${row#*:}" "$t_out"
	t_exit 100 "$c -z: exit 100" t_umlctl "$c" -z x
	t_has "--help lists $c" "umlctl $c ${row#*:}" "$help"
done
for c in start stop status check show remove; do
	t_exit 100 "$c with two names: exit 100" t_umlctl "$c" a b
done
t_exit 100 "list with an argument: exit 100" t_umlctl list x
t_eq "list with an argument: its usage" "usage: umlctl list [--json]" "$t_out"
t_exit 100 "stop -f: only start has -f" t_umlctl stop -f x
t_exit 100 "mconsole with an unknown word: exit 100" t_umlctl mconsole x frob
t_has "mconsole with an unknown word: says why" 'unknown command "frob"' "$t_out"

# Root only where the table says: show is the one command for anybody.
g=$(t_name s)
t_fake_conf "$g"
for c in start stop status check list; do
	if [ "$c" = list ]; then set -- list; else set -- "$c" "$g"; fi
	t_exit 100 "$c as $T_USER: exit 100" \
		setpriv --reuid="$T_USER" --regid="$T_USER" --clear-groups "$UMLCTL" -c "$T_CONF" "$@"
	t_has "$c as $T_USER: says root" "must be run as root" "$t_out"
done
t_exit 0 "show as $T_USER works" \
	setpriv --reuid="$T_USER" --regid="$T_USER" --clear-groups "$UMLCTL" -c "$T_CONF" show "$g"
t_has "show: a default size in its largest exact unit" "CONSOLE_LOG_MAX='1M'" "$t_out"

# show's assignments, pasted back as a guest's whole conf.d file, give the
# same configuration (issue 15): every variable is there, NICs included.
pg=$(t_name p)
t_fake_conf "$pg" NET="up$$ up-$$" "BRIDGE_up$$=br0" "MAC_up_$$=52:54:00:01:02:03" \
	KERNEL_ARGS="fake.record=$T_REC/$pg quiet" MEMORY=96M NET_TRANSPORT=vector \
	CONSOLE_LOG_MAX=2048K
t_exit 0 "show: NICs and KERNEL_ARGS" t_umlctl show "$pg"
first=$t_out
for v in "NET='up$$ up-$$'" "BRIDGE_up$$='br0'" "MAC_up_$$='52:54:00:01:02:03'" \
	"BRIDGE_up_$$=''" "KERNEL_ARGS='fake.record=$T_REC/$pg quiet'" "MEMORY='96M'" "CONSOLE_LOG_MAX='2048K'" \
	"NET_TRANSPORT='vector'"; do
	t_has "show: $v" "$v" "$first"
done
printf '%s\n' "$first" | grep -v '^#' >"$T_CONF/uml.$pg"
t_exit 0 "show of the pasted-back file" t_umlctl show "$pg"
t_eq "show: pasted back, the same assignments" "$(printf '%s\n' "$first" | grep -v '^#')" \
	"$(printf '%s\n' "$t_out" | grep -v '^#')"
rm -f "$T_CONF/uml.$pg"

# list: one line per guest, its state.
run=$(t_name r)
t_fake_conf "$run"
dead=$(t_name d)
t_fake_conf "$dead"
t_ok "list: start one guest" t_umlctl start "$run"
t_match "start by hand: one line on success" "^$run: running, ready in [0-9]+\.[0-9] s$" "$t_out"
t_eq "start by hand: that line alone" 1 "$(printf '%s\n' "$t_out" | wc -l)"
t_nomatch "start by hand: no ptrace line (check says it)" "ptrace" "$t_out"
t_ok "list: start another" t_umlctl start -q "$dead"
t_eq "start -q (the runscript's): nothing on success" "" "$t_out"
kp=$(t_kernel_pid "$dead")
[ -n "$kp" ] && kill -KILL "$kp"
t_ok "list: the killed one is seen crashed" t_wait 10 t_status_is 4 t_umlctl status "$dead"
t_exit 0 "list exits 0" t_umlctl list
t_match "list: a header" "^NAME +STATE +UPTIME +MEMORY +CPUS +NICS +USER$" "$t_out"
t_match "list: a guest never started is stopped, no uptime, its figures" \
	"^$g +stopped +- +[0-9]+[KMG] +1 +0 +$T_USER$" "$t_out"
t_match "list: the running guest, its uptime" \
	"^$run +running +[0-9]+(s|m[0-9]+s) +[0-9]+[KMG] +1 +0 +$T_USER$" "$t_out"
t_match "list: the crashed guest, with how at the end" \
	"^$dead +crashed +- +[0-9]+[KMG] +1 +0 +$T_USER +[^ ]" "$t_out"
t_eq "list: one line per conf.d file" 3 "$(printf '%s\n' "$t_out" | grep -c "^t$$")"
rows=$(printf '%s\n' "$t_out" | sed -n '2,$s/ .*//p')
t_eq "list: sorted by name" "$(printf '%s\n' "$rows" | LC_ALL=C sort)" "$rows"
t_ok "list: stop the running guest" t_umlctl stop "$run"
t_exit 0 "list exits 0 again" t_umlctl list
t_match "list: the stopped guest says how" "^$run +stopped +- .* $T_USER +graceful: " "$t_out"
t_exit 0 "list --json: still an array" t_umlctl list --json
t_match "list --json: no header" '^\[' "$t_out"

# check warns, and still passes, where the walls around a guest are thin:
# any process of USER may ptrace its kernel (Yama absent or scope 0), or
# another running guest has the same USER.
w1=$(t_name w1)
w2=$(t_name w2)
t_fake_conf "$w1"
t_fake_conf "$w2"
t_ok "warnings: start $w1" t_umlctl start "$w1"
t_exit 0 "warnings: check $w2 exits 0" t_umlctl check "$w2"
t_match "warnings: check names the other guest of the same USER" \
	"warning: USER=\"$T_USER\" also runs (.* )?$w1(:| )" "$t_out"
# The ptrace line says which Yama case applies and what would fix it; -q
# (the runscript's restart) leaves it out.  The host's case here:
scope=$(cat /proc/sys/kernel/yama/ptrace_scope 2>/dev/null || echo absent)
case $scope in
absent) t_has "ptrace: no Yama: a note, no setting advised" \
		"$w2: note: ptrace: this host's kernel has no Yama" "$t_out"
	t_nomatch "ptrace: no Yama: no sysctl advice" "sysctl" "$t_out" ;;
0) t_has "ptrace: scope 0: the fix" "sysctl -w kernel.yama.ptrace_scope=1" "$t_out" ;;
*) t_has "ptrace: scope $scope: nothing to fix" \
		"ptrace_scope is $scope: USER's other processes cannot" "$t_out" ;;
esac
t_exit 0 "ptrace: check -q exits 0" t_umlctl check -q "$w2"
t_nomatch "ptrace: check -q: no ptrace line" "ptrace" "$t_out"
t_has "ptrace: check -q: the other warnings stay" "also runs" "$t_out"
# Each case, played by the ASan build's UMLCTL_TEST_PTRACE_SCOPE.
asan=$T_ROOT/build/asan/umlctl
[ -x "$asan" ] || t_bail "$asan missing: run make build/asan/umlctl"
for row in "-1|note: ptrace: this host's kernel has no Yama|keep USER an account that runs nothing else" \
	"0|warning: ptrace: kernel.yama.ptrace_scope is 0|fix: sysctl -w" \
	"1|ptrace_scope is 1|nothing to fix"; do
	s=${row%%|*} rest=${row#*|}
	t_exit 0 "ptrace: scope $s: check exits 0" env UMLCTL_TEST_PTRACE_SCOPE="$s" \
		"$asan" -c "$T_CONF" check "$w2"
	t_has "ptrace: scope $s: ${rest%%|*}" "${rest%%|*}" "$t_out"
	t_has "ptrace: scope $s: ${rest#*|}" "${rest#*|}" "$t_out"
done
# show names Yama's absence as such, not as scope 0.
t_exit 0 "show, no Yama: exits 0" env UMLCTL_TEST_PTRACE_SCOPE=-1 "$asan" -c "$T_CONF" show "$w2"
t_match "show, no Yama: says so" "^# kernel: .*; no Yama in the host's kernel$" "$t_out"
t_nomatch "show, no Yama: no ptrace_scope figure" "ptrace_scope" "$t_out"
t_exit 0 "show, scope 2: exits 0" env UMLCTL_TEST_PTRACE_SCOPE=2 "$asan" -c "$T_CONF" show "$w2"
t_match "show, scope 2: the figure" "^# kernel: .*; host Yama ptrace_scope 2$" "$t_out"
t_ok "warnings: stop $w1" t_umlctl stop "$w1"
t_exit 0 "warnings: check $w2 again" t_umlctl check "$w2"
t_nomatch "warnings: $w1 is no longer named" "also runs (.* )?$w1(:| )" "$t_out"

# umlctl(8) has every exit status of src/pure/guest.h, with its number.
codes=$(sed -n 's/^\tEX_[A-Z]* = \([0-9]*\),.*/\1/p' "$T_ROOT/src/pure/guest.h" | sort -n | tr '\n' ' ')
man_codes=$(awk '/^\.Sh EXIT STATUS/ { on = 1; next } /^\.Sh/ { on = 0 }
	on && /^\.It [0-9]+$/ { print $2 }' "$man" | sort -n | tr '\n' ' ')
t_eq "umlctl(8) lists the exit statuses of src/pure/guest.h" "$codes" "$man_codes"
# umlctl(8) has a subsection per command of the table in src/cli/main.c,
# in the table's order.
table=$(sed -n 's/^\t{ "\([a-z]*\)", cmd_.*/\1/p' "$T_ROOT/src/cli/main.c" | tr '\n' ' ')
subs=$(sed -n 's/^\.Ss \([a-z]*\)$/\1/p' "$man" | tr '\n' ' ')
t_match "the command table has its rows" "^start stop status .* help $" "$table"
t_eq "umlctl(8) has a .Ss per command, in the table's order" "$table" "$subs"
t_done
