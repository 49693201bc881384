#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# bench.sh: umlctl's benchmark (`make bench', as root).  Every figure is
# measured against a baseline in the same run, the two alternating (rep 1:
# baseline first, rep 2: umlctl first, ...), each rep paired.
#
# Goals: through OpenRC (`rc-service'), at most umlctl alone + OpenRC's own
# cost + 10 ms, per rep: OpenRC's own cost is that of a no-op service
# (variant noop: a runscript that starts `sleep' with start-stop-daemon),
# started and stopped N at a time like the guests in the same rep; OpenRC
# costs that much for any service, and it grows with N on 2 CPUs.  The
# OpenRC rows give the excess (umlctl through OpenRC - umlctl alone -
# no-op) beside the goal.  umlctl alone (`umlctl start|stop' run directly, without
# OpenRC: variant direct) at most 1.05 times raw for a start and 1.10
# times raw for a stop.  Every OpenRC start and stop row has an "umlctl
# alone" row beside it: umlctl's own share, the rest is OpenRC's.
#
#  1  start to ready: `rc-service uml.X start' (until it returns) against
#     the raw kernel, same argv as umlctl's and run as the same user, until
#     it answers `version' on its mconsole.
#  1b start to userspace up: the same starts, until the guest's init writes
#     `ready' to /proc/mconsole (mkguest.sh's guests do, after `guest: up').
#     umlctl's supervisor then logs "NAME: guest says: ready" into the
#     console log; tests/bench/logwait.c sees that line through inotify.
#     The raw kernel's rawuml sees the MCONSOLE_USER_NOTIFY itself, on its
#     notify socket.  Both take the time as they see the event.
#  2  stop, cooperative guest: `rc-service uml.X stop' against raw `cad'
#     plus an event-driven wait for the kernel's exit, and against `cad'
#     then `sleep 1' until it is gone, as older scripts do (goal: umlctl
#     >= 5 times faster).
#  3  stop, guest ignoring cad: total time against SHUTDOWN_TIMEOUT
#     (BENCH_SHUTDOWN_TIMEOUT, default 2 s); also <= SHUTDOWN_TIMEOUT + 20 s
#     (the ladder's documented bound); the overhead is reported.  Its
#     baseline by hand: cad, sleep SHUTDOWN_TIMEOUT, halt, wait.
#  4  scale: N guests of 64M (BENCH_MEMORY), each with a tap on a bridge in
#     a namespace the benchmark makes, started in parallel through OpenRC
#     against N raw kernels started in parallel until all are ready, then
#     stopped in parallel; leftover kernel processes, supervisors, taps and
#     runtime directories counted (goal 0); the umlctl supervisors' peak
#     memory (VmHWM) per guest.  The raw kernels' taps are made beforehand
#     and removed afterwards, untimed; a second raw baseline (rawtap) has
#     each kernel's rawuml make its tap in the timed start and remove it in
#     the timed stop, as umlctl does, the shortest way.
#  5  per-call cost: instructions (callgrind, Ir of the whole process) of
#     `umlctl status NAME' against `uml_mconsole SOCKET version', and their
#     wall time per call.
#  6  the guest's work (issue 24's "part 5", issue 23's cost): a busybox
#     guest runs tests/bench/gwork.c once it is up (getppid calls,
#     fork+exec of /bin/true, page faults, a write + fsync to its root disk,
#     the calls and execs again in two processes at once, TCP to the
#     benchmark's namespace over the fd transport), each timed in the guest;
#     the same boots time the start until userspace is up.  As ratios:
#     umlctl start alone against the raw kernel with the same argv (goal <=
#     1.02), confined against CONFINE="no" (goal <= 1.03),
#     USERSPACE="seccomp" against ptrace, and, where the kernel has SMP,
#     CPUS="2" against CPUS="1" (both seccomp).  One boot per sample, the
#     four or five variants alternating.
#
# How the baseline waits for readiness: event-driven.  tests/bench/rawuml.c
# binds the notify socket, forks the kernel and sleeps in poll() until the
# kernel's MCONSOLE_SOCKET datagram, then asks `version' once: the very
# events umlctl's supervisor waits for; then it sleeps in poll() again until
# the guest's MCONSOLE_USER_NOTIFY `ready'.  Polling uml_mconsole every 10 ms
# instead would add 5 ms on average (up to 10) to every baseline start plus
# an exec per try, and at N = 64 some 6400 execs a second competing with
# the kernels for the CPUs: a slower baseline, flattering umlctl.  Likewise
# the wait for umlctl's guests' userspace (before every stop, and timed in
# 1b) sleeps on inotify rather than grepping the console logs.
#
# Options (environment): BENCH_QUICK=1 (guests 1 and 2, 2 reps: a smoke run),
# BENCH_REPS (parts 1 and 2; default 30; parts 3 and 6 do at most 10 of
# them, part 5 at most 5), BENCH_WORK (part 6's work per boot: "CALLS
# EXECS FAULT_MIB DISK_MIB NET_MIB", default "20000 50 8 16 16"), BENCH_SCALE (default "1 8 32 64"), BENCH_SCALE_REPS
# (default BENCH_REPS, at most 5), BENCH_SHUTDOWN_TIMEOUT (default 2),
# BENCH_MEMORY (MiB per guest, default 64), BENCH_INSTALLED=1 (use the
# installed /etc/init.d/uml and its umlctl rather than this tree's
# build/umlctl), BENCH_OUT (default build/bench), BENCH_PARTS (default
# "1 2 3 4 5 6": which parts to run; 1 and 2 run together), BENCH_IMAGE
# (the root image of parts 1 and 2's guest instead of mkguest.sh's busybox,
# e.g. a Debian guest made by `umlctl create'; give BENCH_MEMORY=256).
# Output: a table on stdout and in BENCH_OUT/results.md; every sample in
# BENCH_OUT/samples.tsv (part, variant, rep, value; times in microseconds).
#
# It is not a test: exit 0 whatever the figures, 1 only if the benchmark
# itself broke (a tool failed), 2 if it cannot run here.  A cycle in which a
# guest fails to boot (64M guests of Debian's 6.1 kernel sometimes panic,
# raw or not) is tried again, at most twice; such losses are listed in the
# results.  Everything it makes is removed on exit, also on failure or
# interrupt: the guests' services and conf.d files, the user umlbench (if
# it made it), the network namespace (the only place with taps, bridge and
# links: nothing in the root namespace is touched), the work directory.
# SC2317 (unreachable): shellcheck cannot see calls made through the EXIT
# trap or through cycle's "$@".
# shellcheck disable=SC2317
set -u

top=$(cd -- "$(dirname -- "$0")/../.." && pwd -P)
out=${BENCH_OUT:-$top/build/bench}
if [ "${BENCH_QUICK:-0}" = 1 ]; then
	reps=${BENCH_REPS:-2}
	scale=${BENCH_SCALE:-1 2}
else
	reps=${BENCH_REPS:-30}
	scale=${BENCH_SCALE:-1 8 32 64}
fi
# A 7.x kernel answers about 0.1 s after its exec, and that time is
# bimodal from run to run (about 50 or 100-250 ms): parts 1 and 2 need
# many alternating pairs.  Part 3 is 2 s of waiting with little noise,
# part 4's cycles are long, and part 5 counts instructions: they do at
# most 10, 5 and 5 reps unless asked.
few=$((reps < 5 ? reps : 5))
p3reps=$((reps < 10 ? reps : 10))
p6reps=$((reps < 10 ? reps : 10))
scale_reps=${BENCH_SCALE_REPS:-$few}
parts=${BENCH_PARTS:-1 2 3 4 5 6}
# Part 6's guest work per boot (tests/bench/gwork.c): getppid calls,
# fork+execs, MiB of page faults, MiB written to the root disk, MiB sent
# over the network.
if [ "${BENCH_QUICK:-0}" = 1 ]; then
	wk_n=${BENCH_WORK:-500 5 1 1 1}
else
	wk_n=${BENCH_WORK:-20000 50 8 16 16}
fi
# shellcheck disable=SC2086 # five numbers
set -- $wk_n
wk_disk=$4
wk_spec=$1,$2,$3,$4,10.0.0.1,5001,$5
wk_timeout=600
# 1 if the kernel has SMP: part 6 runs CPUS=2 too (set in main).
p6smp=
wk_names="benchwk benchwn benchws benchw2"
ign_t=${BENCH_SHUTDOWN_TIMEOUT:-2}
up_timeout=60
installed=${BENCH_INSTALLED:-0}
user=umlbench
# The kernel the tests run (make test-kernel); BENCH_KERNEL to choose.
kernel=${BENCH_KERNEL:-/var/cache/umlctl/kernel/bin/linux}
mem_mib=${BENCH_MEMORY:-64}
runscript=uml-bench-runscript
# OpenRC's own cost: a no-op service, /etc/init.d/$noop.1 ... (links).
noop=uml-bench-noop
samples=$out/samples.tsv

# State the cleanup needs; set as things are made.
W=
ns=
made_user=0
made_softlevel=0
made_runscript=0
noops=
names=
broken=0
uw_pid=
sink_pid=

msg() { printf 'bench: %s\n' "$*" >&2; }
# part N: whether BENCH_PARTS asks for part N.
part() { case " $parts " in *" $1 "*) return 0 ;; esac; return 1; }
die() { msg "$*"; exit 2; }
now() { date +%s%N; }
# Elapsed microseconds between two now() values.
us() { echo $((($2 - $1) / 1000)); }
record() { printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >>"$samples"; }
bad() { msg "$*"; broken=1; }
# A sample lost to the guest (a panic, no userspace): reported, not fatal.
lost() { msg "$*"; printf '%s\n' "$(printf '%s' "$*" | tr '\n' ' ')" >>"$out/lost.txt"; }

