#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# The data-safety checker itself (tests/tools/reccheck.sh, used by
# t-records and the soak) on hand-made files: it must neither cry wolf
# (an empty acknowledgement list once made every record an "ack" keyed
# `rec 1', reported missing) nor miss a loss or a damaged record.
# shellcheck source=SCRIPTDIR/lib.sh
. "${0%/*}/lib.sh"
t_init
chk=$T_DIR/tools/reccheck.sh

# mkrecs R N...: the records the guest would write, in its format.
mkrecs() {
	_r=$1
	shift
	awk -v r="$_r" -v ns="$*" -f "$T_DIR/tools/records.awk" -f /dev/stdin <<'AWK'
BEGIN { k = split(ns, n, " "); for (i = 1; i <= k; i++) { b = record(r, n[i]); print b " " cks(b) } }
AWK
}

mkrecs 1 1 >"$T_TMP/one"
: >"$T_TMP/noacks"
t_exit 0 "empty acks and one record: nothing to find" sh "$chk" "$T_TMP/noacks" "$T_TMP/one"
t_match "it counts the record and no ack" '^# 1 records intact, 0 damaged, 0 other lines, 0 acknowledged$' "$t_out"
t_nomatch "and names none missing" 'missing' "$t_out"

: >"$T_TMP/empty"
t_exit 0 "empty acks and an empty /records: nothing to find" sh "$chk" "$T_TMP/noacks" "$T_TMP/empty"

mkrecs 3 1 2 3 4 5 >"$T_TMP/five"
printf '3 1\n3 2\n3 5\n' >"$T_TMP/acks"
t_exit 0 "acked records all present: passes" sh "$chk" "$T_TMP/acks" "$T_TMP/five"

printf '3 1\n3 6\n' >"$T_TMP/acks6"
t_exit 1 "an acked record missing: fails" sh "$chk" "$T_TMP/acks6" "$T_TMP/five"
t_match "and names it" '^missing or damaged: 3 6$' "$t_out"

printf '2 1\n' >"$T_TMP/acks21"
t_exit 1 "an ack of another round is not satisfied by this one's record" \
	sh "$chk" "$T_TMP/acks21" "$T_TMP/one"

# One byte of record 3 changed: its checksum no longer matches.
sed '3s/quick/quack/' "$T_TMP/five" >"$T_TMP/damaged"
printf '3 3\n' >"$T_TMP/acks3"
t_exit 1 "an acked record damaged: fails" sh "$chk" "$T_TMP/acks3" "$T_TMP/damaged"
t_match "and names it" '^missing or damaged: 3 3$' "$t_out"
t_match "and counts it damaged" '^# 4 records intact, 1 damaged' "$t_out"
# A checksum that matches a wrong text is damage too.
sed '2s/ [0-9]* [0-9]*$/ 1 1/' "$T_TMP/five" >"$T_TMP/badsum"
printf '3 2\n' >"$T_TMP/acks2"
t_exit 1 "an acked record with a wrong checksum: fails" sh "$chk" "$T_TMP/acks2" "$T_TMP/badsum"

# A record torn by a kill may run into the next line: the next one counts.
{ head -c 30 "$T_TMP/one"; cat "$T_TMP/five"; } >"$T_TMP/torn"
t_exit 0 "an unacked torn record before an acked one: passes" sh "$chk" "$T_TMP/acks" "$T_TMP/torn"

# Damage to a record never acknowledged is allowed (it was never promised).
t_exit 0 "damage to an unacked record: passes" sh "$chk" "$T_TMP/acks2" "$T_TMP/damaged"

for bad in 'rec 1' '1' '1 2 3' 'x 1' '1 -2' ''; do
	printf '3 1\n%s\n' "$bad" >"$T_TMP/badacks"
	t_exit 2 "an ack line \`$bad' is an error, not a pass" sh "$chk" "$T_TMP/badacks" "$T_TMP/five"
	t_match "and is named" "not \`R N'" "$t_out"
done
t_exit 2 "a missing acks file is an error" sh "$chk" "$T_TMP/nosuch" "$T_TMP/five"
t_exit 2 "a missing records file is an error" sh "$chk" "$T_TMP/acks" "$T_TMP/nosuch"
t_done
