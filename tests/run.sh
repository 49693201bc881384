#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# tests/run.sh [t-NAME[.sh] ...]: run the integration tests (all tests/t-*.sh
# by default), each in its own sh, as root, from the repo root after `make'.
#
# Each test's output goes to build/tests/t-NAME.log; failed checks are
# shown here.  The last line is `N passed, N failed' (tests, not checks);
# the exit status is 1 if any test failed.  V=1 shows every test's output
# as it runs; T_TIMEOUT (default 900) bounds one test in seconds.
# T_GUEST_VARS="USERSPACE=seccomp CPUS=2" runs every real-kernel guest of
# the tests named in that mode (tests/lib.sh, t_conf).
set -u

cd "$(dirname "$0")/.." || exit 111
# shellcheck source=SCRIPTDIR/lib.sh
. tests/lib.sh

[ "$(id -u)" -eq 0 ] || { echo "run.sh: the integration tests need root" >&2; exit 100; }

logs=build/tests
mkdir -p "$logs" || exit 111
T_RUNNER=1
export T_RUNNER

# The fake kernel is not part of `make'; build it (quietly) if we can.
make -s build/fakekernel >"$logs/fakekernel.build" 2>&1 ||
	echo "# build/fakekernel: make failed, see $logs/fakekernel.build"

t_openrc_ready
made=$(t_users_setup)
cleanup() {
	t_users_remove "$made"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# Kernels: every test runs with REALKERNEL, by default the kernel that
# `make test-kernel' built (it runs on every host); the tests of
# KERNEL_TESTS run again with the distribution's kernel where it can run
# guests on this host (tests/tools/kprobe.sh), so that both stay tested.
KERNEL_TESTS=${KERNEL_TESTS:-t-lifecycle t-stop-ladder t-net t-net-router t-net-tuntap t-records t-memdir-own t-net-fd t-cow t-hostfs}
DISTRO_KERNEL=${DISTRO_KERNEL:-/usr/bin/linux.uml}
REALKERNEL=${REALKERNEL:-$T_KBUILT}
export REALKERNEL
built=$REALKERNEL
# Guest modes: the tests of MODE_TESTS (the kernel tests) run again with the
# seccomp userspace, and with 2 CPUs where REALKERNEL has SMP (T_GUEST_VARS),
# as make test-kernel's has: some 7 minutes on a loaded 2-core machine, 4 of
# them beyond the three tests this list used to be.  Any test runs so by
# hand: T_GUEST_VARS="USERSPACE=seccomp" sh tests/run.sh t-records ...
MODE_TESTS=${MODE_TESTS:-$KERNEL_TESTS}

npass=0
nfail=0
nskip=0
failed=

# run_one TEST [LABEL]: one test, its result line and the counts.
run_one() {
	t=$1
	case $t in
	*/*) ;;
	*) t=tests/$t ;;
	esac
	case $t in
	*.sh) ;;
	*) t=$t.sh ;;
	esac
	name=$(basename "$t" .sh)${2:+@$2}
	log=$logs/$name.log
	if [ ! -f "$t" ]; then
		echo "FAIL $name (no such test)"
		nfail=$((nfail + 1))
		failed="$failed $name"
		return
	fi
	start=$(date +%s.%N)
	if [ -n "${V:-}" ]; then
		{ timeout -k 10 "${T_TIMEOUT:-900}" sh "$t"; echo "$?" >"$log.rc"; } 2>&1 | tee "$log"
		st=$(cat "$log.rc")
		rm -f "$log.rc"
	else
		timeout -k 10 "${T_TIMEOUT:-900}" sh "$t" >"$log" 2>&1 </dev/null
		st=$?
	fi
	secs=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
	oks=$(grep -c '^ok - ' "$log")
	noks=$(grep -c '^not ok - ' "$log")
	case $st in
	0)
		echo "PASS $name ($oks checks, ${secs} s)"
		npass=$((npass + 1))
		;;
	77)
		echo "SKIP $name: $(sed -n 's/^# SKIP [^:]*: //p' "$log" | head -1)"
		nskip=$((nskip + 1))
		;;
	*)
		[ "$st" -eq 124 ] && echo "# $name: timed out after ${T_TIMEOUT:-900} s"
		echo "FAIL $name ($noks of $((oks + noks)) checks failed, status $st, ${secs} s; log $log)"
		if [ -z "${V:-}" ]; then
			# The failed checks with their details.
			awk '/^not ok - / { p = 1; print "    " $0; next }
			     /^(ok - |# [^ ]+: [0-9]+ ok)/ { p = 0 }
			     p && /^#/ { print "    " $0 }' "$log" | head -n 80
		fi
		nfail=$((nfail + 1))
		failed="$failed $name"
		;;
	esac
}

all=
if [ $# -eq 0 ]; then
	set -- tests/t-*.sh
	all=1
fi
echo "# kernel: $REALKERNEL ($("$REALKERNEL" --version 2>/dev/null || echo missing))"
[ -z "${T_GUEST_VARS:-}" ] || echo "# guests with $T_GUEST_VARS"
for t in "$@"; do
	run_one "$t"
done

# The distribution's kernel, for the kernel tests, where it runs here.
if [ -n "$all" ] && [ "$REALKERNEL" != "$DISTRO_KERNEL" ] && [ -x "$DISTRO_KERNEL" ]; then
	if probe=$(sh tests/tools/kprobe.sh "$DISTRO_KERNEL"); then
		dver=$("$DISTRO_KERNEL" --version 2>/dev/null)
		echo "# kernel: $DISTRO_KERNEL ($dver): $KERNEL_TESTS"
		REALKERNEL=$DISTRO_KERNEL
		for t in $KERNEL_TESTS; do
			run_one "$t" "$dver"
		done
	else
		echo "SKIP the distribution's kernel: $probe"
		nskip=$((nskip + 1))
	fi
fi

# The guest mode REALKERNEL offers beyond the default: the seccomp userspace
# from 6.16 on, with 2 CPUs if it has SMP (its --showconfig text).
guest_mode() {
	_v=$("$REALKERNEL" --version 2>/dev/null)
	case $_v in
	[7-9].* | [1-9][0-9].* | 6.1[6-9]* | 6.[2-9][0-9]*) ;;
	*) return 1 ;;
	esac
	if "$REALKERNEL" --showconfig 2>/dev/null | grep -qx 'CONFIG_SMP=y'; then
		echo "USERSPACE=seccomp CPUS=2"
	else
		echo "USERSPACE=seccomp"
	fi
}

if [ -n "$all" ] && [ -z "${T_GUEST_VARS:-}" ]; then
	REALKERNEL=$built
	if T_GUEST_VARS=$(guest_mode); then
		export T_GUEST_VARS
		label=$(printf '%s' "$T_GUEST_VARS" | sed 's/USERSPACE=//; s/ CPUS=/-/; s/$/cpu/; s/^seccompcpu$/seccomp/')
		echo "# kernel: $REALKERNEL, guests with $T_GUEST_VARS: $MODE_TESTS"
		for t in $MODE_TESTS; do
			run_one "$t" "$label"
		done
	else
		echo "SKIP the seccomp userspace: $REALKERNEL is older than 6.16"
		nskip=$((nskip + 1))
	fi
fi

[ -n "$failed" ] && echo "# failed:$failed"
[ "$nskip" -gt 0 ] && echo "# $nskip skipped"
echo "$npass passed, $nfail failed"
[ "$nfail" -eq 0 ]