# ---------------------------------------------------------------- cleanup

cleanup() {
	trap '' INT TERM
	set +e
	up_abort
	[ -n "$sink_pid" ] && kill -TERM "$sink_pid" 2>/dev/null
	# rawuml kills its kernel on SIGTERM.  Only a pid that is still our
	# child is signalled: an old one may belong to somebody else by now.
	for cn in $names; do
		eval "j=\${job_$cn:-}"
		if [ -n "$j" ] && [ "$(ps -o ppid= -p "$j" 2>/dev/null | tr -d ' ')" = $$ ]; then
			kill -TERM "$j" 2>/dev/null
			wait "$j" 2>/dev/null
		fi
	done
	# A guest caught starting has no pid file yet and refuses stop: SIGTERM
	# its supervisor (the kernel's parent), which then aborts the start.
	# umlctl stop, not rc-service: OpenRC calls a guest of the direct
	# variant stopped and would not touch it.
	for cn in $names; do
		[ -e "/run/uml/$cn.lock" ] || continue
		if [ -e "/run/uml/$cn.pid" ]; then
			"$umlctl" -c /etc/conf.d stop "$cn" >/dev/null 2>&1 3>&-
			continue
		fi
		ck=$(awk 'NR == 1 { print $1 }' "/run/uml/$cn/state" 2>/dev/null)
		cs=$(ps -o ppid= -p "${ck:-0}" 2>/dev/null | tr -d ' ')
		case $(tr '\0' ' ' <"/proc/${cs:-0}/cmdline" 2>/dev/null) in
		"$umlctl -c "*" start $cn ") kill -TERM "$cs" ;;
		esac
	done
	# Then the rc-service jobs still running end, and every lock goes.
	cdl=$(($(date +%s) + 30))
	for cn in $names; do
		while [ -e "/run/uml/$cn.lock" ] && [ "$(date +%s)" -lt "$cdl" ]; do sleep 0.1; done
	done
	wait
	for cn in $names; do
		for d in started starting stopping failed inactive wasinactive; do
			[ -e "/run/openrc/$d/uml.$cn" ] && rc-service "uml.$cn" zap >/dev/null 2>&1
		done
		rm -rf "/run/openrc/options/uml.$cn" "/run/openrc/daemons/uml.$cn" \
			"/run/openrc/exclusive/uml.$cn" "/run/openrc/scheduled/uml.$cn"
		rm -f "/etc/init.d/uml.$cn" "/etc/conf.d/uml.$cn" "/run/uml/$cn.last" \
		    "/run/uml/$cn.stops"
		# OpenRC's cgroup for the service (left behind by a zap).
		for d in /sys/fs/cgroup/*/"uml.$cn" /sys/fs/cgroup/"uml.$cn"; do
			[ -d "$d" ] && rmdir "$d" 2>/dev/null
		done
	done
	for nq in $noops; do
		[ -e "/run/openrc/started/$noop.$nq" ] && rc-service "$noop.$nq" stop >/dev/null 2>&1
		[ -e "/run/openrc/started/$noop.$nq" ] && rc-service "$noop.$nq" zap >/dev/null 2>&1
		rm -rf "/run/openrc/daemons/$noop.$nq" "/run/openrc/options/$noop.$nq" \
			"/run/openrc/exclusive/$noop.$nq" "/run/openrc/scheduled/$noop.$nq"
		rm -f "/etc/init.d/$noop.$nq" "/run/$noop.$nq.pid"
		for d in /sys/fs/cgroup/*/"$noop.$nq" /sys/fs/cgroup/"$noop.$nq"; do
			[ -d "$d" ] && rmdir "$d" 2>/dev/null
		done
	done
	[ -n "$noops" ] && rm -f "/etc/init.d/$noop"
	[ "$made_runscript" = 1 ] && rm -f "/etc/init.d/$runscript"
	[ -n "$names$noops" ] && rc-update -u >/dev/null 2>&1
	[ -n "$ns" ] && ip netns del "$ns" 2>/dev/null
	[ -n "$W" ] && rm -rf "$W"
	[ "$made_user" = 1 ] && userdel "$user" 2>/dev/null
	[ "$made_softlevel" = 1 ] && rm -f /run/openrc/softlevel
	exec 3>&-
}

# ---------------------------------------------------------------- setup

preflight() {
	[ "$(id -u)" = 0 ] || die "must run as root (it runs OpenRC services, taps, a system user)"
	for c in rc-service rc-update ip uml_mconsole mkfifo mke2fs useradd userdel ${CC:-cc}; do
		command -v "$c" >/dev/null 2>&1 || die "$c not found (tests/deps.sh installs what is needed)"
	done
	[ -x "$kernel" ] || die "$kernel missing (make test-kernel, or set BENCH_KERNEL)"
	# Debian's openrc package does not make it.
	mkdir -p /etc/conf.d
	for n in benchsolo benchign $wk_names $(seq_names "$(max_n)") $runscript $noop; do
		case $n in
		"$runscript" | "$noop") f=/etc/init.d/$n ;;
		*) f=/etc/init.d/uml.$n ;;
		esac
		if [ -e "$f" ] || [ -L "$f" ] || [ -e "/etc/conf.d/uml.$n" ] || [ -e "/run/uml/$n.lock" ]; then
			die "$f or /etc/conf.d/uml.$n or /run/uml/$n.lock exists: another benchmark running? Not touching it."
		fi
	done
	if [ "$installed" = 1 ]; then
		[ -x /etc/init.d/uml ] || die "BENCH_INSTALLED=1 but /etc/init.d/uml is missing (make install)"
	else
		[ -x "$top/build/umlctl" ] || die "build/umlctl missing (make)"
	fi
}

max_n() {
	m=0
	for mn in $scale; do [ "$mn" -gt "$m" ] && m=$mn; done
	echo "$m"
}

seq_names() {
	i=1
	while [ "$i" -le "$1" ]; do
		printf 'bench%d ' "$i"
		i=$((i + 1))
	done
}

setup() {
	mkdir -p "$out" || die "cannot make $out"
	: >"$samples"
	: >"$out/lost.txt"
	rm -f "$out"/notup.*.log "$out"/crashed.*.log "$out"/failed.*.log
	rev=$(git -C "$top" describe --always --dirty 2>/dev/null || echo '?')
	# The local time's offset from UTC in seconds, for umlctl's log times.
	tzoff=$(date +%z | awk '{ s = substr($0, 1, 1) == "-" ? -1 : 1; print s * (substr($0, 2, 2) * 3600 + substr($0, 4, 2) * 60) }')
	W=$(mktemp -d /var/lib/umlbench.XXXXXX) || die "mktemp"
	chmod 0755 "$W"
	mkdir -p "$W/log" "$W/raw"
	if ! id -u "$user" >/dev/null 2>&1; then
		useradd --system --no-create-home --home-dir /nonexistent \
			--shell /usr/sbin/nologin "$user" || die "useradd $user"
		made_user=1
	fi
	if [ ! -e /run/openrc/softlevel ]; then
		mkdir -p /run/openrc && touch /run/openrc/softlevel
		made_softlevel=1
	fi
	# The project's warnings (Makefile's WARN), without -Werror: a newer
	# compiler's new warning must not stop a benchmark.
	for h in rawuml logwait; do
		${CC:-cc} -std=c11 -O2 -Wall -Wextra -Wshadow -Wstrict-prototypes \
			-Wmissing-prototypes -Wformat=2 -Wcast-qual -Wpointer-arith -Wvla \
			-Wundef -Wno-unused-parameter -o "$W/$h" "$top/tests/bench/$h.c" ||
			die "cannot build tests/bench/$h.c"
	done
	rawuml=$W/rawuml
	logwait=$W/logwait
	# This tree's umlctl, copied: a rebuild during the run must not change
	# the binary start-stop-daemon matches its supervisors against.
	if [ "$installed" = 1 ]; then
		umlctl=$(sed -n 's/^command=//p' /etc/init.d/uml)
		base=uml
	else
		cp "$top/build/umlctl" "$W/umlctl"
		umlctl=$W/umlctl
		made_runscript=1
		if ! make -s -C "$top" runscript SBINDIR="$W" RUNSCRIPT="/etc/init.d/$runscript" ||
			! chmod 0755 "/etc/init.d/$runscript"; then
			die "cannot install /etc/init.d/$runscript"
		fi
		base=$runscript
	fi
	msg "building guest images"
	sh "$top/tests/tools/mkguest.sh" "$W/img.solo" >/dev/null || die "tests/tools/mkguest.sh failed"
	sh "$top/tests/tools/mkguest.sh" "$W/img.ign" --cad ignore >/dev/null || die "tests/tools/mkguest.sh failed"
	sh "$top/tests/tools/mkguest.sh" "$W/img.net" --net vec0 >/dev/null || die "tests/tools/mkguest.sh failed"
	if part 6; then
		# gwork runs in a busybox guest: static.
		${CC:-cc} -std=c11 -O2 -static -Wall -Wextra -o "$W/gwork" "$top/tests/bench/gwork.c" ||
			die "cannot build tests/bench/gwork.c static (libc6-dev has libc.a)"
		sh "$top/tests/tools/mkguest.sh" "$W/img.work" --net vec0=10.0.0.2/24 --work "$W/gwork" \
			--size $((wk_disk + 48)) >/dev/null || die "tests/tools/mkguest.sh failed"
	fi
	mkfifo "$W/fifo" || die "mkfifo failed"
	exec 3<>"$W/fifo"
}

