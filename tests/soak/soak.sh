#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# tests/soak/soak.sh: a chaos soak of umlctl against real guests (issue 22).
#
#   SOAK_MINUTES=60 SOAK_GUESTS=8 SOAK_SEED=N sh tests/soak/soak.sh
#   (or make soak SOAK_MINUTES=... ; as root, after make)
#
# Busybox guests (tests/tools/mkguest.sh --records --write) run as OpenRC
# services in a private OpenRC state (a mount namespace of the soak's own,
# as t-rc-shutdown makes one).  Four kinds, one after the other: `plain'
# (ctrl-alt-del powers off), `ignore' (it does nothing: every stop is a
# forced one), `net' (a NIC on a bridge in a network namespace the soak
# makes) and `cow' (over one shared, read-only base).  Each appends
# checksummed records to /records, fsyncs each and says `ack R N' on its
# console; each also writes /data.txt at boot without any sync (periodic
# writeback off), which only a graceful or synced stop saves.  R is
# round=R on the kernel's command line: a number new at every start.
#
# Every guest has a worker of its own, and the workers run at once: each
# draws, from the guest's own PRNG stream (seeded by SOAK_SEED and the
# guest's number; an LCG in sh), one operation from the weighted table
# OPS, runs it under a timeout, then checks the guest's invariants (see
# check_guest), and draws again.  So operations on different guests
# overlap all the time, and `same' puts two on one guest at once.  Every
# SOAK_EPOCH seconds the workers finish their operation and stop: a
# runlevel switch (drawn from the driver's own stream) stops half the
# guests and starts the other half, every guest is checked in full, and
# the workers go on.  A violation is a `VIOLATION' line with the seed,
# the step (GUEST.N: guest GUEST's Nth operation) and the evidence, in
# build/soak/violations and the log.  The choices depend on the seed
# alone, never on what happened: the same seed replays the same
# operations on each guest in the same order (how they interleave, and so
# the results, depend on timing).  At the end every guest is started and
# all are stopped at once, and everything must be gone.
# build/soak/report.md sums it up; the exit status is 0 with no violation.
#
# SC2317: functions called through t_wait; SC2154: variables set by eval
# (the guests' state is kept in NAME_I variables).
# shellcheck source=SCRIPTDIR/../lib.sh disable=SC2317,SC2154
SOAK_TESTS=$(cd "$(dirname "$0")/.." && pwd -P)
SOAK_ROOT=${SOAK_TESTS%/*}
SOAK_MINUTES=${SOAK_MINUTES:-60}
SOAK_GUESTS=${SOAK_GUESTS:-8}
SOAK_SEED=${SOAK_SEED:-$(date +%s)}
# The operations' time in seconds, if set, instead of SOAK_MINUTES.
SOAK_SECONDS=${SOAK_SECONDS:-$((SOAK_MINUTES * 60))}
SOAK_OUT=${SOAK_OUT:-$SOAK_ROOT/build/soak}
# Seconds a stop may take beyond its documented bound (SHUTDOWN_TIMEOUT +
# 22 s, then 3.5 s for umlctl stop), for a loaded 2-core host.
SOAK_SLACK=${SOAK_SLACK:-10}
# And an rc-service stop beyond that: OpenRC's own work (it may rebuild
# its dependency cache first), 20-30 s with 8 at once on a loaded host.
SOAK_RC_SLACK=${SOAK_RC_SLACK:-60}
# Seconds between runlevel switches (each with a full check of every
# guest); at most half the run, so that a short run has one.
SOAK_EPOCH=${SOAK_EPOCH:-180}
# Seconds a busybox guest waits between two records (recdelay= on its
# command line): without a pause each guest's loop of append, fsync and
# console line keeps a host CPU busy, and a few of them slowed everything
# else on a 2-core host.
SOAK_RECDELAY=${SOAK_RECDELAY:-0.2}
case $SOAK_RECDELAY in
'' | *[!0-9.]*) echo "soak: SOAK_RECDELAY: seconds (0.2)" >&2; exit 100 ;;
esac
# The net guests' NET_TRANSPORT ("" umlctl's default, fd: taps that go
# with their last descriptor; vector: persistent taps umlctl must delete).
SOAK_NET_TRANSPORT=${SOAK_NET_TRANSPORT:-}
case $SOAK_NET_TRANSPORT in
'' | fd | vector) ;;
*) echo "soak: SOAK_NET_TRANSPORT: fd or vector" >&2; exit 100 ;;
esac
# 1: the last guest is a Debian 12 systemd guest made by umlctl create.
SOAK_DEBIAN=${SOAK_DEBIAN:-1}
export SOAK_MINUTES SOAK_SECONDS SOAK_GUESTS SOAK_SEED SOAK_OUT SOAK_SLACK SOAK_RC_SLACK SOAK_EPOCH SOAK_DEBIAN SOAK_RECDELAY SOAK_NET_TRANSPORT
for v in "$SOAK_MINUTES" "$SOAK_SECONDS" "$SOAK_GUESTS" "$SOAK_SEED" "$SOAK_SLACK" "$SOAK_RC_SLACK" "$SOAK_EPOCH" "$SOAK_DEBIAN"; do
	case $v in
	'' | *[!0-9]*) echo "soak: SOAK_MINUTES, SOAK_SECONDS, SOAK_GUESTS, SOAK_SEED, SOAK_SLACK, SOAK_RC_SLACK, SOAK_EPOCH, SOAK_DEBIAN: decimal numbers" >&2; exit 100 ;;
	esac
done
[ "$SOAK_EPOCH" -ge 10 ] || { echo "soak: SOAK_EPOCH: 10 or more" >&2; exit 100; }
[ "$SOAK_EPOCH" -le $((SOAK_SECONDS / 2)) ] || SOAK_EPOCH=$((SOAK_SECONDS / 2 > 10 ? SOAK_SECONDS / 2 : 10))
if [ "$SOAK_GUESTS" -lt 1 ] || [ "$SOAK_GUESTS" -gt 16 ]; then
	echo "soak: SOAK_GUESTS: 1 to 16" >&2
	exit 100
fi
[ "$(id -u)" -eq 0 ] || { echo "soak: needs root" >&2; exit 77; }
command -v openrc >/dev/null || { echo "soak: openrc missing" >&2; exit 77; }
if [ -z "${SOAK_PRIVATE:-}" ]; then
	SOAK_PRIVATE=1 exec unshare --mount --propagation private sh "$0" "$@"
fi
UMLCTL=${UMLCTL:-$SOAK_ROOT/build/umlctl}
. "$SOAK_TESTS/lib.sh"
# lib.sh found its directory from $0: ours is one below.
# shellcheck disable=SC2034 # lib.sh's
T_DIR=$SOAK_TESTS
# shellcheck disable=SC2034 # lib.sh's
T_ROOT=$SOAK_ROOT MKGUEST=$T_DIR/tools/mkguest.sh T_TEST=soak
t_init
t_need_umlctl
[ -x "$REALKERNEL" ] || t_skip_all "$REALKERNEL missing"
command -v uml_moo >/dev/null || t_skip_all "uml_moo missing (uml-utilities)"
command -v logrotate >/dev/null || t_skip_all "logrotate missing"
command -v script >/dev/null || t_skip_all "script missing (util-linux)"

mkdir -p "$SOAK_OUT" || t_bail "mkdir $SOAK_OUT"
LOG=$SOAK_OUT/soak.log
VIOL=$SOAK_OUT/violations
OPSF=$SOAK_OUT/ops.tsv		# step op guest result seconds
STOPSF=$SOAK_OUT/stops.tsv	# step guest how outcome
RECF=$SOAK_OUT/records.tsv	# step guest acked intact
RSSF=$SOAK_OUT/rss.tsv		# supervisor-pid guest step rss-kB
QPF=$SOAK_OUT/quiet.tsv		# step full-checks cheap-checks seconds
: >"$LOG"
: >"$VIOL"
rm -rf "$SOAK_OUT/logs"
: >"$OPSF"
: >"$STOPSF"
: >"$RECF"
: >"$RSSF"
: >"$QPF"
: >"$SOAK_OUT/unseen.tsv"
W=$T_TMP/w
mkdir -p "$W"
REPLAY="SOAK_SECONDS=$SOAK_SECONDS SOAK_SEED=$SOAK_SEED SOAK_GUESTS=$SOAK_GUESTS SOAK_EPOCH=$SOAK_EPOCH SOAK_DEBIAN=$SOAK_DEBIAN SOAK_NET_TRANSPORT=$SOAK_NET_TRANSPORT REALKERNEL=$REALKERNEL make soak"

# --- the PRNG, logging, violations -----------------------------------------

rnd_state=$SOAK_SEED
# rnd N: R is the next number in [0, N) (an LCG; 64-bit sh arithmetic).
rnd() {
	rnd_state=$(((rnd_state * 1103515245 + 12345) % 2147483648))
	R=$(((rnd_state / 65536) % $1))
}

now() {
	date +%s.%N
}

since() {
	awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'
}

# slog TEXT: a log line naming the seed and the step.
slog() {
	printf '%s seed=%s step=%s %s\n' "$(date +%T)" "$SOAK_SEED" "${step:-0}" "$*" >>"$LOG"
}

# violation GUEST WHAT [EVIDENCE...]: an invariant failed.
violation() {
	_g=$1
	_what=$2
	shift 2
	read -r _la _ </proc/loadavg
	printf 'VIOLATION seed=%s step=%s guest=%s load=%s: %s (replay: %s)\n' \
		"$SOAK_SEED" "${step:-0}" "$_g" "$_la" "$_what" "$REPLAY" | tee -a "$VIOL" >>"$LOG"
	for _e in "$@"; do
		printf '%s\n' "$_e" | head -40 | sed 's/^/    evidence: /' >>"$LOG"
	done
}

# run T CMD...: CMD under a timeout of T s; its output in $out, its exit
# status in $st, its time in $took; a timeout is a violation (a hang).
run() {
	_t=$1
	shift
	_t0=$(now)
	out=$(timeout -k 5 "$_t" "$@" 2>&1 </dev/null)
	st=$?
	took=$(since "$_t0")
	if [ "$st" -eq 124 ] || [ "$st" -eq 137 ]; then
		violation "${cur:-?}" "hung: no end within $_t s: $*" "$out"
	fi
}

# --- guests ------------------------------------------------------------------

ns=sk$$n
t_netns "$ns"
t_bridge "$ns" sbr0 10.203.0.1/24
t_rootns_save

# The private OpenRC state (see t-rc-shutdown).
dirs=$(find /run/openrc -mindepth 1 -maxdepth 1 -type d -printf '%f\n' 2>/dev/null)
mkdir -p /run/openrc
mount -t tmpfs -o mode=0755 umlt-openrc /run/openrc || t_bail "a private tmpfs on /run/openrc"
for d in $dirs; do
	mkdir "/run/openrc/$d"
done
: >/run/openrc/softlevel
{ cat /etc/rc.conf; echo 'rc_parallel="YES"'; } >"$T_TMP/rc.conf"
mount --bind "$T_TMP/rc.conf" /etc/rc.conf || t_bail "a private /etc/rc.conf"

# The shared base of the cow guests: root's, read-only to USER.
basedir=$T_TMP/base
mkdir -m 0755 "$basedir"
base=$basedir/base.img

# debian_image: $deb_img, a never-booted Debian 12 systemd image made by
# `umlctl create' and cached as t-guest-debian caches it (same key, same
# directory: either makes it for the other).
debian_image() {
	# shellcheck disable=SC2119 # no WORDs: create's defaults
	_key=$(t_create_key)
	deb_img=${T_DEBCACHE:-/var/cache/umlctl/guests}/bookworm-systemd-$_key.img
	[ -f "$deb_img" ] && return
	# Another work tree's key (other create code): still a Debian guest
	# that umlctl create made; copied at once, as it may be replaced.
	for _f in "${deb_img%/*}"/bookworm-systemd-*.img; do
		[ -f "$_f" ] || continue
		mkdir -p "$T_BASE/soak" && cp --sparse=always "$_f" "$T_BASE/soak/debian.img.$$" 2>/dev/null &&
			mv "$T_BASE/soak/debian.img.$$" "$T_BASE/soak/debian.img" && deb_img=$T_BASE/soak/debian.img && return
	done
	[ ! -f "$T_BASE/soak/debian.img" ] || { deb_img=$T_BASE/soak/debian.img; return; }
	command -v mmdebstrap >/dev/null || t_skip_all "no mmdebstrap for the Debian guest (SOAK_DEBIAN=0 runs without)"
	_m=sk$$mk
	t_log "making the Debian image with umlctl create (not cached yet)"
	echo "UMLDIR=$(t_q "$T_UMLDIR")" >"$T_CONF/uml"
	"$UMLCTL" -c "$T_CONF" create -u "$T_USER" -i systemd -w 64M "$_m" debian:bookworm >&2 ||
		t_bail "umlctl create $_m debian:bookworm"
	mkdir -p "${deb_img%/*}"
	mv "$T_UMLDIR/$_m/root.loop" "$deb_img.tmp" && chown root: "$deb_img.tmp" &&
		mv "$deb_img.tmp" "$deb_img"
	rm -rf "${T_UMLDIR:?}/$_m" "$T_CONF/uml.$_m" "$T_CONF/uml"
}

GUESTS=
i=1
while [ "$i" -le "$SOAK_GUESTS" ]; do
	g=sk$$g$i
	case $((i % 4)) in
	1) kind=plain ;;
	2) kind=ignore ;;
	3) kind=net ;;
	0) kind=cow ;;
	esac
	[ "$SOAK_DEBIAN" != 1 ] || [ "$i" -ne "$SOAK_GUESTS" ] || [ "$i" -lt 2 ] || kind=debian
	eval "lastsig_$i= kind_$i=$kind sto_$i=3 mem_$i=128M round_$i=0 minround_$i=0 dirty_$i=0 paused_$i=0 confmode_$i=ok wstep_$i=0"
	# Its worker's PRNG stream: a state of its own, from the seed.
	eval "rs_$i=$(((SOAK_SEED * 7919 + i * 104729) % 2147483648))"
	# A Debian guest: systemd's poweroff takes longer, and so does its boot.
	[ "$kind" != debian ] || eval "sto_$i=60 mem_$i=256M"
	eval "name_$i=$g"
	case $kind in
	plain) t_root_image "$g" --records --write ;;
	ignore) t_root_image "$g" --records --write --cad ignore ;;
	# A shell on its console: the nic operation types into it.
	net) t_root_image "$g" --records --write --shell --net "vec0=10.203.0.$((10 + i))/24" ;;
	debian)
		debian_image
		t_guest_dir "$g"
		cp --sparse=always "$deb_img" "$T_UMLDIR/$g/root.loop"
		fallocate -l 64M "$T_UMLDIR/$g/swap.loop"
		mkswap -q "$T_UMLDIR/$g/swap.loop"
		chown "$T_USER:" "$T_UMLDIR/$g/root.loop" "$T_UMLDIR/$g/swap.loop"
		chmod 0600 "$T_UMLDIR/$g/root.loop" "$T_UMLDIR/$g/swap.loop"
		;;
	cow)
		if [ ! -f "$base" ]; then
			t_root_image "$g" --records --write
			mv "$T_UMLDIR/$g/root.loop" "$base"
			chown root:root "$base"
			chmod 0644 "$base"
		fi
		t_guest_dir "$g"
		chown "$T_USER:" "$T_UMLDIR/$g"
		chmod 0700 "$T_UMLDIR/$g"
		;;
	esac
	GUESTS="$GUESTS $i"
	i=$((i + 1))
done
basesum=$( [ -f "$base" ] && sha256sum <"$base")

# start_timeout I: guest I's START_TIMEOUT (a start's own bound).
start_timeout() {
	case $(eval "echo \$kind_$1") in
	debian) echo 300 ;;
	*) echo 60 ;;
	esac
}

# conf_write I: guest I's conf.d file from the soak's state of it,
# written without a fork but the final mv (the values hold no quote).
conf_write() {
	eval "_g=\$name_$1 _k=\$kind_$1 _sto=\$sto_$1 _mem=\$mem_$1 _r=\$round_$1 _m=\$confmode_$1"
	if [ "$_m" = gone ]; then
		rm -f "/etc/conf.d/uml.$_g"
		return
	fi
	case $_k in
	debian) _st=300 ;;
	*) _st=60 ;;
	esac
	{
		# T_GUEST_VARS (tests/run.sh) first, so that ours win.
		for _w in ${T_GUEST_VARS:-}; do
			printf "%s='%s'\n" "${_w%%=*}" "${_w#*=}"
		done
		printf "%s='%s'\n" USER "$T_USER" UMLDIR "$T_UMLDIR" KERNEL "$REALKERNEL" \
			CONSOLE_LOG "$T_LOGDIR/$_g.log" MEMORY "$_mem" SHUTDOWN_TIMEOUT "$_sto" \
			START_TIMEOUT "$_st" CONSOLE_LOG_MAX 256M KERNEL_ARGS "round=$_r token=$_r recdelay=$SOAK_RECDELAY"
		case $_k in
		debian) echo "READY='guest'" ;;
		net)
			printf "%s='%s'\n" NETNS "$ns" NET "sk$$t$1" "BRIDGE_sk$$t$1" sbr0
			[ -z "$SOAK_NET_TRANSPORT" ] || echo "NET_TRANSPORT='$SOAK_NET_TRANSPORT'"
			;;
		cow) printf "%s='%s'\n" ROOT "$T_UMLDIR/$_g/root.cow" BASE_IMAGE "$base" ;;
		esac
		case $_m in
		memory) echo "MEMORY='lots'" ;;
		timeout) echo "SHUTDOWN_TIMEOUT='-1'" ;;
		syntax) echo "SHUTDOWN_TIMEOUT=\$(echo 1)" ;;
		esac
	} >"/etc/conf.d/uml.$_g.tmp" && mv "/etc/conf.d/uml.$_g.tmp" "/etc/conf.d/uml.$_g"
}

for i in $GUESTS; do
	eval "g=\$name_$i"
	conf_write "$i"
	cp "/etc/conf.d/uml.$g" "$T_CONF/uml.$g"
	t_rc_install "$g"
	t_defer "rm -f /etc/conf.d/uml.$g.tmp"
done
# The guests are in /etc/conf.d, as OpenRC has them: umlctl by hand too.
U="$UMLCTL"
# Two throwaway runlevels (in /etc/runlevels, as t-rc-shutdown's; only
# this soak's private OpenRC state ever enters them): rla holds the odd
# guests, rlb the even ones.
rla=sk$$a
rlb=sk$$b
mkdir "/etc/runlevels/$rla" "/etc/runlevels/$rlb" || t_bail "mkdir /etc/runlevels/$rla $rlb"
t_defer "rm -rf /etc/runlevels/$rla /etc/runlevels/$rlb"
for i in $GUESTS; do
	eval "g=\$name_$i"
	if [ $((i % 2)) = 1 ]; then
		rc-update add "uml.$g" "$rla" >/dev/null
		eval "inrla_$i=1 inrlb_$i=0"
	else
		rc-update add "uml.$g" "$rlb" >/dev/null
		eval "inrla_$i=0 inrlb_$i=1"
	fi
done
# A private /etc/init.d and /etc/conf.d: our runscript, our links and
# files alone.  OpenRC rebuilds its dependency cache whenever either
# changes, sourcing every script in /etc/init.d; on a host where other
# suites add and remove scripts and conf.d files all the time, with ~100
# scripts, each rc-service call spent 25-35 s in gendepends.sh at a load
# of 17 (0.3 s with only ours).  The runscript's dependencies are soft
# (use, after): none is needed.  Made after t_rc_install and the
# runlevels, so that the cleanup (LIFO) unmounts them before it removes
# the links from the real directories.
mkdir -m 0755 "$T_TMP/initd" "$T_TMP/confd"
cp -a "/etc/init.d/umltest.$$" "$T_TMP/initd/" || t_bail "copy the runscript"
[ ! -e /etc/conf.d/uml ] || cp /etc/conf.d/uml "$T_TMP/confd/"
for i in $GUESTS; do
	eval "g=\$name_$i"
	cp -a "/etc/init.d/uml.$g" "$T_TMP/initd/" || t_bail "copy uml.$g"
	cp "/etc/conf.d/uml.$g" "$T_TMP/confd/" || t_bail "copy uml.$g"
done
mount --bind "$T_TMP/initd" /etc/init.d || t_bail "a private /etc/init.d"
t_defer "umount /etc/init.d"
mount --bind "$T_TMP/confd" /etc/conf.d || t_bail "a private /etc/conf.d"
t_defer "umount /etc/conf.d"

# --- what the host shows -----------------------------------------------------

rc_state() {
	for _s in started starting stopping; do
		[ -e "/run/openrc/$_s/uml.$1" ] && { echo "$_s"; return; }
	done
	echo stopped
}

# kernels NAME: the pids of guest NAME's kernels (process group leaders).
kernels() {
	ps -u "$T_USER" -o pid=,pgid=,stat=,args= 2>/dev/null |
		awk -v w="umid=$1" '$1 == $2 && $3 !~ /^Z/ {
			for (i = 4; i <= NF; i++) if ($i == w) { print $1; break } }'
}

# supervisor NAME: the pid in NAME.pid if that process is umlctl for NAME.
supervisor() {
	_p=$(cat "/run/uml/$1.pid" 2>/dev/null)
	[ -n "$_p" ] && tr '\0' ' ' 2>/dev/null <"/proc/$_p/cmdline" | grep -q "umlctl.* $1" &&
		echo "$_p"
}

status_of() {
	timeout -k 5 30 "$U" status "$1" >/dev/null 2>&1 </dev/null
	echo $?
}

# logs I: guest I's console logs, oldest first (logrotate's LOG.N, then LOG).
logs() {
	eval "_l=\$T_LOGDIR/\$name_$1.log"
	# shellcheck disable=SC2012 # the names are ours, without blanks
	ls "$_l".[0-9]* 2>/dev/null | awk -F. '{ print $NF, $0 }' | sort -rn | cut -d' ' -f2-
	[ -e "$_l.old" ] && echo "$_l.old"
	[ -e "$_l" ] && echo "$_l"
}

console_text() {
	# shellcheck disable=SC2046 # one path a line, none with a blank
	cat $(logs "$1") /dev/null 2>/dev/null | tr -d '\r'
}

# --- operations --------------------------------------------------------------

# OPS: weight and name; op_NAME I runs it on guest I (in the background,
# with the other operations of its step) and writes to $W/I.res the
# settings the driver must learn (paused, confmode) as sh assignments.
OPS=${SOAK_OPS:-"9 rc_start
8 rc_stop
5 rc_restart
9 u_start
8 u_stop
10 kill_kernel
3 kill_helper
5 kill_sup
5 kill_stopper
3 pause
3 conf_valid
4 conf_bad
3 logrotate
2 console
4 nic
4 same
5 info"}
OPS_TOTAL=$(printf '%s\n' "$OPS" | awk '{ s += $1 } END { print s }')

pick_op() {
	rnd "$OPS_TOTAL"
	op=$(printf '%s\n' "$OPS" | awk -v r="$R" '{ s += $1; if (r < s) { print $2; exit } }')
}

# ores RESULT: this operation's result, for the log and the report.
ores() {
	printf '%s\t%s\t%s\t%s\t%s\n' "$step" "$cur_op" "$cur" "$1" "$(since "$op_t0")" >>"$OPSF"
	slog "guest=$cur op=$cur_op: $1"
}

# bound I: the longest a stop of guest I may take, s: the ladder's
# SHUTDOWN_TIMEOUT + 22 s, then umlctl stop's own 10.5 s (uml(8)),
# rounded up.
bound() {
	eval "_s=\$sto_$1"
	[ "$_s" -ge 6 ] || _s=6
	echo $((_s + 22 + 11 + SOAK_SLACK))
}

# stop_ok HOW: a stop's time against its bound (rc-service's: more).
stop_ok() {
	_b=$(bound "$ci")
	case $1 in
	rc-service*) _b=$((_b + SOAK_RC_SLACK)) ;;
	esac
	awk -v t="$took" -v b="$_b" 'BEGIN { exit !(t <= b) }' ||
		violation "$cur" "$1 took $took s, more than its bound $_b s" "$out"
}

# openrc_busy: $out says another openrc-run holds the service (its lock):
# OpenRC starting the guest behind the soak's back (finding 12), since the
# soak never runs two rc-service at once on one guest.
openrc_busy() {
	case $out in
	*"Call to flock failed"* | *"is already starting"* | *"is already stopping"* | *"stopped by something else"*) return 0 ;;
	esac
	return 1
}

op_rc_start() {
	_pre=$("$U" status "$cur" 2>&1)
	run $(($(start_timeout "$ci") + 30)) rc-service "uml.$cur" start
	if [ "$st" -ne 0 ] && openrc_busy; then
		ores "exit $st: OpenRC busy with it (finding 12)"
		return
	elif [ "$st" -ne 0 ]; then
		violation "$cur" "rc-service start exited $st" "$out"
	elif printf '%s\n' "$_pre" | grep -q "supervisor died" &&
		printf '%s\n' "$out" | grep -q "already been started"; then
		# Known (soak finding): OpenRC still calls it started.
		ores "orphaned: OpenRC says already started"
		return
	fi
	if false; then
		violation "$cur" "rc-service start exited $st" "$out"
	elif [ "$(status_of "$cur")" != 0 ] && [ "$(status_of "$cur")" != 8 ]; then
		violation "$cur" "rc-service start exited 0, status does not say running" "$out"
	fi
	ores "exit $st"
}

op_u_start() {
	run $(($(start_timeout "$ci") + 30)) "$U" start "$cur"
	case $st in
	0 | 5) ;;
	*) violation "$cur" "umlctl start exited $st" "$out" ;;
	esac
	ores "exit $st"
}

op_rc_stop() {
	run $(($(bound "$ci") + 30)) rc-service "uml.$cur" stop
	stop_ok "rc-service stop"
	[ "$st" -eq 0 ] || openrc_busy || violation "$cur" "rc-service stop exited $st" "$out"
	echo "stopped=1" >>"$W/$ci.res"
	ores "exit $st in $took s"
}

op_u_stop() {
	run $(($(bound "$ci") + 30)) "$U" stop "$cur"
	stop_ok "umlctl stop"
	# 5 with "still starting; try again" is umlctl's documented answer
	# while another umlctl is starting the guest: OpenRC, when it starts
	# again a guest stopped during another guest's restart (finding 12).
	case $st in
	0 | 3 | 4 | 6) ;;
	5) case $out in
		*"still starting; try again"*) ;;
		*) violation "$cur" "umlctl stop exited $st" "$out" ;;
		esac ;;
	*) violation "$cur" "umlctl stop exited $st" "$out" ;;
	esac
	echo "stopped=1" >>"$W/$ci.res"
	ores "exit $st in $took s"
}

op_rc_restart() {
	run $(($(bound "$ci") + $(start_timeout "$ci") + 30)) rc-service "uml.$cur" restart
	[ "$st" -eq 0 ] || openrc_busy || violation "$cur" "rc-service restart exited $st" "$out"
	echo "stopped=1" >>"$W/$ci.res"
	ores "exit $st in $took s"
}

# A kernel killed: status says crashed (4) within 15 s, no process of
# that run (the kernel's process group) is left.  (Or, within those 15 s,
# another kernel runs: OpenRC may start the guest again, as it does for
# every service stopped during another service's restart: finding 12.)
op_kill_kernel() {
	kp=$(kernels "$cur" | head -1)
	if [ -z "$kp" ]; then
		ores "not running"
		return
	fi
	kill -KILL "$kp"
	t_wait 15 killed_seen "$cur" "$kp" ||
		violation "$cur" "kernel $kp SIGKILLed: status is not crashed (4) within 15 s" \
			"$("$U" status "$cur" 2>&1)"
	t_wait 15 group_gone "$kp" || violation "$cur" "kernel $kp SIGKILLed: processes of its run left" "$(group_procs "$kp")"
	ores "killed kernel $kp"
}

# killed_seen NAME KP: status says crashed, or failed because the kernel
# ended before it was ready (a kill during the start: the start failed, as
# its starter was told), or a kernel other than KP runs.
killed_seen() {
	_ks=$("$U" status "$1" 2>&1)
	[ $? -eq 4 ] && return 0
	case $_ks in
	*": failed: the kernel ended before it was ready"*) return 0 ;;
	esac
	_nk=$(kernels "$1" | head -1)
	[ -n "$_nk" ] && [ "$_nk" != "$2" ]
}

# group_gone PGID: no process is left in the kernel's process group.
group_gone() {
	[ -z "$(group_procs "$1")" ]
}

# group_procs PGID: the live processes of that group (no zombie).
group_procs() {
	ps -e -o pgid=,pid=,stat=,args= | awk -v g="$1" '$1 == g && $3 !~ /^Z/'
}

gone() {
	[ -z "$(t_guest_pids "$1")" ]
}

# One of the kernel's other processes (a guest process's host side).
op_kill_helper() {
	kp=$(kernels "$cur" | head -1)
	hp=$(for p in $(t_guest_pids "$cur"); do [ "$p" = "$kp" ] || echo "$p"; done | head -1)
	if [ -z "$hp" ]; then
		ores "no helper"
		return
	fi
	if ! kill -KILL "$hp" 2>/dev/null; then
		ores "no helper (helper $hp ended first)"
		return
	fi
	sleep 2
	ores "killed helper $hp of $kp: status $(status_of "$cur")"
}

# The supervisor: status says crashed within 10 s, the kernel goes with it.
op_kill_sup() {
	sp=$(supervisor "$cur")
	if [ -z "$sp" ]; then
		ores "no supervisor"
		return
	fi
	kp=$(kernels "$cur" | head -1)
	kill -KILL "$sp"
	t_wait 10 killed_seen "$cur" "$kp" ||
		violation "$cur" "supervisor $sp SIGKILLed: status is not crashed (4) within 10 s" \
			"$("$U" status "$cur" 2>&1)"
	[ -z "$kp" ] || t_wait 15 kernel_gone "$kp" ||
		violation "$cur" "supervisor $sp SIGKILLed: its kernel still runs" "$kp"
	ores "killed supervisor $sp"
}

# kernel_gone PID: that kernel's main process has ended.
kernel_gone() {
	ps -o stat= -p "$1" | grep -qv '^Z' && return 1
	return 0
}

# stops_logged NAME: the supervisors' "NAME: stop:" lines in its console
# log so far.
stops_logged() {
	t_console "$T_LOGDIR/$1.log" | grep -c ": $1: stop: " || :
}

# stop_asked NAME N: more than N such lines, or the guest's kernel is gone.
stop_asked() {
	[ "$(stops_logged "$1")" -gt "$2" ] || gone "$1"
}

# umlctl stop killed while it waits: the supervisor's ladder goes on, and
# the run it stops ends within the bound.  Killed before it signalled the
# supervisor (no "stop:" line within 5 s: at 0.0 s, or on a loaded host
# later), it asked nothing, and the guest rightly runs on (found by the
# hour runs of 5 December, third pass).
op_kill_stopper() {
	_t0=$(now)
	kp=$(kernels "$cur" | head -1)
	_nst=$(stops_logged "$cur")
	"$U" stop "$cur" >"$W/$ci.stopper" 2>&1 </dev/null &
	sp=$!
	sleep "$1"
	kill -KILL "$sp" 2>/dev/null
	wait "$sp" 2>/dev/null
	_b=$(bound "$ci")
	if [ -n "$kp" ] && ! t_wait 5 stop_asked "$cur" "$_nst"; then
		ores "stopper killed after $1 s, before it asked the supervisor"
		return
	fi
	if [ -n "$kp" ] && ! t_wait "$_b" group_gone "$kp"; then
		violation "$cur" "umlctl stop killed after $1 s: the guest still runs after $_b s" \
			"$(group_procs "$kp")"
	fi
	took=$(since "$_t0")
	echo "stopped=1" >>"$W/$ci.res"
	ores "stopper killed after $1 s; guest gone after $took s"
}

# Pause the kernel (mconsole stop), and resume it (go) or not.
op_pause() {
	run 20 "$U" mconsole "$cur" stop
	if [ "$st" -ne 0 ]; then
		ores "stop: exit $st"
		return
	fi
	echo "paused=1" >>"$W/$ci.res"
	sleep "$1"
	if [ "$2" -eq 1 ]; then
		run 20 "$U" mconsole "$cur" go
		[ "$st" -ne 0 ] || echo "paused=0" >>"$W/$ci.res"
		ores "paused $1 s, go: exit $st"
	else
		ores "paused, left so"
	fi
}

# A valid change: MEMORY and SHUTDOWN_TIMEOUT for the next start (the
# driver wrote the file before this ran).
op_conf_valid() {
	ores "conf.d: MEMORY and SHUTDOWN_TIMEOUT changed"
}

# conf.d broken or removed (the driver did it): a running guest's restart
# is refused and it runs on; a stopped one's start is refused; a stop
# works with the settings it started with.  Put back afterwards.
op_conf_bad() {
	eval "_m=\$confmode_$ci"
	kp=$(kernels "$cur" | head -1)
	if [ -n "$kp" ]; then
		run 60 rc-service "uml.$cur" restart
		[ "$st" -ne 0 ] || violation "$cur" "conf.d $_m: rc-service restart exited 0" "$out"
		[ "$(kernels "$cur" | head -1)" = "$kp" ] ||
			violation "$cur" "conf.d $_m: the refused restart changed the kernel ($kp)" "$out"
		if [ "$1" -eq 1 ]; then
			run $(($(bound "$ci") + 30)) rc-service "uml.$cur" stop
			stop_ok "rc-service stop (conf.d $_m)"
			[ "$st" -eq 0 ] || violation "$cur" "conf.d $_m: rc-service stop exited $st" "$out"
			echo "stopped=1" >>"$W/$ci.res"
		fi
		ores "conf.d $_m: restart refused ($st)"
	else
		run 60 "$U" start "$cur"
		[ "$st" -eq 2 ] || violation "$cur" "conf.d $_m: umlctl start exited $st, not 2" "$out"
		[ -z "$(kernels "$cur")" ] || violation "$cur" "conf.d $_m: a refused start left a kernel"
		_pre=$("$U" status "$cur" 2>&1)
		run 60 rc-service "uml.$cur" start
		# Known (soak finding): after a killed supervisor OpenRC still
		# calls it started, and starts nothing.
		[ "$st" -ne 0 ] || { printf '%s\n' "$_pre" | grep -q "supervisor died" &&
			printf '%s\n' "$out" | grep -q "already been started"; } ||
			violation "$cur" "conf.d $_m: rc-service start exited 0" "$out"
		[ -z "$(kernels "$cur")" ] || violation "$cur" "conf.d $_m: a refused rc-service start left a kernel"
		ores "conf.d $_m: starts refused"
	fi
}

# logrotate (a private configuration and state) moves the log, its
# postrotate runs umlctl reopen; a running guest's new lines go to the
# new file.
op_logrotate() {
	_l=$T_LOGDIR/$cur.log
	cat >"$W/$ci.lr" <<EOF
$_l {
	rotate 100000
	nocompress
	missingok
	postrotate
		$U reopen $cur || true
	endscript
}
EOF
	run 60 logrotate -f -s "$W/$ci.lrstate" "$W/$ci.lr"
	[ "$st" -eq 0 ] || violation "$cur" "logrotate exited $st" "$out"
	# New lines are awaited only from a guest that was writing some.
	_fresh=$(find "$_l.1" -newermt '-5 seconds' 2>/dev/null)
	# (Not from the Debian guest: it has no record workload, and after
	# its boot it may say nothing for minutes.)
	if [ -n "$_fresh" ] && [ -n "$(kernels "$cur")" ] && [ "$(eval "echo \$paused_$ci")" = 0 ] &&
		[ "$(eval "echo \$kind_$ci")" != debian ]; then
		t_wait 20 test -s "$_l" ||
			violation "$cur" "logrotate and reopen: no new line in $_l within 20 s"
	fi
	ores "rotated: exit $st"
}

# umlctl console in a pty, detached with Ctrl-].
op_console() {
	run 30 sh -c "{ sleep 1; printf '\\035'; sleep 1; } | script -qfec '$U console $cur' '$W/$ci.con'"
	_s=$(sed -n 's/.*COMMAND_EXIT_CODE="\([0-9]*\)".*/\1/p' "$W/$ci.con" 2>/dev/null | tail -1)
	ores "console: exit ${_s:-$st}"
}

