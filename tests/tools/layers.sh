#!/bin/sh
# layers.sh OBJ...: calls between umlctl's source files go one way, down.
#
# The order below is the architecture, top first (see HACKING.md): a file
# may call functions defined only in files listed after it.  An upward
# call, or two files calling each other, is printed with the symbol and
# makes the exit status 1.  The edges come from the objects' symbol
# tables (nm): every undefined symbol of a file that another file defines.
set -eu

order="
main create cmd show console
supervise ladder sup supcon
host probe cwork net disk rundir clog mconsole privdrop openrc
prepare gimage walk proc kfilter nl util
config confnic confval kargv conf conftab parse kword mcproto kfacts perm runrec logq gcheck cow chars
"

# rank FILE: its place in the order (0: not in it).
rank() {
	# shellcheck disable=SC2086 # $order is a list of words
	printf '%s\n' $order | awk -v f="$1" '$0 == f { print NR; found = 1 } END { if (!found) print 0 }'
}

defs=$(mktemp)
trap 'rm -f "$defs"' EXIT
for o in "$@"; do
	f=$(basename "$o" .o)
	[ "$(rank "$f")" -gt 0 ] || { echo "layers: $f is not in the order in $0" >&2; exit 1; }
	nm -g --defined-only "$o" | awk -v f="$f" 'NF == 3 { print $3, f }'
done >"$defs"

bad=0
for o in "$@"; do
	f=$(basename "$o" .o)
	rf=$(rank "$f")
	for sym in $(nm -u "$o" | awk '{ print $2 }'); do
		to=$(awk -v s="$sym" '$1 == s { print $2; exit }' "$defs")
		if [ -z "$to" ] || [ "$to" = "$f" ]; then
			continue
		fi
		if [ "$(rank "$to")" -le "$rf" ]; then
			echo "layers: $f.c calls $sym() of $to.c, which is not below it"
			bad=1
		fi
	done
done
[ "$bad" -eq 0 ] && echo "layers: calls go one way ($# files)"
exit "$bad"
