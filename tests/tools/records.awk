# SPDX-License-Identifier: BSD-2-Clause
# records.awk: the record format of the data-safety test, shared by the
# guest that writes records (mkguest.sh --records) and the checker
# (reccheck.sh, for t-records.sh and the soak).  A record is
# `rec R N TEXT A B': round R, number N, a text derived from N, and A B, a
# checksum of what precedes it.
function cks(s,   i, a, b, ch) {
	ch = " 0123456789abcdefghijklmnopqrstuvwxyz"
	a = 1
	b = 0
	for (i = 1; i <= length(s); i++) {
		a = (a + index(ch, substr(s, i, 1))) % 65521
		b = (b + a) % 65521
	}
	return a " " b
}
function record(r, n,   p) {
	p = "the quick brown fox jumps over the lazy dog "
	p = p p p p p p
	return sprintf("rec %d %d %s", r, n, substr(p, n % 44 + 1, 160))
}