op_info() {
	run 30 "$U" status "$cur"
	case $st in
	0 | 3 | 4 | 7 | 8) ;;
	*) violation "$cur" "status exited $st" "$out" ;;
	esac
	_s=$st
	run 30 "$U" list
	[ "$st" -eq 0 ] || violation "$cur" "list exited $st" "$out"
	run 30 "$U" show "$cur"
	[ "$st" -eq 0 ] || violation "$cur" "show exited $st" "$out"
	run 60 "$U" check "$cur"
	[ "$st" -eq 0 ] || violation "$cur" "check exited $st" "$out" \
		"record: $(tr '\n' ' ' <"/run/uml/$cur/state" 2>&1)" \
		"disks: $(stat -c '%n %d:%i' "$T_UMLDIR/$cur"/* 2>&1 | tr '\n' ' ')" \
		"console: $(console_text "$ci" | grep '^umlctl:' | tail -8)"
	ores "status $_s"
}

# NIC down and up inside a net guest: typed into its console's shell;
# the guest then says it did, and answers a ping from the bridge's
# namespace within 20 s.
op_nic() {
	if [ -z "$(kernels "$cur")" ] || [ "$(eval "echo \$paused_$ci")" = 1 ]; then
		ores "not running"
		return
	fi
	_tok=nic$step.$ci
	run 40 sh -c "{ sleep 1; printf 'ip link set vec0 down; sleep 1; ip link set vec0 up; echo $_tok-done\\n'; sleep 4; printf '\\035'; sleep 1; } | script -qfec '$U console $cur' '$W/$ci.nic'"
	if ! t_wait 20 nic_said "$ci" "$_tok-done"; then
		ores "console: exit $st, the guest did not say $_tok-done"
		return
	fi
	t_wait 20 ip netns exec "$ns" ping -c1 -W1 "10.203.0.$((10 + ci))" ||
		violation "$cur" "NIC down and up in the guest: no ping answer within 20 s" \
			"$(ip -n "$ns" -br link)"
	ores "NIC down and up: exit $st"
}

