#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# The fake-kernel tests again, with umlctl built with ASan and UBSan
# (build/asan/umlctl): every path they drive (bad input, the privilege
# drop, the stop ladder against hostile peers) must also be free of memory
# errors, leaks and undefined behaviour.  Each run must pass and print no
# sanitizer report.
# shellcheck source=SCRIPTDIR/lib.sh
. "${0%/*}/lib.sh"
t_init
asan=$T_ROOT/build/asan/umlctl
[ -x "$asan" ] || t_bail "$asan missing: run make build/asan/umlctl"

for t in t-privdrop t-ladder-faults t-badinput t-umldir t-cli; do
	out=$T_TMP/$t.out
	UMLCTL=$asan sh "$T_DIR/$t.sh" >"$out" 2>&1
	st=$?
	t_eq "$t under ASan/UBSan exits 0" 0 "$st"
	if [ "$st" != 0 ]; then
		grep '^not ok' "$out" | head -5
	fi
	t_ok "$t under ASan/UBSan: no sanitizer report" \
		sh -c "! grep -E 'ERROR: (Address|Leak)Sanitizer|runtime error:' '$out'"
	t_match "$t under ASan/UBSan ran its checks" '^ok - ' "$(cat "$out")"
done
t_done
