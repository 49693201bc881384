#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# The layer check itself (tests/tools/layers.sh, `make layers'): on small
# objects laid out as build/obj/LAYER/NAME.o, it passes a tree that keeps
# the rules and fails, naming the culprit, on an upward call between
# folders, a cycle inside one, libc I/O in a pure file and writable data
# in a pure file.  Then the real tree passes.
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

good
obj mid b 'int mid_b(int x) { return x; }'
obj other c 'int c(void) { return 0; }'
# shellcheck disable=SC2046
t_exit 2 "an object outside the layers is refused" sh "$ls" "$L" $(objs)

t_ok "the real tree passes (make layers)" make -s -C "$T_ROOT" layers
t_done