nic_said() {
	console_text "$1" | grep -qx "$2"
}

# Two operations on one guest at once (pair $1 of the table below): each
# exits with a status umlctl documents for such a race (start: started,
# busy or ended before ready; stop: stopped, not running, crashed, busy,
# forced), none hangs; the quiet point checks the guest in full after.
op_same() {
	case $1 in
	0) _a=u_start _b=u_start ;;
	1) _a=u_start _b=u_stop ;;
	2) _a=rc_start _b=u_stop ;;
	3) _a=u_stop _b=rc_stop ;;
	*) _a=rc_restart _b=u_start ;;
	esac
	(
		cur_op=same_$_a
		same_one "$_a"
	) &
	_p1=$!
	(
		cur_op=same_$_b
		same_one "$_b"
	) &
	_p2=$!
	wait "$_p1"
	wait "$_p2"
	echo "stopped=1" >>"$W/$ci.res"
}

same_one() {
	_t=$(($(bound "$ci") + $(start_timeout "$ci") + 30))
	case $1 in
	u_start) run "$_t" "$U" start "$cur" ;;
	u_stop) run "$_t" "$U" stop "$cur" ;;
	rc_start) run "$_t" rc-service "uml.$cur" start ;;
	rc_stop) run "$_t" rc-service "uml.$cur" stop ;;
	rc_restart) run "$_t" rc-service "uml.$cur" restart ;;
	esac
	case $1:$st in
	u_start:0 | u_start:4 | u_start:5 | u_stop:0 | u_stop:3 | u_stop:4 | u_stop:5 | u_stop:6 | rc_*) ;;
	*) violation "$cur" "$1 with another operation on the guest: exit $st" "$out" ;;
	esac
	ores "exit $st in $took s"
}