# make_guest NAME IMAGE SHUTDOWN_TIMEOUT [NETNS TAP]
make_guest() {
	g=$1
	if ! mkdir -p "$W/$g" || ! ln -s "$kernel" "$W/$g/linux" ||
		! cp --sparse=always "$2" "$W/$g/root.loop" ||
		! chown "$user:" "$W/$g/root.loop" || ! chmod 0600 "$W/$g/root.loop"; then
		die "cannot make $W/$g"
	fi
	names="$names $g"
	{
		echo "# A guest of umlctl's benchmark (tests/bench/bench.sh), removed when it ends."
		echo "USER=\"$user\""
		echo "UMLDIR=\"$W\""
		echo "KERNEL=\"$W/$g/linux\""
		echo "ROOT=\"$W/$g/root.loop\""
		echo "SWAP=\"\""
		echo "MEMORY=\"${mem_mib}M\""
		echo "MEMORY_DIR=\"/dev/shm\""
		echo "CONSOLE_LOG=\"$W/log/$g.log\""
		echo "SHUTDOWN_TIMEOUT=\"$3\""
		echo "START_TIMEOUT=\"$up_timeout\""
		echo "RESPAWN=\"no\""
		echo "KERNEL_ARGS=\"${g_kargs:-}\""
		[ -z "${g_extra:-}" ] || echo "$g_extra"
		echo "NETNS=\"${4:-}\""
		echo "NET=\"${5:-}\""
		if [ -n "${5:-}" ]; then echo "BRIDGE_$5=\"br0\""; fi
	} >"/etc/conf.d/uml.$g" || die "cannot write /etc/conf.d/uml.$g"
	chmod 0644 "/etc/conf.d/uml.$g"
	ln -s "$base" "/etc/init.d/uml.$g" || die "cannot install /etc/init.d/uml.$g"
	# The raw run: umlctl's own argv, with its runtime directory moved.
	mkdir -p "$W/raw/$g" && chown "$user:" "$W/raw/$g" && chmod 0700 "$W/raw/$g"
	"$umlctl" -c /etc/conf.d show "$g" | awk -v from="/run/uml/$g" -v to="$W/raw/$g" '
		/^# argv\[/ {
			w = $3; i = index(w, from)
			if (i) w = substr(w, 1, i - 1) to substr(w, i + length(from))
			printf "%s%s", sep, w; sep = " "
		}
		END { print "" }' >"$W/raw/$g/argv" || die "umlctl show $g failed"
	grep -q "uml_dir=$W/raw/$g/u" "$W/raw/$g/argv" || die "unexpected argv for $g: $(cat "$W/raw/$g/argv")"
}

# make_noops: the no-op service and a link for each of 1 ... max(N, 1).
make_noops() {
	{
		echo '#!/sbin/openrc-run'
		echo "# OpenRC's own cost for umlctl's benchmark (tests/bench/bench.sh), removed when it ends."
		echo 'command=/bin/sleep'
		echo 'command_args=100000'
		echo 'command_background=yes'
		# shellcheck disable=SC2016 # the runscript's variable
		echo 'pidfile="/run/${RC_SVCNAME}.pid"'
	} >"/etc/init.d/$noop" || die "cannot write /etc/init.d/$noop"
	chmod 0755 "/etc/init.d/$noop"
	noops=1
	nm=$(max_n)
	i=1
	while [ "$i" -le "$nm" ]; do
		[ "$i" = 1 ] || noops="$noops $i"
		ln -s "$noop" "/etc/init.d/$noop.$i" || die "cannot install /etc/init.d/$noop.$i"
		i=$((i + 1))
	done
}

# noop_cycle N KEY_START KEY_UP KEY_STOP REP: start the no-op services
# 1 ... N in parallel, then stop them in parallel (variant noop); an
# empty KEY is not recorded.
noop_cycle() {
	nl=$(seq 1 "$1" | tr '\n' ' ')
	via=noop
	# shellcheck disable=SC2086 # a list of numbers
	if ! rc_parallel start $nl; then
		rc_parallel stop $nl
		via=rc
		return 1
	fi
	nq_s=$el
	# shellcheck disable=SC2086
	rc_parallel stop $nl
	nq_r=$?
	via=rc
	[ "$nq_r" = 0 ] || return 1
	[ -z "$2" ] || record "$2" noop "$5" "$nq_s"
	[ -z "$3" ] || record "$3" noop "$5" "$nq_s"
	[ -z "$4" ] || record "$4" noop "$5" "$el"
}

# ---------------------------------------------------------------- umlctl side

# Launch `rc-service uml.NAME CMD' for each name in the background (with
# via=direct: `umlctl CMD NAME', without OpenRC), wait for all;
# el = elapsed microseconds; returns the number of failures.
rc_parallel() {
	cmd=$1
	shift
	rjobs=
	t0=$(now)
	for rn in "$@"; do
		if [ "${via:-rc}" = direct ]; then
			"$umlctl" -c /etc/conf.d "$cmd" "$rn" >"$W/log/rc.$rn" 2>&1 3>&- &
		else
			if [ "${via:-rc}" = noop ]; then
			rc-service "$noop.$rn" "$cmd" >"$W/log/rc.$rn" 2>&1 3>&- &
		else
			rc-service "uml.$rn" "$cmd" >"$W/log/rc.$rn" 2>&1 3>&- &
		fi
		fi
		rjobs="$rjobs $!:$rn"
	done
	nfail=0
	for rj in $rjobs; do
		wait "${rj%%:*}"
		rst=$?
		# umlctl stop exits 6 (EX_FORCED, src/pure/guest.h) when the ladder had
		# to force the guest down: what part 3 wants (forced=6), and a
		# failure anywhere else.
		[ "$rst" -eq 0 ] || { [ "$cmd" = stop ] && [ "$rst" -eq "${forced:-0}" ]; } && continue
		nfail=$((nfail + 1))
		rn=${rj#*:}
		cat "$W/log/rc.$rn" "$W/log/$rn.log" >"$out/failed.$rn.$(date +%H%M%S).log" 2>/dev/null
		lost "${via:-rc} $cmd $rn failed: $(grep -h '^umlctl: [^0-9]' "$W/log/rc.$rn" | head -1); logs in $out"
	done
	t1=$(now)
	el=$(us "$t0" "$t1")
	return "$nfail"
}

# up_watch NAME...: empty these guests' console logs and start watching
# them for umlctl's "NAME: guest says: ready" line (the supervisor logs it
# when the guest's init writes `ready' to /proc/mconsole).  logwait sleeps
# on inotify: no polling interval, and no CPU taken from the booting guests.
up_watch() {
	uw_files=
	for wn in "$@"; do
		: >"$W/log/$wn.log"
		uw_files="$uw_files $W/log/$wn.log"
	done
	# shellcheck disable=SC2086 # a list of paths
	"$logwait" "$up_timeout" 'guest says: ready' ': crashed: ' $uw_files >"$W/upwait" 2>&1 3>&- &
	uw_pid=$!
}

# up_abort: stop watching.
up_abort() {
	[ -n "$uw_pid" ] || return 0
	kill -TERM "$uw_pid" 2>/dev/null
	wait "$uw_pid" 2>/dev/null
	uw_pid=
}

# up_wait T0: wait until every watched guest is up; ut_us is the time from
# T0 (now()) until the last one said so.  A guest that crashes or does not
# get there leaves its console log in $out.
up_wait() {
	wait "$uw_pid"
	uw_rc=$?
	uw_pid=
	if [ "$uw_rc" = 0 ]; then
		ut_us=$(awk -v t0="$(($1 / 1000))" '$2 == "ok" && $3 - t0 > m { m = $3 - t0 } END { print m + 0 }' "$W/upwait")
		return 0
	fi
	while read -r uf uwhat _ uline; do
		wn=${uf##*/}
		wn=${wn%.log}
		case $uwhat in
		fail)
			cp "$uf" "$out/crashed.$wn.$(date +%H%M%S).log"
			lost "$wn: crashed: ${uline#*: crashed: }; console log in $out"
			;;
		timeout)
			cp "$uf" "$out/notup.$wn.$(date +%H%M%S).log"
			lost "$wn: guest userspace not up after $up_timeout s; console log in $out"
			;;
		esac
	done <"$W/upwait"
	[ "$uw_rc" = 2 ] || [ "$uw_rc" = 3 ] || bad "logwait failed ($uw_rc): $(head -1 "$W/upwait")"
	return 1
}

# ---------------------------------------------------------------- raw side

# kp: the kernel pid of the last `ready' line.
# r_upmax: the time (us) of the last `up' line.
raw_reset() { r_ready=0 r_up=0 r_fail=0 r_noup=0 kp=0 r_upmax=0; : >"$W/rtimes"; }

raw_prep() {
	rm -rf "$W/raw/$1/u" && install -d -o "$user" -g "$user" -m 0700 "$W/raw/$1/u"
	: >"$W/log/raw.$1.log"
}

