#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# umlctl reads conf.d files itself; OpenRC sources them with sh.  Every
# file umlctl accepts must give the same assignments in real shells (dash,
# bash --posix, busybox sh): the golden fixtures, the fuzz seed corpus and
# a few thousand generated files.  (Files it refuses need no comparison:
# refusing is the safe answer; the golden .err files pin the messages.)
# shellcheck source=SCRIPTDIR/lib.sh
. "${0%/*}/lib.sh"
t_init
dump=$T_ROOT/build/confdump
[ -x "$dump" ] || t_bail "$dump missing: run make build/confdump"

shells="dash|bash --posix|busybox sh"
accepted=0
mismatch=0
refused=0

# What shell $1 assigns to the names in $3 when it sources file $2.
sh_dump() {
	# $1 is a command with arguments and $3 a list of names: both split on
	# purpose.  SC2016: the script is expanded by the shell under test.
	# shellcheck disable=SC2016,SC2086
	env -i RC_SVCNAME=uml.x $1 -c '. "$1" >/dev/null 2>&1 || exit 99
		shift
		for n in "$@"; do
			eval "v=\${$n}"
			printf "%s=" "$n"
			printf "%s" "$v" | od -An -v -tx1 | tr -d " \n"
			echo
		done' sh "$2" $3
}

compare() {
	if ! "$dump" "$1" >"$T_TMP/c" 2>/dev/null; then
		refused=$((refused + 1))
		return
	fi
	accepted=$((accepted + 1))
	names=$(sed 's/=.*//' "$T_TMP/c" | tr '\n' ' ')
	IFS='|'
	for s in $shells; do
		IFS=' '
		if ! sh_dump "$s" "$1" "$names" >"$T_TMP/s" 2>/dev/null ||
			! cmp -s "$T_TMP/c" "$T_TMP/s"; then
			mismatch=$((mismatch + 1))
			echo "# $1: $s disagrees:"
			sed 's/^/#   /' "$1" | head -5
			diff "$T_TMP/c" "$T_TMP/s" | sed 's/^/#   /' | head -6
		fi
		IFS='|'
	done
	IFS=' '
}

for f in "$T_DIR"/golden/*.conf "$T_DIR"/fuzz/corpus/fuzz_conf/*; do
	[ -f "$f" ] && compare "$f"
done
fixed=$accepted

# Generated files: assignments built from fragments that exercise quoting,
# expansion, comments and the characters sh treats specially.
awk -v n="${T_CONF_CASES:-3000}" -v dir="$T_TMP" 'BEGIN {
	srand(12345)
	k = split("A B C_1 USER MEMORY NET", names, " ")
	m = split("x|128M|a b|\x27q r\x27|\"d $A\"|${B}|$C_1|\"${RC_SVCNAME}\"|#c| #c|\\\\n|\"\\\\$x\"|\"\\\\\\\\\"|\x27$A\x27|=|,|:|*|?|[a]|!|%|@|{x}|\"\"|\x27\x27|-|_|\"a\\tb\"|\"é\"|;|$(x)|`x`|~|&|\"unterminated|$|${A:-x}|\\\\ ", f, "|")
	for (i = 0; i < n; i++) {
		file = sprintf("%s/gen%05d.conf", dir, i)
		lines = 1 + int(rand() * 4)
		for (l = 0; l < lines; l++) {
			line = names[1 + int(rand() * k)] "="
			parts = int(rand() * 4)
			for (p = 0; p < parts; p++)
				line = line f[1 + int(rand() * m)]
			if (rand() < 0.2)
				line = line " " names[1 + int(rand() * k)] "=" f[1 + int(rand() * m)]
			print line > file
		}
		close(file)
	}
}'
for f in "$T_TMP"/gen*.conf; do
	compare "$f"
done

echo "# fixed files accepted: $fixed; all accepted: $accepted; refused: $refused"
t_eq "every accepted file gives the same assignments in dash, bash --posix and busybox sh" 0 "$mismatch"
t_ok "the fixtures exercise the parser (at least 90 accepted)" test "$fixed" -ge 90
t_ok "generated files exercise it too (at least 600 accepted in all)" test "$accepted" -ge 600
t_ok "and some are refused (the generator reaches the refusals)" test "$refused" -ge 100
t_done