# A switch of the private runlevel to $rla or $rlb ($1 names which: each
# holds half the guests): OpenRC stops the other half in parallel and starts its own.
# Then every guest of $1 runs (but one whose supervisor was SIGKILLed:
# OpenRC calls it started and leaves it so, the named exception), and no
# other guest runs.  A step of its own.
op_switch() {
	eval "_rl=\$$1"
	for _i in $GUESTS; do
		eval "_g=\$name_$_i"
		eval "pre_$_i=\$(\"\$U\" status \"\$_g\" 2>&1 </dev/null)"
	done
	_t=0
	for _i in $GUESTS; do
		_b=$(($(bound "$_i") + $(start_timeout "$_i")))
		[ "$_b" -le "$_t" ] || _t=$_b
	done
	cur=all
	run $((_t + SOAK_RC_SLACK + 30)) openrc "$_rl"
	[ "$st" -eq 0 ] || violation all "openrc $_rl exited $st" "$out"
	for _i in $GUESTS; do
		eval "_g=\$name_$_i _in=\$in$1_$_i _pre=\$pre_$_i _p=\$paused_$_i"
		_s=$(status_of "$_g")
		if [ "$_in" = 1 ]; then
			case $_s:$_pre in
			0:* | 8:*) ;;
			4:*"supervisor died"*) ;;
			*) violation "$_g" "openrc $_rl: the guest is in $_rl, but status exits $_s" "$("$U" status "$_g" 2>&1)" ;;
			esac
		else
			case $_s in
			3 | 4) ;;
			*) violation "$_g" "openrc $_rl: the guest is not in $_rl, but status exits $_s" "$("$U" status "$_g" 2>&1)" ;;
			esac
		fi
	done
	cur=all
	ores "openrc $_rl: exit $st in $took s"
}