# raw_launch NAME NETNS: the kernel in the background, under rawuml.
raw_launch() {
	IFS= read -r a <"$W/raw/$1/argv"
	set -f
	# shellcheck disable=SC2086 # the argv words (no blanks in any of them)
	"$rawuml" "$W/raw/$1/notify" "$user" "${2:--}" "$W/fifo" "$W/log/raw.$1.log" \
		"$up_timeout" "$1" -- $a 3>&- &
	set +f
	eval "job_$1=\$!"
}

# Read rawuml's lines until `ready' (or `fail') from $1 kernels and `up'
# (or `noup'/`fail') from $2.
raw_collect() {
	while [ $((r_ready + r_fail)) -lt "$1" ] || [ $((r_up + r_fail)) -lt "$2" ]; do
		IFS=' ' read -r rtag rwhat rkpid rtexec rtnow rtus rwhy <&3 || { bad "fifo closed"; return 1; }
		case $rwhat in
		ready)
			r_ready=$((r_ready + 1))
			kp=$rkpid
			echo "$rtag $rtexec $rtnow" >>"$W/rtimes"
			;;
		up)
			r_up=$((r_up + 1))
			[ "$rtus" -gt "$r_upmax" ] && r_upmax=$rtus
			;;
		noup)
			r_up=$((r_up + 1))
			cp "$W/log/raw.$rtag.log" "$out/notup.raw.$rtag.$(date +%H%M%S).log"
			r_noup=$((r_noup + 1))
			lost "raw $rtag: guest userspace not up${rwhy:+ ($rwhy)}; console log in $out"
			;;
		fail) r_fail=$((r_fail + 1)); lost "raw $rtag: $rwhy" ;;
		esac
	done
}

raw_sock() { echo "$W/raw/$1/u/$1/mconsole"; }

# Give up on the raw kernels of these names (rawuml kills them on SIGTERM).
raw_abort() {
	for ra in "$@"; do
		eval "j=\$job_$ra"
		[ -n "$j" ] || continue
		kill -TERM "$j" 2>/dev/null
		wait "$j"
		eval "job_$ra="
	done
}

# Wait for the rawuml of each name (that is, for its kernel's exit).
raw_reap() {
	for rr in "$@"; do
		eval "j=\$job_$rr"
		wait "$j"
		eval "job_$rr="
	done
}

# ---------------------------------------------------------------- parts

# Where a start's time goes.  From "NAME EXEC READY" lines (epoch ms: the
# kernel's fork or exec, its answer to `version'), with the start's T0 and
# T1 (ns): "until the last kernel's exec, the median kernel's boot to ready,
# from the last ready until the start returned" in microseconds.
phases() {
	awk -v t0="$(($1 / 1000000))" -v t1="$(($2 / 1000000))" '
		{ e = $2 - t0; if (e > em) em = e; if ($3 > rm) rm = $3; b[n++] = $3 - $2 }
		END {
			if (!n) exit
			for (i = 1; i < n; i++)
				for (j = i; j > 0 && b[j - 1] > b[j]; j--) { t = b[j]; b[j] = b[j - 1]; b[j - 1] = t }
			m = n % 2 ? b[(n - 1) / 2] : (b[n / 2 - 1] + b[n / 2]) / 2
			printf "%.0f %.0f %.0f\n", em * 1000, m * 1000, (t1 - rm) * 1000
		}' "$3"
}

# The same lines for umlctl's guests, from the times its supervisor logs
# ("kernel ... started as pid", "ready (...)": local time of day, ms).
# awk functions for those times: ep(the log's time field) is epoch ms,
# given t0 (epoch ms, the same day give or take 12 hours) and tz.  A line
# of umlctl's can follow the kernel's output on the same line (the kernel
# writes "Checking ...", then "OK\n"): it starts at "umlctl: ".
# shellcheck disable=SC2016 # awk's $0, not the shell's
awk_ep='
	function tod(s, a) { split(s, a, /[:.]/); return ((a[1] * 60 + a[2]) * 60 + a[3]) * 1000 + a[4] }
	function ep(s, x) { x = tod(s); if (x < t0tod - 43200000) x += 86400000; return base + x }
	BEGIN { t0tod = ((int(t0 / 1000) + tz) % 86400) * 1000 + t0 % 1000; base = t0 - t0tod }
	{ i = index($0, "umlctl: "); if (i > 1) $0 = substr($0, i) }'
umlctl_times() {
	ut0=$(($1 / 1000000))
	shift
	for un in "$@"; do
		awk -v n="$un:" -v t0="$ut0" -v tz="$tzoff" "$awk_ep"'
			$1 == "umlctl:" && $3 == n && / started as pid / { e = ep($2) }
			$1 == "umlctl:" && $3 == n && $4 == "ready" { r = ep($2) }
			END { if (e && r) printf "%s %.0f %.0f\n", n, e, r }' "$W/log/$un.log"
	done >"$W/utimes"
}

