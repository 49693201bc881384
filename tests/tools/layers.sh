#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# layers.sh "LAYER..." OBJ...: calls between umlctl's source files go one
# way, down the layers; the pure layer does no I/O and keeps no state.
#
# LAYER... is the Makefile's LAYERS, top first: src/ has one folder per
# layer and OBJ is build/obj/LAYER/NAME.o.  The edges come from the
# objects' symbol tables (nm): every undefined symbol of a file that another
# file defines.  Rules, each violation printed with the symbol:
#   1. a file calls only files of its own folder or of a folder after it;
#   2. the calls inside one folder have no cycle (a cycle means a function
#      lives in the wrong file);
#   3. a pure object uses from outside the project only the C library's
#      memory, string and formatting functions ($pure_libc below);
#   4. a pure object defines no writable data (.data, .bss), but for the
#      named exceptions in $pure_state.
# With -s SRC (the tree the objects come from, SRC/LAYER/NAME.c), also:
#   5. every .c below SRC is in a layer's folder (else the Makefile's
#      wildcards would leave it unbuilt, silently);
#   6. no source keeps a function pointer in a global or a static (a
#      hidden upcall: pass it per call), whether written out as (*name)(,
#      as a typedef'd function pointer type or as a struct holding one;
#      but for the sanctioned inversions in $callback_ok (HACKING.md).
# Exit status: 0 all hold; 1 one does not; 2 bad arguments.
set -eu

