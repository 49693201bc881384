#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# The shape check itself (tests/tools/knf.sh, part of `make lint'): it
# fails, naming file and line, on a line over 80 columns (tabs to 8) and
# on a file over 450 lines that does not say why; it passes 80 columns
# exactly and a long file that says why.  Then the real tree passes.
# shellcheck source=SCRIPTDIR/lib.sh
. "${0%/*}/lib.sh"
t_init
knf=$T_DIR/tools/knf.sh
d=$T_TMP/knf
mkdir -p "$d/sub"

# 80 columns: a tab (8) and 72 characters.
printf '\t%072d\n' 0 >"$d/a.c"
t_exit 0 "80 columns pass" sh "$knf" "$d"
printf 'int x;\n\t%073d\n' 0 >"$d/sub/b.h"
t_exit 1 "81 columns fail" sh "$knf" "$d"
t_has "... naming file and line" "sub/b.h:2: 81 columns" "$t_out"
rm "$d/sub/b.h"

awk 'BEGIN { for (i = 0; i < 451; i++) print "int x" i ";" }' >"$d/long.c"
t_exit 1 "451 lines fail" sh "$knf" "$d"
t_has "... named" "long.c: 451 lines" "$t_out"
{ echo "/* A rule table: over 450 lines, because ... */"; cat "$d/long.c"; } >"$d/l2.c"
mv "$d/l2.c" "$d/long.c"
t_exit 0 "451 lines that say why pass" sh "$knf" "$d"

t_exit 0 "src/ passes" sh "$knf"
t_done