# record_stop_phases KEY VARIANT REP T0 T1 NAME: where a stop of umlctl's
# went, from the supervisor's log times ("stop: cad" once cad was
# answered, "stopped" once the kernel was gone and reaped): until then,
# from cad until the kernel was gone (mostly the guest's own shutdown),
# from then until the stop had returned (us).
record_stop_phases() {
	# shellcheck disable=SC2046 # three numbers
	set -- "$1" "$2" "$3" $(awk -v n="$6:" -v t0="$(($4 / 1000000))" -v t1="$(($5 / 1000000))" -v tz="$tzoff" "$awk_ep"'
		$1 == "umlctl:" && $3 == n && $4 == "stop:" && $5 == "cad" { c = ep($2) }
		$1 == "umlctl:" && $3 == n && $4 ~ /^stopped/ { g = ep($2) }
		END { if (c && g) printf "%.0f %.0f %.0f\n", (c - t0) * 1000, (g - c) * 1000, (t1 - g) * 1000 }' "$W/log/$6.log")
	[ $# = 6 ] || return 0
	record "$1" "$2.pre" "$3" "$4"
	record "$1" "$2.guest" "$3" "$5"
	record "$1" "$2.post" "$3" "$6"
}

# record_phases KEY VARIANT REP T0 T1 FILE
record_phases() {
	# shellcheck disable=SC2046 # three numbers
	set -- "$1" "$2" "$3" $(phases "$4" "$5" "$6")
	[ $# = 6 ] || return 0
	record "$1" "$2.exec" "$3" "$4"
	record "$1" "$2.boot" "$3" "$5"
	record "$1" "$2.post" "$3" "$6"
}

# A cycle is one start, wait until the guest's userspace is up, one stop of
# one variant; it returns 1 if a guest failed it (the sample is lost), and
# is then tried again, at most twice: 64M guests of this kernel sometimes
# panic while booting (see BENCHMARKS.md), whoever starts them.
cycle() {
	ct=1
	until "$@"; do
		ct=$((ct + 1))
		[ "$ct" -le 3 ] || { lost "$*: given up after 3 tries"; return 1; }
		msg "retrying $*"
	done
}

# Start guests through OpenRC (via=direct: umlctl alone) and wait until
# their userspace is up; st_us is the time until all starts had returned,
# ut_us until the last guest's userspace was up (both from rc_parallel's
# t0).  On failure stop whatever started (the runscript's stop handles a
# crashed guest) and fail.
umlctl_up() {
	up_watch "$@"
	if rc_parallel start "$@"; then
		st_us=$el
		up_wait "$t0" && return 0
	else
		up_abort
	fi
	rc_parallel stop "$@"
	return 1
}

# Start raw kernels (under rawuml) and wait until they are up; st_us is the
# time until all were ready (answered `version'), ut_us until the last
# guest's userspace was up.  On failure kill them all and fail.
# raw_up NETNS NAME...: NETNS "NS+" has each rawuml make its guest's tap.
raw_up() {
	rns=$1
	shift
	for ru in "$@"; do raw_prep "$ru"; done
	raw_reset
	t0=$(now)
	for ru in "$@"; do
		case $rns in
		*+) raw_launch "$ru" "${rns%+}:bt${ru#bench}:br0" ;;
		*) raw_launch "$ru" "$rns" ;;
		esac
	done
	raw_collect $# 0
	t1=$(now)
	st_us=$(us "$t0" "$t1")
	raw_collect $# $#
	ut_us=$((r_upmax - t0 / 1000))
	[ "$r_fail" = 0 ] && [ "$r_noup" = 0 ] && return 0
	raw_abort "$@"
	return 1
}

# Parts 1 and 2, variant umlctl: rc-service start, rc-service stop.
c12_umlctl() {
	uv=${2:-umlctl}
	umlctl_up benchsolo || return 1
	s_us=$st_us
	u_us=$ut_us
	umlctl_times "$t0" benchsolo
	record_phases p1phase "$uv" "$1" "$t0" "$t1" "$W/utimes"
	rc_parallel stop benchsolo || return 1
	record_stop_phases p2phase "$uv" "$1" "$t0" "$t1" benchsolo
	record p1start "$uv" "$1" "$s_us"
	record p1up "$uv" "$1" "$u_us"
	record p2stop "$uv" "$1" "$el"
}

# Variant direct: umlctl itself, without OpenRC: umlctl's own share.
c12_direct() {
	via=direct
	c12_umlctl "$1" direct
	r=$?
	via=rc
	return "$r"
}

# Variant raw: the kernel by hand; cad, then wait for its exit (event).
c12_raw() {
	raw_up - benchsolo || return 1
	s_us=$st_us
	u_us=$ut_us
	record_phases p1phase raw "$1" "$t0" "$t1" "$W/rtimes"
	t0=$(now)
	uml_mconsole "$(raw_sock benchsolo)" cad >/dev/null 2>&1
	tc=$(now)
	raw_reap benchsolo
	t1=$(now)
	record p2phase raw.pre "$1" "$(us "$t0" "$tc")"
	record p2phase raw.guest "$1" "$(us "$tc" "$t1")"
	record p1start raw "$1" "$s_us"
	record p1up raw "$1" "$u_us"
	record p2stop raw "$1" "$(us "$t0" "$t1")"
}

# Variant noop: OpenRC's own cost, a no-op service started and stopped.
c12_noop() { noop_cycle 1 p1start p1up p2stop "$1"; }

# Variant poll: cad, then `sleep 1' until the kernel is gone.
c12_poll() {
	raw_up - benchsolo || return 1
	t0=$(now)
	uml_mconsole "$(raw_sock benchsolo)" cad >/dev/null 2>&1
	while kill -0 "$kp" 2>/dev/null; do sleep 1; done
	t1=$(now)
	raw_reap benchsolo
	record p2stop poll "$1" "$(us "$t0" "$t1")"
}

# alternate REPS LABEL ORDER AFTER PREFIX [ARG]: REPS reps, each running
# `cycle PREFIX_V [ARG] REP' for every variant V of ORDER (baselines first),
# in reverse order on even reps, then for each variant of AFTER.
alternate() {
	a_n=$1 a_what=$2 a_order=$3 a_after=$4 a_fn=$5
	shift 5
	a_rev=
	for v in $a_order; do a_rev="$v $a_rev"; done
	rep=1
	while [ "$rep" -le "$a_n" ]; do
		msg "$a_what: rep $rep/$a_n"
		if [ $((rep % 2)) = 1 ]; then order=$a_order; else order=$a_rev; fi
		for v in $order $a_after; do
			cycle "${a_fn}_$v" "$@" "$rep"
		done
		rep=$((rep + 1))
	done
}

# 1 and 2: one guest, no network.  Each rep: a umlctl cycle and a raw cycle,
# alternating which goes first, then a raw cycle stopped the old way.
part12() {
	alternate "$reps" "parts 1-2" "raw noop direct umlctl" poll c12
}

c3_umlctl() {
	umlctl_up benchign || return 1
	forced=6
	rc_parallel stop benchign || { forced=; return 1; }
	forced=
	record p3stop "${2:-umlctl}" "$1" "$el"
}

# Variant direct: umlctl alone.
c3_direct() {
	via=direct
	c3_umlctl "$1" direct
	r=$?
	via=rc
	return "$r"
}

c3_noop() { noop_cycle 1 "" "" p3stop "$1"; }

# By hand: cad, wait SHUTDOWN_TIMEOUT, halt, wait for the exit.
c3_raw() {
	raw_up - benchign || return 1
	t0=$(now)
	uml_mconsole "$(raw_sock benchign)" cad >/dev/null 2>&1
	sleep "$ign_t"
	uml_mconsole "$(raw_sock benchign)" halt >/dev/null 2>&1
	raw_reap benchign
	t1=$(now)
	record p3stop raw "$1" "$(us "$t0" "$t1")"
}

# 3: a guest whose init ignores cad, SHUTDOWN_TIMEOUT=$ign_t.
part3() {
	alternate "$p3reps" "part 3" "raw noop direct umlctl" "" c3
	grep -h 'stop:\|stopped' "$W/log/benchign.log" | tail -8 >"$out/part3-ladder.log"
}

# 5: per-call cost on the running solo guest.
part5() {
	g=benchsolo
	rsock=/run/uml/$g/u/$g/mconsole
	if ! command -v valgrind >/dev/null 2>&1; then
		msg "part 5: valgrind missing, skipped"
		return 0
	fi
	# uml_mconsole, the reference peer, binds an abstract address for the
	# reply, which a confined kernel may not send to (Landlock's scope,
	# uml(8) CONFINE): this part runs its guest unconfined, and bounds
	# every uml_mconsole call so that no answer cannot hang the run.
	echo 'CONFINE="no"' >>"/etc/conf.d/uml.$g"
	cycle umlctl_up $g || return 0
	rep=1
	while [ "$rep" -le "$few" ]; do
		msg "part 5: rep $rep/$few"
		for v in umlctl mconsole; do
			f=$W/cg.$v.$rep
			if [ "$v" = umlctl ]; then
				valgrind --tool=callgrind --callgrind-out-file="$f" \
					"$umlctl" -c /etc/conf.d status $g >/dev/null 2>&1
			else
				timeout 20 valgrind --tool=callgrind \
					--callgrind-out-file="$f" \
					uml_mconsole "$rsock" version >/dev/null 2>&1
			fi || bad "callgrind $v failed"
			ir=$(awk '/^summary:/ { print $2 }' "$f")
			[ -n "$ir" ] && record ir "$v" "$rep" "$ir"
			i=0
			t0=$(now)
			while [ "$i" -lt 20 ]; do
				if [ "$v" = umlctl ]; then
					"$umlctl" -c /etc/conf.d status $g >/dev/null 2>&1
				else
					timeout 5 uml_mconsole "$rsock" version >/dev/null 2>&1
				fi
				i=$((i + 1))
			done
			t1=$(now)
			record callwall "$v" "$rep" $(($(us "$t0" "$t1") / 20))
		done
		rep=$((rep + 1))
	done
	rc_parallel stop $g
}

# ---------------------------------------------------------------- part 6

# 6: the guest's work.  One busybox guest (64M, a NIC of the fd transport on
# the namespace's bridge) runs tests/bench/gwork.c once it is up: wk_spec's
# getppid calls, fork+execs of /bin/true, MiB of page faults, MiB written
# and fsync'd to its root disk, MiB sent over TCP to gwork's sink on the
# bridge (10.0.0.1); each timed in the guest, one boot per sample.  The
# variants, alternating: raw (the kernel by hand, umlctl's argv, rawuml
# making the tap and giving it as fd 3), umlctl (umlctl start alone: its
# confinement, seccomp filter and console pipe; USERSPACE ptrace), noconf
# (the same with CONFINE="no"), seccomp (USERSPACE="seccomp", confined),
# and smp (seccomp with CPUS="2") where the kernel has SMP (p6smp).  Every
# cycle also times the start until the guest's userspace is up.

# wk_wait NAME LOG VARIANT REP: wait for gwork's "done" in LOG, record its
# figures; 1 if it failed.
wk_wait() {
	"$logwait" "$wk_timeout" 'gwork: done' 'gwork: failed' "$2" >"$W/wkwait" 2>&1 3>&-
	wr=$?
	if [ "$wr" != 0 ]; then
		cp "$2" "$out/gwork.$1.$(date +%H%M%S).log"
		lost "$3 $1: guest work did not finish ($(head -1 "$W/wkwait")); console log in $out"
		return 1
	fi
	awk -v v="$3" -v r="$4" '
		{ sub(/\r$/, ""); i = index($0, "gwork: "); if (!i) next; $0 = substr($0, i) }
		$2 ~ /^(syscall|forkexec|fault|disk|par|net)$/ && $3 ~ /^[0-9]+$/ { printf "w%s\t%s\t%s\t%s\n", $2, v, r, $3 }' "$2" >>"$samples"
}

# Variant umlctl (and noconf, seccomp: the guest NAME): umlctl start alone.
c6_umlctl() {
	wn=${2:-benchwk}
	wv=${3:-umlctl}
	ip -n "$ns" neigh flush dev br0 2>/dev/null
	via=direct
	if ! umlctl_up "$wn"; then
		via=rc
		return 1
	fi
	record wstart "$wv" "$1" "$ut_us"
	wk_wait "$wn" "$W/log/$wn.log" "$wv" "$1"
	wr=$?
	rc_parallel stop "$wn"
	via=rc
	return "$wr"
}
c6_noconf() { c6_umlctl "$1" benchwn noconf; }
c6_seccomp() { c6_umlctl "$1" benchws seccomp; }
c6_smp() { c6_umlctl "$1" benchw2 smp; }

c6_raw() {
	# The machine's load, once a rep (the report gives its spread).
	record wload - "$1" "$(cut -d' ' -f1 /proc/loadavg)"
	ip -n "$ns" neigh flush dev br0 2>/dev/null
	raw_up "$ns+" benchwk || return 1
	record wstart raw "$1" "$ut_us"
	wk_wait benchwk "$W/log/raw.benchwk.log" raw "$1"
	wr=$?
	# From inside the namespace: the reply goes to uml_mconsole's abstract
	# address, and abstract addresses belong to a network namespace.
	ip netns exec "$ns" timeout 20 uml_mconsole "$(raw_sock benchwk)" cad >/dev/null 2>&1
	raw_reap benchwk
	return "$wr"
}

part6() {
	ip netns exec "$ns" "$W/gwork" sink 5001 3>&- &
	sink_pid=$!
	alternate "$p6reps" "part 6" "raw umlctl noconf seccomp${p6smp:+ smp}" "" c6
	kill -TERM "$sink_pid" 2>/dev/null
	wait "$sink_pid" 2>/dev/null
	sink_pid=
}

# Leftovers after a parallel stop of guests 1..N (umlctl's or raw).
leftovers() {
	lv=$1 ln=$2 lrep=$3
	procs=$(ps -u "$user" -o pid= 2>/dev/null | wc -l)
	sups=$(pgrep -c -f "^$umlctl .* start bench[0-9]")
	taps=$(ip -n "$ns" -o link show type tun 2>/dev/null | wc -l)
	dirs=0
	for lg in $(seq_names "$ln"); do
		for lf in "/run/uml/$lg" "/run/uml/$lg.pid" "/run/uml/$lg.lock"; do
			[ -e "$lf" ] && dirs=$((dirs + 1))
		done
	done
	record "n${ln}left" "$lv.procs" "$lrep" "$procs"
	record "n${ln}left" "$lv.sups" "$lrep" "$sups"
	record "n${ln}left" "$lv.taps" "$lrep" "$taps"
	record "n${ln}left" "$lv.rundirs" "$lrep" "$dirs"
}

# raw_taps add|del N: make the taps of N raw guests, or delete the taps
# there are (a failed rawtap cycle may not have made them all).
raw_taps() {
	if [ "$1" = del ]; then
		ip -n "$ns" -o link show type tun | awk -F': ' '{ sub(/@.*/, "", $2); print "link del", $2 }'
	else
		for tg in $(seq_names "$2"); do
			tt=bt${tg#bench}
			echo "tuntap add dev $tt mode tap user $user group $user"
			echo "link set $tt master br0 up"
		done
	fi | ip -n "$ns" -batch - || bad "ip -batch ($1 taps) failed"
}

# Part 4, variant umlctl: N guests through OpenRC in parallel.
c4_umlctl() {
	uv=${3:-umlctl}
	# shellcheck disable=SC2086 # a list of names
	umlctl_up $gs || return 1
	s_us=$st_us
	u_us=$ut_us
	# shellcheck disable=SC2086
	umlctl_times "$t0" $gs
	record_phases "n${1}phase" "$uv" "$2" "$t0" "$t1" "$W/utimes"
	hw=
	for g in $gs; do
		IFS= read -r sp <"/run/uml/$g.pid" &&
			hw="$hw $(awk '/^VmHWM:/ { print $2 }' "/proc/$sp/status")"
	done
	# shellcheck disable=SC2086
	rc_parallel stop $gs || return 1
	record "n${1}start" "$uv" "$2" "$s_us"
	record "n${1}up" "$uv" "$2" "$u_us"
	record "n${1}stop" "$uv" "$2" "$el"
	for h in $hw; do record "n${1}hwm" "$uv" "$2" "$h"; done
	leftovers "$uv" "$1" "$2"
}

# Variant direct: the same through umlctl alone, without OpenRC.
c4_direct() {
	via=direct
	c4_umlctl "$@" direct
	r=$?
	via=rc
	return "$r"
}

# Variant raw: the taps made beforehand and removed afterwards (untimed),
# N kernels by hand.  Variant rawtap (c4_raw tap): each kernel's rawuml
# makes its tap and removes it after the kernel's exit, timed.
c4_raw() {
	rv=raw${3:-}
	case $rv in
	raw) raw_taps add "$1"; rns=$ns ;;
	*) rns=$ns+ ;;
	esac
	# shellcheck disable=SC2086
	if ! raw_up "$rns" $gs; then
		raw_taps del "$1"
		return 1
	fi
	record_phases "n${1}phase" "$rv" "$2" "$t0" "$t1" "$W/rtimes"
	socks=
	for g in $gs; do socks="$socks $(raw_sock "$g")"; done
	t0=$(now)
	# shellcheck disable=SC2016,SC2086 # $s is the inner shell's; a list of paths
	ip netns exec "$ns" sh -c 'for s; do uml_mconsole "$s" cad >/dev/null 2>&1 & done; wait' sh $socks
	# shellcheck disable=SC2086
	raw_reap $gs
	t1=$(now)
	record "n${1}start" "$rv" "$2" "$st_us"
	record "n${1}up" "$rv" "$2" "$ut_us"
	record "n${1}stop" "$rv" "$2" "$(us "$t0" "$t1")"
	# rawtap's taps left now are rawuml's failures: counted.
	[ "$rv" = raw ] && raw_taps del "$1"
	leftovers "$rv" "$1" "$2"
	[ "$rv" = raw ] || raw_taps del "$1"
}
c4_rawtap() { c4_raw "$1" "$2" tap; }
c4_noop() { noop_cycle "$1" "n${1}start" "" "n${1}stop" "$2"; }