# --- invariants --------------------------------------------------------------

# image I: an image of guest I's disk to check (a cow guest's merged with
# its base by uml_moo into a copy); $W/I.img or the guest's own.
image() {
	eval "_g=\$name_$1 _k=\$kind_$1"
	if [ "$_k" = cow ]; then
		rm -f "$W/$1.img"
		[ -f "$T_UMLDIR/$_g/root.cow" ] || { cp --sparse=always "$base" "$W/$1.img"; echo "$W/$1.img"; return; }
		uml_moo "$T_UMLDIR/$_g/root.cow" "$W/$1.img" >"$W/$1.moo" 2>&1 ||
			violation "$_g" "uml_moo could not merge the COW file" "$(cat "$W/$1.moo")"
		echo "$W/$1.img"
	else
		echo "$T_UMLDIR/$_g/root.loop"
	fi
}

# check_data I: guest I's last run has ended; judge its disk.  How it
# ended (NAME.last) says what must hold: after a graceful stop or one that
# synced, e2fsck -fn finds the image clean and /data.txt (never synced by
# the guest) is whole if the guest said it wrote it; after anything else
# e2fsck -fy may repair (exit below 4).  Always: every record acknowledged
# since (minround) is intact (reccheck.sh).
check_data() {
	_i=$1
	eval "_g=\$name_$_i _k=\$kind_$_i _min=\$minround_$_i"
	_last=$(tr '\t' ' ' <"/run/uml/$_g.last" 2>/dev/null)
	_img=$(image "$_i")
	_ct=$(console_text "$_i")
	# The last boot's round, from the kernel's command line on the console.
	_r=$(printf '%s\n' "$_ct" | sed -n 's/^Kernel command line:.* round=\([0-9]*\).*/\1/p' | tail -1)
	case $_last in
	graceful* | poweroff* | *synced*) _clean=1 ;;
	*) _clean=0 ;;
	esac
	# The runs since the last check, from the supervisors' lines on the
	# console: a boot (`kernel ... started as pid') and an end (stopped,
	# crashed, failed).  The guest may have booted again after an end no
	# check saw: a restart holds a stop and a start, and a start after a
	# SIGKILLed supervisor finds no line of its end.  If such an end was
	# unclean, the guest then ran on a file system that no e2fsck
	# repaired, and ext2 may give a block /records holds to a new write
	# (what the lost run allocated is free again in the bitmap): its
	# image and records then say nothing about umlctl.  Such a check is
	# counted (unseen.tsv), its e2fsck may repair and its records are
	# not judged; those acknowledged from now on are.
	printf '%s\n' "$_ct" | awk -v g="$_g:" '$1 == "umlctl:" && $4 == g {
		if ($5 == "kernel" && / started as pid /) print "B"
		else if ($5 ~ /^(stopped|crashed|failed|orphaned)/) print "E " $0 }' >"$W/$_i.runs"
	eval "_bs=\${bootseen_$_i:-0} _es=\${endseen_$_i:-0}"
	_nb=$(grep -c '^B' "$W/$_i.runs")
	_ne=$(grep -c '^E' "$W/$_i.runs")
	_unseen=0
	if [ $((_nb - _bs)) -ge 2 ]; then
		if [ $((_ne - _es)) -lt $((_nb - _bs)) ] || grep '^E' "$W/$_i.runs" | tail -n +$((_es + 1)) |
			sed '$d' | grep -qvE 'stopped, graceful|synced, remounted read-only|: stopped(:|$)'; then
			_unseen=1
			_clean=0
			printf '%s\t%s\t%s\t%s\n' "$step" "$_g" "$((_nb - _bs))" "$((_ne - _es))" >>"$SOAK_OUT/unseen.tsv"
			slog "guest=$_g booted again after an unclean end no check saw: $((_nb - _bs)) boots, $((_ne - _es)) ends logged since the last check; records not judged"
		fi
	fi
	eval "bootseen_$_i=$_nb endseen_$_i=$_ne"
	case $_last in
	graceful*) _how=graceful ;;
	poweroff*) _how=poweroff ;;
	forced*) _how=forced ;;
	crashed* | orphaned*) _how=crashed ;;
	*) _how=${_last%% *} ;;
	esac
	eval "_kind=\$kind_$_i"
	# The ladder's own time, as NAME.last says it: within its bound.
	_lt=$(printf '%s\n' "$_last" | sed -n 's/.* \([0-9][0-9]*\.[0-9]*\) s after ctrl-alt-del.*/\1/p; s/.* after \([0-9][0-9]*\.[0-9]*\) s .*/\1/p' | head -1)
	eval "_lb=\$sto_$_i"
	[ "$_lb" -ge 6 ] || _lb=6
	if [ -n "$_lt" ] && ! awk -v t="$_lt" -v b="$((_lb + 22 + SOAK_SLACK))" 'BEGIN { exit !(t <= b) }'; then
		violation "$_g" "the ladder took $_lt s, more than SHUTDOWN_TIMEOUT (at most $_lb) + 22 s + $SOAK_SLACK s" "$_last"
	fi
	printf '%s\t%s\t%s\t%s\n' "$step" "$_g" "$_how" "$(printf '%s' "$_last" | cut -c1-100)" >>"$STOPSF"
	if [ "$_kind" = ignore ] && [ "$_how" = graceful ]; then
		violation "$_g" "NAME.last says graceful, but this guest ignores ctrl-alt-del" "$_last"
	fi
	# The records first, as the end left them on the disk: a repair by
	# e2fsck -fy may itself damage them (see RELIABILITY.md).
	# (A net guest's shell prompt may stand before an ack on its line.)
	printf '%s\n' "$_ct" | sed -n 's/^\(\/ # \)*ack \([0-9][0-9]*\) \([0-9][0-9]*\)$/\2 \3/p' |
		awk -v m="$_min" '$1 >= m' >"$W/$_i.acks"
	debugfs -R "cat /records" "$_img" 2>/dev/null | tr '\000' '\n' >"$W/$_i.records"
	_rc=$(sh "$T_DIR/tools/reccheck.sh" "$W/$_i.acks" "$W/$_i.records" 2>&1)
	_st=$?
	if [ "$_st" -ne 0 ] && [ "$_unseen" = 0 ]; then
		violation "$_g" "acknowledged records lost or damaged (reccheck.sh exits $_st) after '$_last'" \
			"$(printf '%s\n' "$_rc" | head -20)"
		mkdir -p "$SOAK_OUT/evidence"
		cp "$W/$_i.acks" "$W/$_i.records" "$SOAK_OUT/evidence/" 2>/dev/null
	fi
	_fixed=0
	if [ "$_clean" = 1 ]; then
		e2fsck -fn "$_img" >"$W/$_i.fsck" 2>&1
		_fst=$?
		if [ "$_fst" -ne 0 ]; then
			violation "$_g" "NAME.last says '$_last' but e2fsck -fn exits $_fst" \
				"$(cat "$W/$_i.fsck")"
			# Reported once: repaired, so that the next runs do not
			# report the same damage again.
			e2fsck -fy "$_img" >/dev/null 2>&1
			_fixed=1
		fi
		if [ -n "$_r" ] && printf '%s\n' "$_ct" | grep -q "^guest: wrote /data.txt token=$_r\$"; then
			[ "$(t_data_expected "$_r" | cksum)" = "$(t_image_cat "$_img" /data.txt | cksum)" ] ||
				violation "$_g" "NAME.last says '$_last' but /data.txt of round $_r (written without sync) is not whole" \
					"$(t_image_cat "$_img" /data.txt | tail -3)"
		fi
	else
		e2fsck -fy "$_img" >"$W/$_i.fsck" 2>&1
		_fst=$?
		[ "$_fst" -lt 4 ] || violation "$_g" "after '$_last', e2fsck -fy exits $_fst" "$(cat "$W/$_i.fsck")"
		[ "$_fst" -eq 0 ] || _fixed=1
	fi
	# After a repair, the records acknowledged so far were judged as the
	# end left them; later checks judge those acknowledged from now on.
	if [ "$_fixed" = 1 ] || [ "$_unseen" = 1 ]; then
		eval "minround_$_i=\$((round_$_i + 1))"
	fi
	_st=$_fst
	_intact=$(printf '%s\n' "$_rc" | sed -n 's/^# \([0-9]*\) records intact.*/\1/p')
	printf '%s\t%s\t%s\t%s\n' "$step" "$_g" "$(wc -l <"$W/$_i.acks")" "${_intact:-0}" >>"$RECF"
	slog "guest=$_g check: last '$_last'; e2fsck $_st; $(printf '%s\n' "$_rc" | tail -1)"
	# A cow guest's COW file cannot be repaired in place: after an unclean
	# end, or a repair, it is dropped (the next start makes a new one over the base),
	# and so are the records it held.
	if [ "$_k" = cow ] && { [ "$_clean" = 0 ] || [ "$_fixed" = 1 ]; }; then
		rm -f "$T_UMLDIR/$_g/root.cow"
		eval "minround_$_i=\$((round_$_i + 1))"
	fi
	rm -f "$W/$_i.img"
}