src=
if [ "${1-}" = -s ]; then
	[ $# -ge 2 ] || { echo "layers.sh: -s needs a folder" >&2; exit 2; }
	src=$2
	shift 2
fi
[ $# -ge 2 ] || { echo "usage: layers.sh [-s SRC] \"LAYER...\" OBJ..." >&2; exit 2; }
layers=$1
shift
pure=pure

# What the pure layer may take from libc: no I/O, no allocation, no clock.
# (gmtime_r and strftime format a time given to them; the _chk names are
# _FORTIFY_SOURCE's checked versions of the same functions.)
pure_libc="memchr memcmp memcpy memmove memset memmem
strlen strnlen strchr strrchr strcmp strncmp strcspn strspn strstr strcpy strncpy
snprintf vsnprintf sscanf __isoc99_sscanf strtol strtoul strtoll strtoull
qsort bsearch gmtime_r strftime
__snprintf_chk __vsnprintf_chk __memcpy_chk __memmove_chk __memset_chk
__strcpy_chk __strncpy_chk __stack_chk_fail _GLOBAL_OFFSET_TABLE_"

# Writable data a pure file may keep, as FILE:SYMBOL (a function static is
# SYMBOL.N in the object).  gcheck.c: the scratch buffers for the files it
# reads (64 KiB; static so that the fuzzer's stack stays small): not
# reentrant, said in gcheck.h.
pure_state="gcheck:s gcheck:r"

# Function pointers kept in a global, as LAYER/FILE:SYMBOL.  util.c: the
# log sink, which a running supervisor sets so that every message also
# reaches the guest's console log.
callback_ok="system/util.c:log_sink"

# rank LAYER: its place in $layers (0: not one).
rank() {
	# shellcheck disable=SC2086 # $layers is a list of words
	printf '%s\n' $layers | awk -v l="$1" '$0 == l { print NR; f = 1 } END { if (!f) print 0 }'
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bad=0
complain() {
	echo "layers: $*"
	bad=1
}

# Every object: its layer, and the symbols it defines (SYMBOL LAYER/NAME).
for o in "$@"; do
	f=${o%.o}
	l=${f%/*}
	l=${l##*/}
	[ "$(rank "$l")" -gt 0 ] || { echo "layers: $o is not in a folder of: $layers" >&2; exit 2; }
	nm -g --defined-only "$o" | awk -v f="$l/${f##*/}" 'NF == 3 { print $3, f }'
done >"$tmp/defs"

# Every undefined symbol: FILE SYMBOL.  Writable data of pure files: FILE SYMBOL.
: >"$tmp/undef"
: >"$tmp/state"
for o in "$@"; do
	f=${o%.o}
	l=${f%/*}
	me=${l##*/}/${f##*/}
	nm -u "$o" | awk -v f="$me" '{ print f, $2 }' >>"$tmp/undef"
	[ "${l##*/}" = "$pure" ] || continue
	objdump -t "$o" | awk -v f="$me" '/ O / && ($4 == ".data" || $4 == ".bss" ||
	    $4 ~ /^\.(t?data|t?bss)\./ && $4 !~ /^\.data\.rel\.ro/) { print f, $NF }' >>"$tmp/state"
done

# Rule 5: the sources below $src that no layer's folder holds.
unbuilt() {
	find "$src" -name '*.c' -type f | sort | while read -r c; do
		r=${c#"$src"/}
		case $r in
		*/*/*|[!/]*/*) l=${r%%/*} ;;
		*) l= ;;
		esac
		case " $layers /${r#*/*/}" in
		*" $l "*/"$r") continue ;;
		esac
		echo "layers: $c is in no layer's folder ($layers): it would not be built"
	done
}

# Rule 6: function pointers kept in globals or statics, FILE:LINE and name.
# Pass one collects the types that hold a function pointer (typedefs of
# one, struct tags with a member that is one); pass two reads
# declarations at file scope (column 0) and function statics.
callbacks() {
	find "$src" -name '*.[ch]' -type f | sort >"$tmp/srcs"
	[ -s "$tmp/srcs" ] || return 0
	# shellcheck disable=SC2046 # a list of source files
	awk -v root="$src/" -v ok="$callback_ok" '
	function fp(line) { return line ~ /\(\*[ \t]*[A-Za-z_][A-Za-z_0-9]*[ \t]*\)[ \t]*\(/ }
	function name_of(line) {
		match(line, /\(\*[ \t]*[A-Za-z_][A-Za-z_0-9]*/)
		return substr(line, RSTART + 2, RLENGTH - 2)
	}
	BEGIN {
		n = split(ok, O, " ")
		for (i = 1; i <= n; i++)
			allowed[O[i]] = 1
	}
	FNR == 1 { pass = FILENAME in seen ? 2 : 1; seen[FILENAME] = 1; tag = "" }
	pass == 1 {
		if ($0 ~ /^typedef[^(]*\(\*/ && fp($0))
			fptype[name_of($0)] = 1
		if (match($0, /^(typedef )?struct [A-Za-z_][A-Za-z_0-9]* \{/)) {
			tag = $1 == "struct" ? $2 : $3
			if (fp($0))
				fpstruct[tag] = 1
			if ($0 ~ /}/)
				tag = ""
			next
		}
		if ($0 ~ /^}/)
			tag = ""
		else if (tag != "" && fp($0))
			fpstruct[tag] = 1
		next
	}
	{
		line = $0
		file = substr(FILENAME, length(root) + 1)
		if (line ~ /^[ \t]+static[ \t]/)
			sub(/^[ \t]+/, "", line)
		else if (line ~ /^[ \t#\/*}]/ || line ~ /^(typedef|struct [A-Za-z_0-9]* \{)/)
			next
		sym = ""
		if (fp(line) && line !~ /^[^(]*\(\*[ \t]*const/ &&
		    substr(line, 1, index(line, "(*") - 1) !~ /\(/)
			sym = name_of(line)
		else if (line !~ /\(/ && line ~ /[;=]/) {
			decl = line
			sub(/[ \t]*[;=\[].*/, "", decl)
			k = split(decl, w, /[ \t*]+/)
			ty = w[k - 1]
			if (k >= 2 && (ty in fptype || (w[k - 2] == "struct" &&
			    ty in fpstruct)) && !(line ~ /const struct/ &&
			    decl !~ /\*/) && w[1] != "extern")
				sym = w[k]
		}
		if (sym != "" && !((file ":" sym) in allowed))
			printf "layers: %s:%d keeps a function pointer in a global or a static (%s): pass it per call\n", file, FNR, sym
	}' $(cat "$tmp/srcs") $(cat "$tmp/srcs")
}

# One pass: each call classified by the layers' ranks.
awk -v layers="$layers" -v pure="$pure" -v libc="$pure_libc" \
    -v state="$pure_state" -v edges="$tmp/edges" '
BEGIN {
	n = split(layers, L, " ")
	for (i = 1; i <= n; i++)
		rank[L[i]] = i
	n = split(libc, C, " ")
	for (i = 1; i <= n; i++)
		allowed[C[i]] = 1
	n = split(state, S, " ")
	for (i = 1; i <= n; i++)
		kept[S[i]] = 1
	printf "" > edges
}
FILENAME ~ /defs$/ { if (!($1 in def)) def[$1] = $2; next }
FILENAME ~ /state$/ {
	split($1, p, "/")
	sym = $2
	sub(/\..*/, "", sym)
	if (!((p[2] ":" sym) in kept))
		printf "layers: %s.c (pure) defines writable data %s\n", $1, $2
	next
}
{
	me = $1; sym = $2
	split(me, p, "/")
	if (!(sym in def)) {
		if (p[1] == pure && !(sym in allowed))
			printf "layers: %s.c (pure) uses %s(), which is not in the pure allowlist\n", me, sym
		next
	}
	to = def[sym]
	if (to == me)
		next
	split(to, q, "/")
	if (q[1] == p[1])
		print me, to > edges
	else if (rank[q[1]] < rank[p[1]])
		printf "layers: %s.c calls %s() of %s.c, a layer above it\n", me, sym, to
}' "$tmp/defs" "$tmp/state" "$tmp/undef" >"$tmp/found"
if [ -n "$src" ]; then
	unbuilt >>"$tmp/found"
	callbacks >>"$tmp/found"
fi
if [ -s "$tmp/found" ]; then
	cat "$tmp/found"
	bad=1
fi

# Cycles inside a folder: tsort names the files of each one.
sort -u "$tmp/edges" >"$tmp/edges.u"
if ! tsort "$tmp/edges.u" >/dev/null 2>"$tmp/tsort"; then
	complain "a cycle of calls inside a folder:$(sed -n 's/^tsort: //p' "$tmp/tsort" | grep -v loop | tr '\n' ' ')"
	# Each edge of the cycle, with a symbol, for the reader.
	sed -n 's/^tsort: //p' "$tmp/tsort" | grep -v loop >"$tmp/cyc" || true
	while read -r a b; do
		if grep -qx "$a" "$tmp/cyc" && grep -qx "$b" "$tmp/cyc"; then
			echo "layers:   $a.c -> $b.c"
		fi
	done <"$tmp/edges.u"
fi
[ "$bad" -eq 0 ] && echo "layers: calls go one way, pure is pure ($# files in $(echo "$layers" | wc -w) layers)"
exit "$bad"
