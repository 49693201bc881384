#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# The benchmark's smoke run (BENCH_QUICK, one rep, N = 2, part 6's guest
# work a few iterations of each, CPUS=2 too where REALKERNEL has SMP): it
# runs every part to the end, writes its table with a figure in every row, and leaves nothing behind (services,
# conf.d files, the no-op services' OpenRC state and processes, its
# namespace, its user, its work directory).  No figure is judged: the benchmark is not a test, and a slow
# machine must not fail here.
# shellcheck source=SCRIPTDIR/lib.sh
. "${0%/*}/lib.sh"
t_init
t_need_umlctl
[ -x "$REALKERNEL" ] || t_skip_all "$REALKERNEL missing"
if ls /etc/init.d/uml.bench* >/dev/null 2>&1; then
	t_skip_all "a benchmark is running"
fi

out=$T_TMP/bench
users0=$(id -u umlbench 2>/dev/null || echo none)
# Part 6 runs CPUS=2 too where the kernel has SMP.
smp=
"$REALKERNEL" --showconfig 2>/dev/null | grep -qx 'CONFIG_SMP=y' && smp=1
t_exit 0 "bench.sh exits 0" env BENCH_QUICK=1 BENCH_REPS=1 BENCH_SCALE=2 \
	BENCH_OUT="$out" BENCH_KERNEL="$REALKERNEL" sh "$T_ROOT/tests/bench/bench.sh"
r=$(cat "$out/results.md" 2>/dev/null)
t_has "it writes results.md" "## umlctl benchmark" "$r"
for row in '| 1 | start to ready' '| 1 | … umlctl start alone' '| 2a | stop, cooperative' \
	'| 2a | … umlctl stop alone' '| 2b | stop, cooperative guest, against polling' \
	'| 3 | stop, guest ignoring cad' '| 4 N=2 | parallel start' '| 4 N=2 | … umlctl alone' \
	'| 4 N=2 | … the same, against raw kernels' '| 4 N=2 | parallel stop' \
	'| 4 N=2 | … umlctl stop alone' '| 4 N=2 | leftovers' \
	'| 5 | instructions per call' '| 1 | … OpenRC'"'"'s own cost' '| 4 N=2 | … OpenRC'"'"'s own cost' \
	'| 6 start | start to userspace up' '| 6 start | … confined against CONFINE=no' \
	'| 6 start | … USERSPACE=seccomp' '| 6 syscall | ' '| 6 forkexec | ' '| 6 fault | ' \
	'| 6 disk | ' '| 6 par | ' '| 6 net | '; do
	line=$(printf '%s\n' "$r" | grep -F -- "$row" | head -1)
	t_ok "row: $row" test -n "$line"
	# A row whose measurement did not happen shows "-" for its ratio.
	case $row in
	*leftovers*) t_match "$row: nothing left" ' procs 0, sups 0, taps 0, rundirs 0 .*procs 0/0 ' "$line" ;;
	*) t_match "$row: has a ratio" '\| [0-9]+\.[0-9]+ \(' "$line" ;;
	esac
done
# Part 6: 7 kinds of work, 3 rows each (4 with CPUS=2), every one with a
# ratio.
if [ -n "$smp" ]; then
	n6=28
	t_match "part 6 has CPUS=2 against CPUS=1" '^\| 6 par \| … CPUS=2 against CPUS=1 .*\| [0-9]+\.[0-9]+ \(' "$r"
else
	n6=21
	t_has "part 6 says CPUS=2 was not measured" "CPUS=2 not measured: $REALKERNEL has no SMP" "$r"
fi
t_eq "part 6 has $n6 rows" "$n6" "$(printf '%s\n' "$r" | grep -c '^| 6 ')"
t_eq "every row of part 6 has a ratio" "$n6" "$(printf '%s\n' "$r" | grep -Ec '^\| 6 .*\| [0-9]+\.[0-9]+ \(')"
t_nomatch "no tool broke" 'benchmark broke' "$r"
for v in umlctl direct raw rawtap poll noop noconf seccomp ${smp:+smp}; do
	t_ok "samples.tsv has samples of variant $v" \
		grep -q "	$v	[0-9]*	[0-9]" "$out/samples.tsv"
done

t_nomatch "no uml.bench* or uml-bench-noop* service is left" 'uml\.bench|uml-bench' "$(ls /etc/init.d /etc/conf.d)"
t_nomatch "OpenRC has no state of uml-bench-noop.* left" 'uml-bench-noop' "$(ls -R /run/openrc 2>/dev/null)"
t_ok "no pid file of a no-op service is left" sh -c '! ls /run/uml-bench-noop* 2>/dev/null'
t_ok "no no-op service's sleep is left" sh -c '! pgrep -f "^/bin/sleep 100000\$"'
t_nomatch "no umlbench namespace is left" '^umlbench-' "$(ip netns list)"
t_ok "no work directory is left" sh -c '! ls -d /var/lib/umlbench.* 2>/dev/null'
t_eq "the user umlbench is as before" "$users0" "$(id -u umlbench 2>/dev/null || echo none)"
t_ok "no /run/uml/bench* is left" sh -c '! ls -d /run/uml/bench* 2>/dev/null'
t_done