# The host as seen at a quiet point: the processes of USER (pid pgid stat
# args) and `umlctl list', taken once for every guest.
snapshot() {
	ps -u "$T_USER" -o pid=,pgid=,stat=,args= 2>/dev/null | awk '$3 !~ /^Z/' >"$WS/ps"
	"$U" list >"$WS/list" 2>&1 </dev/null
}

# snap_pids NAME: every process of guest NAME in the snapshot, the kernel
# (its process group leader) first, marked `k'.
snap_pids() {
	awk -v w="umid=$1" '{ for (i = 4; i <= NF; i++) if ($i == w) {
		if ($1 == $2) print $1 "k"; else o = o $1 "\n"; break } }
		END { printf "%s", o }' "$WS/ps" | sort -r
}

# check_guest I: the invariants of guest I at a quiet point.
check_guest() {
	_i=$1
	eval "_g=\$name_$_i _k=\$kind_$_i _p=\$paused_$_i"
	cur=$_g
	_n=0
	_nmax=$((($(start_timeout "$_i") + 30) * 2))
	while :; do
		_stxt=$(timeout -k 5 30 "$U" status "$_g" 2>&1 </dev/null)
		_s=$?
		_rc=$(rc_state "$_g")
		# Starting, or OpenRC starting or stopping it (not the soak:
		# another guest's restart, finding 12): wait for the end.
		case $_s:$_rc in
		7:* | 1:* | *:starting | *:stopping) ;;
		*)
			# One moment's view: the processes and the list taken
			# now, then status and OpenRC again; if either changed
			# meanwhile (OpenRC started or stopped the guest behind
			# the soak's back, finding 12), look again.
			snapshot
			[ "$(status_of "$_g")" != "$_s" ] || [ "$(rc_state "$_g")" != "$_rc" ] || break
			slog "guest=$_g changed while it was checked (status $_s, OpenRC $_rc before): again"
			;;
		esac
		_n=$((_n + 1))
		if [ "$_n" -ge "$_nmax" ]; then
			violation "$_g" "no settled state (status $_s, OpenRC $_rc) after $((_nmax / 2)) s" "$_stxt"
			break
		fi
		sleep 0.5
	done
	# Its supervisor was SIGKILLed (kill_sup): what it left stays until
	# the next start or stop cleans up (uml(8)), and OpenRC, whose
	# state only a living supervisor updates, may still say started.
	case $_stxt in
	*"supervisor died"*)
		slog "guest=$_g orphaned: $_stxt; OpenRC says $(rc_state "$_g")"
		return
		;;
	esac
	_all=$(snap_pids "$_g")
	_kp=$(printf '%s\n' "$_all" | sed -n 's/k$//p')
	_ls=$(awk -v g="$_g" '$1 == g || $1 == g":" { $1 = ""; print; exit }' "$WS/list")
	case $_s in
	0 | 8)
		[ -n "$_kp" ] || violation "$_g" "status says running ($_s), no kernel on the host"
		[ "$_rc" = started ] || violation "$_g" "status says running, OpenRC says $_rc"
		case $_ls in
		*running* | *hung*) ;;
		*) violation "$_g" "status says running, list says '$_ls'" ;;
		esac
		[ "$_s" = 0 ] || [ "$_p" = 1 ] ||
			violation "$_g" "status says hung (8), and it was not paused" "$("$U" status "$_g" 2>&1)"
		[ "$(printf '%s\n' "$_kp" | wc -l)" -le 1 ] ||
			violation "$_g" "more than one kernel: $(echo "$_kp" | tr '\n' ' ')"
		_sp=$(supervisor "$_g")
		if [ -n "$_sp" ]; then
			_rss=$(t_proc_status "$_sp" VmRSS | awk '{ print $1 }')
			printf '%s\t%s\t%s\t%s\n' "$_sp" "$_g" "$(($(date +%s) - t0))" "$_rss" >>"$RSSF"
			SUPS="$SUPS $_sp:$_g"
		else
			violation "$_g" "running, but no supervisor in its pid file"
		fi
		eval "dirty_$_i=1"
		;;
	3 | 4)
		[ -z "$_all" ] || violation "$_g" "status exits $_s, its processes are left" \
			"$(grep -E "umid=$_g( |\$)" "$WS/ps")"
		[ "$_rc" = stopped ] || violation "$_g" "status exits $_s, OpenRC says $_rc"
		case $_ls in
		*running*) violation "$_g" "status exits $_s, list says '$_ls'" ;;
		esac
		_last=$(cut -f1 "/run/uml/$_g.last" 2>/dev/null)
		if :; then
			for _f in "/run/uml/$_g.pid" "/run/uml/$_g.lock" "/run/uml/$_g"; do
				[ ! -e "$_f" ] || violation "$_g" "stopped ($_last), $_f is left"
			done
			grep -q " /run/uml/$_g/" /proc/self/mountinfo &&
				violation "$_g" "stopped ($_last), something is mounted under /run/uml/$_g/" \
					"$(grep "/run/uml/$_g/" /proc/self/mountinfo)"
			if [ "$_k" = net ]; then
				ip -n "$ns" link show dev "sk$$t$_i" >/dev/null 2>&1 &&
					violation "$_g" "stopped ($_last), its tap sk$$t$_i is left"
			fi
		fi
		# A run ended since the last check: NAME.last was replaced (by a
		# rename: a new inode) or written anew.
		_sig=$(stat -c '%i:%Y' "/run/uml/$_g.last" 2>/dev/null)-$(cksum 2>/dev/null <"/run/uml/$_g.last")
		eval "_d=\$lastsig_$_i"
		if [ -n "$_last" ] && [ "$_sig" != "$_d" ]; then
			# Its conf.d file away while its disk is read and
			# repaired: nothing can start it meanwhile (OpenRC
			# starts again a service stopped during another's
			# restart: finding 12).  Put back with a new round.
			if hold_conf "$_i"; then
				check_data "$_i"
				eval "lastsig_$_i=\$_sig dirty_$_i=0 paused_$_i=0"
			else
				slog "guest=$_g started again before its check (by OpenRC, finding 12?): judged after its next end"
			fi
			eval "round_$_i=\$((round_$_i + 1))"
			conf_write "$_i"
		fi
		;;
	*)
		violation "$_g" "status exits $_s" "$("$U" status "$_g" 2>&1)"
		;;
	esac
}