# 4: N guests in parallel.
part4() {
	for nn in $scale; do
		need=$((nn * mem_mib * 1024 * 5 / 4))
		shm=$(df -Pk /dev/shm | awk 'NR == 2 { print $4 }')
		avail=$(awk '/^MemAvailable:/ { print $2 }' /proc/meminfo)
		if [ "$shm" -lt "$need" ] || [ "$avail" -lt "$need" ]; then
			msg "part 4: N=$nn skipped: needs $((need / 1024)) MiB, /dev/shm has $((shm / 1024)), MemAvailable $((avail / 1024))"
			record "n${nn}skip" - - 1
			continue
		fi
		gs=$(seq_names "$nn")
		alternate "$scale_reps" "part 4: N=$nn" "raw rawtap noop direct umlctl" "" c4 "$nn"
	done
}

# ---------------------------------------------------------------- report

# stat KEY VARIANT -> "median min max count" of the samples.
stat() {
	awk -F '\t' -v k="$1" -v v="$2" '
		$1 == k && $2 == v { a[n++] = $4 + 0 }
		END {
			if (!n) { print "- - - 0"; exit }
			for (i = 1; i < n; i++)
				for (j = i; j > 0 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
			m = n % 2 ? a[(n - 1) / 2] : (a[n / 2 - 1] + a[n / 2]) / 2
			printf "%.10g %.10g %.10g %d\n", m, a[0], a[n - 1], n
		}' "$samples"
}

# pairs OP KEY VARIANT_A VARIANT_B -> "median min max count" of the per-rep
# A/B (OP r) or A - B (OP d).
pairs() {
	awk -F '\t' -v op="$1" -v k="$2" -v va="$3" -v vb="$4" '
		$1 == k && $2 == va { a[$3] = $4 }
		$1 == k && $2 == vb { b[$3] = $4 }
		END {
			for (r in a) {
				if (!(r in b)) continue
				if (op == "d") x[n++] = a[r] - b[r]
				else if (b[r] > 0) x[n++] = a[r] / b[r]
			}
			if (!n) { print "- - - 0"; exit }
			for (i = 1; i < n; i++)
				for (j = i; j > 0 && x[j - 1] > x[j]; j--) { t = x[j]; x[j] = x[j - 1]; x[j - 1] = t }
			m = n % 2 ? x[(n - 1) / 2] : (x[n / 2 - 1] + x[n / 2]) / 2
			printf "%.10g %.10g %.10g %d\n", m, x[0], x[n - 1], n
		}' "$samples"
}
# excess KEY -> "median min max count" of the per-rep umlctl - direct -
# noop: what umlctl through OpenRC costs beyond umlctl alone and OpenRC's
# own cost.
excess() {
	awk -F '\t' -v k="$1" '
		$1 == k && $2 == "umlctl" { a[$3] = $4 }
		$1 == k && $2 == "direct" { b[$3] = $4 }
		$1 == k && $2 == "noop" { c[$3] = $4 }
		END {
			for (r in a)
				if ((r in b) && (r in c)) x[n++] = a[r] - b[r] - c[r]
			if (!n) { print "- - - 0"; exit }
			for (i = 1; i < n; i++)
				for (j = i; j > 0 && x[j - 1] > x[j]; j--) { t = x[j]; x[j] = x[j - 1]; x[j - 1] = t }
			m = n % 2 ? x[(n - 1) / 2] : (x[n / 2 - 1] + x[n / 2]) / 2
			printf "%.10g %.10g %.10g %d\n", m, x[0], x[n - 1], n
		}' "$samples"
}
# ratio KEY VARIANT_A VARIANT_B: per-rep A/B.  delta: per-rep A - B (us).
ratio() { pairs r "$@"; }
delta() { pairs d "$@"; }

# fmt_t "median min max n" (microseconds) -> "1234 ms (1200-1300)"
fmt_t() {
	echo "$1" | awk '
		function f(x) { x /= 1000; return x >= 100 ? sprintf("%.0f", x) : sprintf("%.1f", x) }
		$4 == 0 { print "-"; exit }
		{ printf "%s ms (%s–%s)\n", f($1), f($2), f($3) }'
}
# fmt_d: the same, signed: "+38.2 ms (+30.1 to +45.0)"
fmt_d() {
	echo "$1" | awk '
		function f(x, s) { s = x < 0 ? "-" : "+"; x = (x < 0 ? -x : x) / 1000; return s (x >= 100 ? sprintf("%.0f", x) : sprintf("%.1f", x)) }
		$4 == 0 { print "-"; exit }
		{ printf "%s ms (%s to %s)\n", f($1), f($2), f($3) }'
}
fmt_r() {
	echo "$1" | awk '$4 == 0 { print "-"; exit } { printf "%.2f (%.2f–%.2f)\n", $1, $2, $3 }'
}
fmt_n() {
	echo "$1" | awk '$4 == 0 { print "-"; exit } { printf "%d (%d–%d)\n", $1, $2, $3 }'
}
# met "median min max n" OP LIMIT -> yes/no/-, on the median.
met() {
	echo "$1" | awk -v op="$2" -v lim="$3" '
		$4 == 0 { print "-"; exit }
		{ ok = op == "le" ? $1 <= lim : $1 >= lim; print ok ? "yes" : "**no**" }'
}

# The goals.  Through OpenRC: at most umlctl alone + the no-op service +
# goal_rc_ms, per rep (OpenRC's own cost, measured, not assumed).  umlctl
# alone: at most goal_start (start) and goal_stop (stop) times raw.
goal_rc_ms=10
goal_start=1.05
goal_stop=1.10
g_rc="≤ alone + no-op + $goal_rc_ms ms"

# Part 6: umlctl's own cost on the guest's work, and the confinement's
# (issue 23: within 1.03 of CONFINE=no).
goal_own=1.02
goal_confine=1.03

# wk_cell KEY VARIANT: the median time, and per unit of work.
wk_cell() {
	# shellcheck disable=SC2086 # five numbers
	set -- "$1" "$2" $wk_n
	stat "$1" "$2" | awk -v k="$1" -v s="$3" -v f="$4" -v p="$5" -v d="$6" -v n="$7" '
		$4 == 0 { print "-"; exit }
		{
			x = $1 / 1000; t = sprintf(x >= 100 ? "%.0f ms" : "%.1f ms", x)
			if (k == "wsyscall") t = t sprintf(", %.2f µs/call", $1 / s)
			if (k == "wforkexec") t = t sprintf(", %.2f ms/exec", $1 / f / 1000)
			if (k == "wfault") t = t sprintf(", %.2f µs/page", $1 / (p * 256))
			if (k == "wdisk") t = t sprintf(", %.1f MiB/s", d / ($1 / 1e6))
			if (k == "wpar") t = t sprintf(", %.2f ms/exec", $1 / f / 1000)
			if (k == "wnet") t = t sprintf(", %.1f MiB/s", n / ($1 / 1e6))
			print t
		}'
}

row() { printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$@"; }

# rc_row ID MEASUREMENT KEY BASELINE_TEXT: an OpenRC row (variant umlctl
# against raw), goal g_rc on the excess; then the no-op service's row.
rc_row() {
	rx=$(excess "$3")
	row "$1" "$2" "$(fmt_t "$(stat "$3" umlctl)")" "$4: $(fmt_t "$(stat "$3" raw)")" \
		"$(fmt_r "$(ratio "$3" umlctl raw)")" "$(fmt_d "$(delta "$3" umlctl raw)")" \
		"$g_rc: excess $(fmt_d "$rx")" "$(met "$rx" le $((goal_rc_ms * 1000)))"
	noop_row "$1" "$3"
}
# noop_row ID KEY: OpenRC's own cost, the no-op service(s), against umlctl alone.
noop_row() {
	row "$1" "… OpenRC's own cost: a no-op service (start-stop-daemon sleep), as many at a time" \
		"$(fmt_t "$(stat "$2" noop)")" "umlctl alone: $(fmt_t "$(stat "$2" direct)")" \
		"$(fmt_r "$(ratio "$2" noop direct)")" "$(fmt_d "$(delta "$2" noop direct)")" - -
}
# alone_row ID MEASUREMENT KEY BASELINE_TEXT LIMIT: umlctl alone (variant
# direct) against raw, goal LIMIT on the ratio.
alone_row() {
	ar=$(ratio "$3" direct raw)
	row "$1" "$2" "$(fmt_t "$(stat "$3" direct)")" "$4" \
		"$(fmt_r "$ar")" "$(fmt_d "$(delta "$3" direct raw)")" "≤ $5" "$(met "$ar" le "$5")"
}

# phase_cell KEY VARIANT PHASE...: "a / b / c" medians in ms.
phase_cell() {
	pk=$1 pv=$2
	shift 2
	pc=
	for ph; do
		pc="$pc / $(stat "$pk" "$pv.$ph" | awk '$4 == 0 { print "-"; exit } { x = $1 / 1000; printf(x >= 100 ? "%.0f" : "%.1f", x) }')"
	done
	echo "${pc# / } ms"
}
# phase_row ID KEY [VARIANT]: a start's split, umlctl's (or VARIANT's)
# against raw's.
phase_row() {
	if [ "${3:-umlctl}" = umlctl ]; then
		pl="… split: until the last kernel runs / median kernel boot to ready / last ready until done"
	else
		pl="… the same split, umlctl alone"
	fi
	row "$1" "$pl" "$(phase_cell "$2" "${3:-umlctl}" exec boot post)" \
		"$(phase_cell "$2" raw exec boot post)" - - - -
}
# stop_phase_row ID KEY [VARIANT]: a stop's split.
stop_phase_row() {
	if [ "${3:-umlctl}" = umlctl ]; then
		pl="… split: until cad was answered / cad until the kernel was gone / then until done"
	else
		pl="… the same split, umlctl alone"
	fi
	row "$1" "$pl" "$(phase_cell "$2" "${3:-umlctl}" pre guest post)" \
		"$(phase_cell "$2" raw pre guest | sed 's| ms$| / - ms|')" - - - -
}

report() {
	nrep=$(stat p1start umlctl | cut -d' ' -f4)
	{
		echo "## umlctl benchmark"
		echo
		echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(uname -r), $(nproc) CPUs, $(free -h | awk '/^Mem:/ { print $2 }') RAM, $(openrc --version 2>/dev/null | head -1)."
		echo "Guest kernel: $kernel ($("$kernel" --version 2>/dev/null | head -1))."
		echo "umlctl: $(if [ "$installed" = 1 ]; then echo "installed ($umlctl)"; else echo "this tree ($rev)"; fi), binary sha256 $(sha256sum "$umlctl" | cut -c1-12);" \
			"parts: $parts; reps: $reps (part 3: $p3reps, scale: $scale_reps, per call: $few), $nrep samples of umlctl in part 1; load average before: $load0, after: $(cut -d' ' -f1-3 /proc/loadavg)."
		echo
		if part 6; then
			echo "Load average (1 min) during part 6, once a rep: $(stat wload - | awk '$4 == 0 { print "-"; exit } { printf "median %.2f (%.2f–%.2f)\n", $1, $2, $3 }')."
			echo
		fi
		echo "Median (min–max) over the reps.  A ratio is the median of the per-rep ratios umlctl/baseline,"
		echo "a difference the median of the per-rep differences umlctl − baseline (the two alternate)."
		echo "Goals: through OpenRC $g_rc; umlctl alone ≤ $goal_start × raw (start), ≤ $goal_stop × raw (stop)."
		echo
		row '#' measurement umlctl baseline ratio 'umlctl − baseline' goal met
		row --- --- --- --- --- --- --- ---
		if part 1 || part 2; then
		rc_row 1 "start to ready, 1 guest" p1start "raw kernel, notify + version"
		phase_row 1 p1phase
		alone_row 1 "… umlctl start alone, without OpenRC" p1start "the same raw kernel" "$goal_start"
		phase_row 1 p1phase direct
		rc_row 1b "start to userspace up (the guest's init says ready), 1 guest" p1up \
			"raw kernel, notify until the guest's USER_NOTIFY ready"
		alone_row 1b "… umlctl start alone, without OpenRC, to userspace up" p1up "the same raw kernel" "$goal_start"
		rc_row 2a "stop, cooperative guest" p2stop "cad + wait for exit"
		stop_phase_row 2a p2phase
		alone_row 2a "… umlctl stop alone, without OpenRC" p2stop "cad + wait for exit" "$goal_stop"
		stop_phase_row 2a p2phase direct
		s=$(ratio p2stop poll umlctl)
		row 2b "stop, cooperative guest, against polling" "$(fmt_t "$(stat p2stop umlctl)")" \
			"cad + sleep 1 until gone: $(fmt_t "$(stat p2stop poll)")" "$(fmt_r "$s") × faster" \
			"$(fmt_d "$(delta p2stop umlctl poll)")" "≥ 5× faster" "$(met "$s" ge 5)"
		row 2b "… umlctl stop alone, against polling" "$(fmt_t "$(stat p2stop direct)")" \
			"cad + sleep 1 until gone" "$(fmt_r "$(ratio p2stop poll direct)") × faster" \
			"$(fmt_d "$(delta p2stop direct poll)")" - -
		fi
		if part 3; then
		s=$(stat p3stop umlctl)
		o=$(echo "$s" | awk -v t="$ign_t" '$4 == 0 { print "- - - 0"; exit } { print $1 - t * 1e6, $2 - t * 1e6, $3 - t * 1e6, $4 }')
		d=$(delta p3stop umlctl raw)
		rx=$(excess p3stop)
		m1=$(met "$rx" le $((goal_rc_ms * 1000)))
		m2=$(echo "$s" | awk -v b=$((ign_t + 20)) '$4 == 0 { print "-"; exit } { print $3 <= b * 1e6 ? "yes" : "**no**" }')
		[ "$m2" = yes ] || m1=$m2
		row 3 "stop, guest ignoring cad, SHUTDOWN_TIMEOUT=$ign_t s" "$(fmt_t "$s"); overhead $(fmt_t "$o")" \
			"cad, sleep $ign_t, halt: $(fmt_t "$(stat p3stop raw)")" "$(fmt_r "$(ratio p3stop umlctl raw)")" \
			"$(fmt_d "$d")" "$g_rc: excess $(fmt_d "$rx"); ≤ $ign_t s + 20 s" "$m1"
		noop_row 3 p3stop
		alone_row 3 "… umlctl stop alone, without OpenRC" p3stop "cad, sleep $ign_t, halt" "$goal_stop"
		fi
		part 4 || scale=
		for nn in $scale; do
			if [ "$(stat "n${nn}skip" - | cut -d' ' -f4)" != 0 ]; then
				row "4 N=$nn" "skipped: not enough memory or /dev/shm" - - - - - -
				continue
			fi
			rc_row "4 N=$nn" "parallel start, all ready (taps in a netns)" "n${nn}start" "raw kernels, taps made beforehand"
			phase_row "4 N=$nn" "n${nn}phase"
			alone_row "4 N=$nn" "… umlctl alone, without OpenRC (N umlctl start)" "n${nn}start" \
				"raw kernels, taps made beforehand" "$goal_start"
			phase_row "4 N=$nn" "n${nn}phase" direct
			row "4 N=$nn" "… the same, against raw kernels that make their taps" "$(fmt_t "$(stat "n${nn}start" umlctl)")" \
				"raw kernels, each making its tap, timed: $(fmt_t "$(stat "n${nn}start" rawtap)")" \
				"$(fmt_r "$(ratio "n${nn}start" umlctl rawtap)")" "$(fmt_d "$(delta "n${nn}start" umlctl rawtap)")" - -
			row "4 N=$nn" "… umlctl start alone, against raw kernels that make their taps" \
				"$(fmt_t "$(stat "n${nn}start" direct)")" "raw kernels, each making its tap, timed" \
				"$(fmt_r "$(ratio "n${nn}start" direct rawtap)")" "$(fmt_d "$(delta "n${nn}start" direct rawtap)")" - -
			rc_row "4 N=$nn" "parallel stop" "n${nn}stop" "cad + wait for exit"
			alone_row "4 N=$nn" "… umlctl stop alone, without OpenRC" "n${nn}stop" "cad + wait for exit" "$goal_stop"
			row "4 N=$nn" "… the same stop, against raw kernels that remove their taps" "$(fmt_t "$(stat "n${nn}stop" umlctl)")" \
				"cad + wait for exit, each removing its tap, timed: $(fmt_t "$(stat "n${nn}stop" rawtap)")" \
				"$(fmt_r "$(ratio "n${nn}stop" umlctl rawtap)")" "$(fmt_d "$(delta "n${nn}stop" umlctl rawtap)")" - -
			row "4 N=$nn" "… stop without OpenRC, against raw kernels that remove their taps" \
				"$(fmt_t "$(stat "n${nn}stop" direct)")" "cad + wait for exit, each removing its tap, timed" \
				"$(fmt_r "$(ratio "n${nn}stop" direct rawtap)")" "$(fmt_d "$(delta "n${nn}stop" direct rawtap)")" - -
			l=
			lsum=0
			for k in procs sups taps rundirs; do
				mx=$(stat "n${nn}left" "umlctl.$k" | cut -d' ' -f3)
				m2=$(stat "n${nn}left" "direct.$k" | cut -d' ' -f3)
				[ "$m2" != - ] && [ "$mx" != - ] && [ "$m2" -gt "$mx" ] && mx=$m2
				[ "$mx" = - ] && mx='?'
				l="$l $k $mx,"
				[ "$mx" = 0 ] || lsum=1
			done
			# raw's taps are the benchmark's own, deleted before the count;
			# rawtap's are rawuml's, counted.
			lr=" procs $(stat "n${nn}left" raw.procs | cut -d' ' -f3)/$(stat "n${nn}left" rawtap.procs | cut -d' ' -f3) (rawtap's taps: $(stat "n${nn}left" rawtap.taps | cut -d' ' -f3))"
			row "4 N=$nn" "leftovers after stop (max over reps, with and without OpenRC)" "${l%,}" "raw/rawtap:$lr" - - "0" "$([ "$lsum" = 0 ] && echo yes || echo '**no**')"
			row "4 N=$nn" "supervisor peak memory (VmHWM) per guest" \
				"$(stat "n${nn}hwm" umlctl | awk '$4 == 0 { print "-"; exit } { printf "%d KiB (%d–%d)\n", $1, $2, $3 }')" - - - - -
		done
		if part 5; then
		s=$(ratio ir umlctl mconsole)
		row 5 "instructions per call (callgrind Ir)" "umlctl status: $(fmt_n "$(stat ir umlctl)")" \
			"uml_mconsole version: $(fmt_n "$(stat ir mconsole)")" "$(fmt_r "$s")" - - -
		row 5 "wall time per call" "$(fmt_t "$(stat callwall umlctl)")" \
			"$(fmt_t "$(stat callwall mconsole)")" "$(fmt_r "$(ratio callwall umlctl mconsole)")" \
			"$(fmt_d "$(delta callwall umlctl mconsole)")" - -
		fi
		if part 6; then
		# shellcheck disable=SC2086 # five numbers
		set -- $wk_n
		for wk in start syscall forkexec fault disk par net; do
			case $wk in
			start) wl="start to userspace up (umlctl start alone)" ;;
			syscall) wl="$1 getppid calls" ;;
			forkexec) wl="$2 fork+exec of /bin/true" ;;
			fault) wl="page faults: $3 MiB of fresh memory touched" ;;
			disk) wl="root disk: $4 MiB written + fsync" ;;
			par) wl="parallel: the $1 calls and $2 fork+execs split between two processes at once" ;;
			net) wl="network, fd transport: $5 MiB over TCP to the host's namespace" ;;
			esac
			k=w$wk
			r=$(ratio "$k" umlctl raw)
			row "6 $wk" "$wl: umlctl against the raw kernel" "$(wk_cell "$k" umlctl)" \
				"raw kernel, same argv: $(wk_cell "$k" raw)" "$(fmt_r "$r")" "$(fmt_d "$(delta "$k" umlctl raw)")" \
				"≤ $goal_own" "$(met "$r" le "$goal_own")"
			r=$(ratio "$k" umlctl noconf)
			row "6 $wk" "… confined against CONFINE=no" "$(wk_cell "$k" umlctl)" \
				"CONFINE=no: $(wk_cell "$k" noconf)" "$(fmt_r "$r")" "$(fmt_d "$(delta "$k" umlctl noconf)")" \
				"≤ $goal_confine" "$(met "$r" le "$goal_confine")"
			row "6 $wk" "… USERSPACE=seccomp against ptrace (both umlctl, confined)" "$(wk_cell "$k" seccomp)" \
				"ptrace: $(wk_cell "$k" umlctl)" "$(fmt_r "$(ratio "$k" seccomp umlctl)")" \
				"$(fmt_d "$(delta "$k" seccomp umlctl)")" - -
			[ -z "$p6smp" ] || row "6 $wk" "… CPUS=2 against CPUS=1 (both seccomp, confined)" "$(wk_cell "$k" smp)" \
				"CPUS=1: $(wk_cell "$k" seccomp)" "$(fmt_r "$(ratio "$k" smp seccomp)")" \
				"$(fmt_d "$(delta "$k" smp seccomp)")" - -
		done
		[ -n "$p6smp" ] || printf '\nCPUS=2 not measured: %s has no SMP (CONFIG_SMP).\n' "$kernel"
		fi
		echo
		if [ -s "$out/lost.txt" ]; then
			echo "Samples lost to guest failures ($(wc -l <"$out/lost.txt"); their reps are left out of the figures, console logs in $out):"
			echo
			sed 's/^/- /' "$out/lost.txt"
			echo
		fi
		if [ "$broken" = 1 ]; then
			echo "**The benchmark broke** (see its messages): some figures are missing or partial."
		fi
	} >"$out/results.md"
	cat "$out/results.md"
}

