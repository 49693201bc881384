#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# reccheck.sh ACKS RECORDS: are the acknowledged records intact?
#
# ACKS holds the acknowledgements a guest said on its console (mkguest.sh
# --records), one `R N' a line: round R, record number N.  RECORDS is the
# guest's /records as read from its image (NULs made newlines).  The record
# format is tests/tools/records.awk's.  Used by t-records and the soak.
#
# Prints `missing or damaged: R N' for each acknowledged record that is not
# in RECORDS intact, then one line `# I records intact, D damaged, O other
# lines, A acknowledged'.
# Exit status: 0 every acknowledged record is intact (an empty ACKS means
# nothing to find); 1 one or more are missing or damaged; 2 bad input (an
# unreadable file, or an ACKS line that is not two decimal numbers).
set -u
[ $# -eq 2 ] || { echo "usage: reccheck.sh ACKS RECORDS" >&2; exit 2; }
for f in "$1" "$2"; do
	if [ ! -f "$f" ] || [ ! -r "$f" ]; then echo "reccheck.sh: $f: not a readable file" >&2; exit 2; fi
done
# The acknowledgements are read in BEGIN with getline, not as the first of
# two input files: with `FNR == NR' an empty first file makes every line of
# the second one count as an acknowledgement.
awk -v acks="$1" -f "${0%/*}/records.awk" -f /dev/stdin "$2" <<'AWK'
BEGIN {
	nacked = 0
	while ((st = (getline line < acks)) > 0) {
		if (line !~ /^[0-9]+ [0-9]+$/) {
			printf "reccheck.sh: %s: not `R N': %s\n", acks, line > "/dev/stderr"
			bad = 1
			exit 2
		}
		split(line, f, " ")
		acked[(f[1] + 0) " " (f[2] + 0)] = 1
		nacked++
	}
	if (st < 0) {
		printf "reccheck.sh: %s: cannot read\n", acks > "/dev/stderr"
		bad = 1
		exit 2
	}
}
# A record torn by a kill (never acknowledged) may run into the next one:
# look for records at line ends.
match($0, /rec [0-9]+ [0-9]+ [a-z ]+ [0-9]+ [0-9]+$/) {
	rec = substr($0, RSTART)
	n = split(rec, f, " ")
	body = rec
	sub(/ [0-9]+ [0-9]+$/, "", body)
	if (cks(body) == f[n - 1] " " f[n] && body == record(f[2], f[3]))
		good[(f[2] + 0) " " (f[3] + 0)] = ++ngood
	else
		corrupt++
	next
}
{ other++ }
END {
	if (bad)
		exit 2
	lost = 0
	for (k in acked)
		if (!(k in good)) {
			print "missing or damaged: " k
			lost = 1
		}
	printf "# %d records intact, %d damaged, %d other lines, %d acknowledged\n",
	    ngood, corrupt, other, nacked
	exit lost
}
AWK