# hold_conf I: guest I's conf.d file removed, then true if nothing of it
# runs or starts (OpenRC marks a service starting before its start()
# reads the file; umlctl start refuses without one).
hold_conf() {
	eval "_hg=\$name_$1"
	rm -f "/etc/conf.d/uml.$_hg"
	[ "$(rc_state "$_hg")" = stopped ] && [ ! -e "/run/uml/$_hg.pid" ] && [ -z "$(kernels "$_hg")" ]
}

# check_fds: no supervisor holds a file of another guest.
check_fds() {
	for _e in $SUPS; do
		_sp=${_e%%:*}
		_g=${_e#*:}
		_fd=$(find "/proc/$_sp/fd" -mindepth 1 -printf '%p -> %l\n' 2>/dev/null |
			grep -E "/sk$$g[0-9]+" | grep -vE "/$_g(/|\.|\$)")
		[ -z "$_fd" ] || violation "$_g" "its supervisor $_sp holds files of another guest" "$_fd"
	done
}

# quiet_point: every guest checked in full (check_guest), one after the
# other, while no operation runs (after a runlevel switch, at the end).
quiet_point() {
	WS=$W/w0
	for _qi in $GUESTS; do
		_q0=$(now)
		SUPS=
		check_guest "$_qi"
		check_fds
		printf '%s\t%s\t%s\t%s\n' "$step" "$_qi" all "$(since "$_q0")" >>"$QPF"
	done
	slog "quiet point: every guest checked in full"
}

# new_round I: guest I's conf.d file with a new round (a number new at
# every start, so that a record of an earlier run never stands in for a
# lost one: every start but OpenRC's own (finding 12) has one).
new_round() {
	eval "round_$1=\$((round_$1 + 1))"
	conf_write "$1"
}

# save_state I: guest I's state as sh assignments, for the next epoch.
save_state() {
	for _v in rs wstep lastsig sto mem round minround dirty paused confmode bootseen endseen; do
		eval "printf \"%s_%s='%s'\\n\" \$_v \$1 \"\${${_v}_$1:-}\""
	done
}

# worker I END: guest I's operations until END (date +%s), one after the
# other, each drawn from the guest's own stream, each followed by a full
# check of the guest (a quiet point of its own: no operation of the
# soak runs on it).  Its state is saved for the next epoch.
worker() {
	ci=$1
	WS=$W/w$ci
	eval "rnd_state=\$rs_$ci _wn=\$wstep_$ci cur=\$name_$ci _wk=\$kind_$ci"
	while [ "$(date +%s)" -lt "$2" ]; do
		_wn=$((_wn + 1))
		step=$ci.$_wn
		pick_op
		# Only a net guest has a NIC to take down.
		[ "$op" != nic ] || [ "$_wk" = net ] || op=info
		# Every draw is made here, in the same order whatever happens.
		rnd 30
		a1=$((R / 10)).$((R % 10))
		rnd 2
		a2=$R
		rnd 5
		a3=$R
		cur_op=$op
		: >"$W/$ci.res"
		# The driver's own edits of conf.d, before the operation runs.
		case $op in
		conf_valid)
			if [ "$_wk" = debian ]; then
				eval "mem_$ci=$([ "$a2" = 1 ] && echo 320M || echo 256M)"
			else
				eval "sto_$ci=$((2 + a3)) mem_$ci=$([ "$a2" = 1 ] && echo 160M || echo 128M)"
			fi
			;;
		conf_bad)
			eval "confmode_$ci=$(echo memory timeout syntax gone gone | cut -d' ' -f$((a3 + 1)))"
			;;
		esac
		new_round "$ci"
		eval "_r=\$round_$ci"
		slog "guest=$cur op=$op args=$a1,$a2,$a3 round=$_r"
		op_t0=$(now)
		case $op in
		kill_stopper) op_kill_stopper "$a1" ;;
		pause) op_pause "$a1" "$a2" ;;
		conf_bad) op_conf_bad "$a2" ;;
		same) op_same "$a3" ;;
		*) "op_$op" ;;
		esac
		# What the operation learnt; conf.d put back.
		paused='' stopped=''
		# shellcheck source=/dev/null # written by the operation
		. "$W/$ci.res"
		[ -z "$paused" ] || eval "paused_$ci=$paused"
		[ -z "$stopped" ] || eval "dirty_$ci=1"
		if [ "$(eval "echo \$confmode_$ci")" != ok ]; then
			eval "confmode_$ci=ok"
			conf_write "$ci"
		fi
		_q0=$(now)
		SUPS=
		check_guest "$ci"
		check_fds
		printf '%s\t%s\t%s\t%s\n' "$step" "$ci" "$op" "$(since "$_q0")" >>"$QPF"
	done
	eval "rs_$ci=\$rnd_state wstep_$ci=\$_wn"
	save_state "$ci" >"$W/$ci.state"
}