# ---------------------------------------------------------------- main

umlctl=$top/build/umlctl
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
preflight
load0=$(cut -d' ' -f1-3 /proc/loadavg)
setup
make_guest benchsolo "${BENCH_IMAGE:-$W/img.solo}" 60
make_guest benchign "$W/img.ign" "$ign_t"
ns=umlbench-$$
ip netns add "$ns" || die "cannot make network namespace $ns"
if ! ip -n "$ns" link set lo up || ! ip -n "$ns" link add br0 type bridge ||
	! ip -n "$ns" link set br0 up; then
	die "cannot make bridge br0 in network namespace $ns"
fi
for g in $(seq_names "$(max_n)"); do
	make_guest "$g" "$W/img.net" 60 "$ns" "bt${g#bench}"
done
if part 6; then
	ip -n "$ns" addr add 10.0.0.1/24 dev br0 || die "cannot give br0 its address in $ns"
	g_kargs="gwork=$wk_spec"
	make_guest benchwk "$W/img.work" 60 "$ns" bw1
	g_extra='CONFINE="no"'
	make_guest benchwn "$W/img.work" 60 "$ns" bw2
	g_extra='USERSPACE="seccomp"'
	make_guest benchws "$W/img.work" 60 "$ns" bw3
	# CPUS=2 where the kernel can (its config text, as umlctl reads it).
	p6smp=
	if "$kernel" --showconfig 2>/dev/null | grep -qx 'CONFIG_SMP=y'; then
		p6smp=1
		g_extra='USERSPACE="seccomp"
CPUS="2"'
		make_guest benchw2 "$W/img.work" 60 "$ns" bw4
	fi
	g_kargs='' g_extra=''
fi
if part 1 || part 2 || part 3 || part 4; then make_noops; fi
rc-update -u >/dev/null 2>&1 || die "rc-update -u failed"
msg "work directory $W, network namespace $ns; results in $out"
if part 1 || part 2; then part12; fi
if part 3; then part3; fi
if part 5; then part5; fi
if part 6; then part6; fi
if part 4; then part4; fi
report
exit "$broken"
