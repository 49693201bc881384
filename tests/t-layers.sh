#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# The layer check itself (tests/tools/layers.sh, `make layers'): on small
# objects laid out as build/obj/LAYER/NAME.o, it passes a tree that keeps
# the rules and fails, naming the culprit, on an upward call between
# folders, a cycle inside one, libc I/O in a pure file, writable data
# in a pure file, and in the sources (-s) a function pointer kept in a
# global or a static (but util.c's log_sink) and a .c file in no layer's
# folder.  Then the real tree passes.
# shellcheck source=SCRIPTDIR/lib.sh
. "${0%/*}/lib.sh"
t_init
ls=$T_DIR/tools/layers.sh
L="top mid pure"

# obj LAYER NAME C-SOURCE: compile one object into $T_TMP/obj/LAYER/NAME.o.
obj() {
	mkdir -p "$T_TMP/obj/$1"
	printf '%s\n' "$3" >"$T_TMP/obj/$1/$2.c"
	cc -std=c11 -O2 -c -o "$T_TMP/obj/$1/$2.o" "$T_TMP/obj/$1/$2.c"
}
good() {
	rm -rf "$T_TMP/obj"
	obj top main 'int mid_a(int); int main(void) { return mid_a(1); }'
	obj mid a 'int mid_b(int); int p_len(const char *); int mid_a(int x) { return mid_b(x) + p_len("ab"); }'
	obj mid b 'int mid_b(int x) { return x * 2; }'
	obj pure p '#include <string.h>
static const char *const words[] = { "a", "b" };
int p_len(const char *s) { return (int)strlen(s) + (int)strlen(words[0]); }'
}
objs() {
	printf '%s\n' "$T_TMP"/obj/*/*.o
}

good
# shellcheck disable=SC2046 # a list of object files
t_exit 0 "a tree that keeps the rules passes" sh "$ls" "$L" $(objs)
# shellcheck disable=SC2046
t_exit 0 "and so do its sources" sh "$ls" -s "$T_TMP/obj" "$L" $(objs)

good
obj pure p '#include <string.h>
int main(void); int p_len(const char *s) { return (int)strlen(s) + main(); }'
# shellcheck disable=SC2046
t_exit 1 "an upward call between folders fails" sh "$ls" "$L" $(objs)
t_match "and names it" '^layers: pure/p\.c calls main\(\) of top/main\.c, a layer above it$' "$t_out"

good
obj mid b 'int mid_a(int); int mid_b(int x) { return x ? mid_a(x - 1) : 0; }'
# shellcheck disable=SC2046
t_exit 1 "a cycle inside a folder fails" sh "$ls" "$L" $(objs)
t_match "and names it" 'a cycle of calls inside a folder' "$t_out"
t_match "with its edges" 'mid/b\.c -> mid/a\.c' "$t_out"

good
obj pure p '#include <stdio.h>
#include <string.h>
int p_len(const char *s) { FILE *f = fopen(s, "r"); if (f) fclose(f); return (int)strlen(s); }'
# shellcheck disable=SC2046
t_exit 1 "fopen in a pure file fails" sh "$ls" "$L" $(objs)
t_match "and names it" 'pure/p\.c \(pure\) uses fopen\(\), which is not in the pure allowlist' "$t_out"

good
obj pure p '#include <string.h>
static int calls;
int p_len(const char *s) { return (int)strlen(s) + calls++; }'
# shellcheck disable=SC2046
t_exit 1 "writable data in a pure file fails" sh "$ls" "$L" $(objs)
t_match "and names it" 'pure/p\.c \(pure\) defines writable data calls' "$t_out"

# Sources (-s): a function pointer kept in a global, written out, or in a
# struct; only util.c's log_sink may be one (HACKING.md).
good
obj mid b 'static int (*hook)(int);
void mid_set(int (*fn)(int));
void mid_set(int (*fn)(int)) { hook = fn; }
int mid_b(int x) { return hook ? hook(x) : x; }'
# shellcheck disable=SC2046
t_exit 1 "a global callback fails" sh "$ls" -s "$T_TMP/obj" "$L" $(objs)
t_match "and names it" '^layers: mid/b\.c:1 keeps a function pointer in a global or a static \(hook\): pass it per call$' "$t_out"
good
obj mid b 'struct pump {
	int (*fn)(int);
	int fd;
};
int
mid_b(int x)
{
	static struct pump p;

	return p.fn ? p.fn(x) : x;
}'
# shellcheck disable=SC2046
t_exit 1 "a struct holding a callback in a static fails" sh "$ls" -s "$T_TMP/obj" "$L" $(objs)
t_match "and names it" '^layers: mid/b\.c:8 keeps a function pointer .*\(p\)' "$t_out"
good
obj mid b 'static void (*log_sink)(const char *);
int mid_b(int x) { if (log_sink) log_sink("b"); return x; }'
# shellcheck disable=SC2046
t_exit 1 "log_sink is not sanctioned outside util.c" sh "$ls" -s "$T_TMP/obj" "$L" $(objs)
t_match "and is named" 'mid/b\.c:1 keeps .*\(log_sink\)' "$t_out"
good
obj system util 'static void (*log_sink)(const char *);
void log_set_sink(void (*fn)(const char *));
void log_set_sink(void (*fn)(const char *)) { log_sink = fn; }'
# shellcheck disable=SC2046
t_exit 0 "util.c's log_sink, the sanctioned one, passes" sh "$ls" -s "$T_TMP/obj" "top mid system pure" $(objs)

# A source in no layer's folder would not be built: refused, not skipped.
good
mkdir -p "$T_TMP/obj/other"
echo 'int stray(void) { return 0; }' >"$T_TMP/obj/other/stray.c"
# shellcheck disable=SC2046
t_exit 1 "a source outside the layers' folders fails" sh "$ls" -s "$T_TMP/obj" "$L" $(objs)
t_match "and names it" "^layers: $T_TMP/obj/other/stray\.c is in no layer's folder \\(top mid pure\\): it would not be built\$" "$t_out"

good
obj mid b 'int mid_b(int x) { return x; }'
obj other c 'int c(void) { return 0; }'
# shellcheck disable=SC2046
t_exit 2 "an object outside the layers is refused" sh "$ls" "$L" $(objs)

t_ok "the real tree passes (make layers)" make -s -C "$T_ROOT" layers
t_done