# --- the run -----------------------------------------------------------------

kver=$(grep -a -m1 -o "Linux version [^ ]*" "$REALKERNEL" | cut -d" " -f3)
step=0
slog "soak: $SOAK_GUESTS guests, $SOAK_SECONDS s, switches every $SOAK_EPOCH s, kernel $REALKERNEL ($kver), umlctl $("$U" --version)"
t_log "seed $SOAK_SEED, $SOAK_GUESTS guests, $SOAK_SECONDS s; log $LOG"
for ci in $GUESTS; do
	mkdir -p "$W/w$ci"
done
mkdir -p "$W/w0"
t0=$(date +%s)
end=$((t0 + SOAK_SECONDS))
epoch=0
while [ "$(date +%s)" -lt "$end" ]; do
	epoch=$((epoch + 1))
	_e=$(($(date +%s) + SOAK_EPOCH))
	[ "$_e" -le "$end" ] || _e=$end
	# The last epoch's rest, if shorter than half an epoch, joins it.
	[ $((end - _e)) -ge $((SOAK_EPOCH / 2)) ] || _e=$end
	pids=
	for ci in $GUESTS; do
		worker "$ci" "$_e" &
		pids="$pids $!"
	done
	for p in $pids; do
		wait "$p"
	done
	for ci in $GUESTS; do
		# shellcheck source=/dev/null # written by worker
		. "$W/$ci.state"
	done
	[ "$(date +%s)" -lt "$end" ] || break
	# A runlevel switch alone (with two guests or more), from the
	# driver's own stream, then every guest checked in full.
	[ "$SOAK_GUESTS" -ge 2 ] || continue
	step=0.$epoch
	rnd 2
	rl=$([ "$R" = 0 ] && echo rla || echo rlb)
	for ci in $GUESTS; do
		new_round "$ci"
		eval "dirty_$ci=1"
	done
	slog "guest=all op=switch args=$rl"
	cur_op=switch op_t0=$(now)
	op_switch "$rl"
	quiet_point
done
slog "soak: the operations end after $epoch epochs"

# The end: every guest started, then all stopped at once, as a runlevel
# switch would; then nothing may be left.
step=end.1
pids=
for ci in $GUESTS; do
	eval "confmode_$ci=ok"
	new_round "$ci"
	eval "dirty_$ci=1"
	(
		eval "cur=\$name_$ci"
		cur_op=final_start
		op_t0=$(now)
		run $(($(start_timeout "$ci") + 60)) rc-service "uml.$cur" start
		[ "$st" -eq 0 ] || violation "$cur" "final rc-service start exited $st" "$out"
		ores "exit $st"
	) &
	pids="$pids $!"
done
for p in $pids; do
	wait "$p"
done
quiet_point
step=end.2
pids=
for ci in $GUESTS; do
	(
		eval "cur=\$name_$ci"
		cur_op=final_stop
		op_t0=$(now)
		op_rc_stop
	) &
	pids="$pids $!"
done
for p in $pids; do
	wait "$p"
done
quiet_point
for ci in $GUESTS; do
	eval "g=\$name_$ci"
	cur=$g
	# (Or crashed, cleaned up, if its supervisor was SIGKILLed: OpenRC
	# still called it started, so the final start started nothing.  Or
	# crashed at the final stop's ctrl-alt-del: a panic, init killed
	# after a helper of the kernel was, finding 18.)
	_s=$(status_of "$g")
	_t=$("$U" status "$g" 2>&1)
	[ "$_s" = 3 ] || { [ "$_s" = 4 ] && case $_t in *"supervisor died"* | *"panic"*"after ctrl-alt-del"*) true ;; *) false ;; esac; } ||
		violation "$g" "at the end, status is not stopped (3)" "$_t"
	[ ! -e "/run/uml/$g" ] || violation "$g" "at the end, /run/uml/$g is left"
done
cur=all
[ -z "$(t_user_procs "$T_USER")" ] || violation all "at the end, processes of $T_USER are left" "$(t_user_procs "$T_USER")"
[ -z "$(ip -n "$ns" -br link show type tun 2>/dev/null)" ] ||
	violation all "at the end, taps are left in $ns" "$(ip -n "$ns" -br link)"
[ -z "$basesum" ] || [ "$basesum" = "$(sha256sum <"$base")" ] ||
	violation all "the cow guests' base changed"
[ "$T_ROOTNS" = "$(ip -br link; ip -br addr)" ] || violation all "the root namespace changed"
elapsed=$(($(date +%s) - t0))
slog "soak: done in $elapsed s"

# --- the report --------------------------------------------------------------

# The console logs (rotated ones too) of the guests a violation names,
# all of them for a violation of the whole run's, kept in SOAK_OUT/logs:
# the rest of the run's files go at exit.
sed -n 's/^VIOLATION .* guest=\([^ ]*\) .*/\1/p' "$VIOL" | sort -u | while read -r _n; do
	mkdir -p "$SOAK_OUT/logs"
	case $_n in
	all | "?") cp -p "$T_LOGDIR"/*.log* "$SOAK_OUT/logs/" ;;
	*) cp -p "$T_LOGDIR/$_n".log* "$SOAK_OUT/logs/" ;;
	esac 2>/dev/null
done
[ ! -d "$SOAK_OUT/logs" ] || slog "soak: the console logs of the guests named in violations are in $SOAK_OUT/logs"

SOAK_REALKERNEL=$REALKERNEL SOAK_ELAPSED=$elapsed SOAK_STEPS=$(wc -l <"$QPF") SOAK_KERNEL="$REALKERNEL ($kver)" \
	sh "$T_DIR/soak/report.sh" "$SOAK_OUT" >"$SOAK_OUT/report.md"
nv=$(wc -l <"$VIOL")
t_log "$(wc -l <"$OPSF") operations, $nv violations; report $SOAK_OUT/report.md"
if [ "$nv" -eq 0 ]; then
	t_pass "soak seed $SOAK_SEED: no invariant violated"
else
	# shellcheck disable=SC2034 # t_fail's
	t_out=$(cat "$VIOL")
	t_fail "soak seed $SOAK_SEED: $nv invariant violations"
fi
t_done
