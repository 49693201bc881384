#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# make bench-build's smoke run (tests/bench/gbuild.sh with one pair of
# boots and a project of two files): it makes or reuses its Debian image
# (umlctl create -p gcc,make,libc6-dev), boots it with CPUS="1" and with
# CPUS="2", gets the build's figure from each (the guest's nproc 1 and
# 2), writes the ratio, and leaves no process of USER.  No figure is
# judged: the benchmark is not a test, and a slow machine must not fail
# here.
# shellcheck source=SCRIPTDIR/lib.sh
. "${0%/*}/lib.sh"
t_init
t_need_umlctl
[ -x "$REALKERNEL" ] || t_skip_all "$REALKERNEL missing"
"$REALKERNEL" --showconfig 2>/dev/null | grep -qx 'CONFIG_SMP=y' ||
	t_skip_all "$REALKERNEL has no SMP (CONFIG_SMP)"
command -v mmdebstrap >/dev/null || t_skip_all "no mmdebstrap (tests/deps.sh)"

out=$T_TMP/gb
t_exit 0 "gbuild.sh exits 0" env BENCH_REPS=1 GB_FILES=2 BENCH_OUT="$out" \
	REALKERNEL="$REALKERNEL" sh "$T_ROOT/tests/bench/gbuild.sh"
r=$(cat "$out/report.md" 2>/dev/null)
t_match "the report has the pair: a time each, nproc 1 and 2, their ratio" \
	'^\| 1 \| [0-9]+, 1 \| [0-9]+, 2 \| [0-9]+\.[0-9]+ \|' "$r"
t_match "and the median ratio" '^\*\*CPUS=2 / CPUS=1: [0-9]+\.[0-9]+\*\* \(median of 1 reps' "$r"
t_eq "samples.tsv has both boots" 2 "$(tail -n +2 "$out/samples.tsv" | wc -l | tr -d ' ')"
t_eq "no process of $T_USER left" "" "$(t_user_procs "$T_USER")"
t_done
