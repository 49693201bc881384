# SPDX-License-Identifier: BSD-2-Clause
# tests/lib.sh: helpers for the integration tests (POSIX sh).
#
# A test is a sh script tests/t-NAME.sh run as root by tests/run.sh (or by
# hand: sh tests/t-NAME.sh):
#
#	. "${0%/*}/lib.sh"
#	t_init
#	g=$(t_name a)
#	t_fake_conf "$g" MEMORY=256M
#	t_exit 0 "starts" "$UMLCTL" -c "$T_CONF" start "$g"
#	t_done
#
# Assertions print `ok - ...' or `not ok - ...' with details; t_done prints
# the counts and exits 1 if any failed.  Everything a test creates is undone
# by the commands registered with t_defer, in reverse order, when the test
# exits for any reason.  T_KEEP=1 keeps the temp area for a post-mortem.
#
# shellcheck shell=sh

PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export PATH
LC_ALL=C
export LC_ALL

T_DIR=$(cd "$(dirname "$0")" && pwd -P)
T_ROOT=${T_DIR%/*}
UMLCTL=${UMLCTL:-$T_ROOT/build/umlctl}
FAKEKERNEL=${FAKEKERNEL:-$T_ROOT/build/fakekernel}
# The kernel `make test-kernel' builds (kernel/build.sh): it runs on every
# host.  tests/run.sh also runs some tests with the distribution's.
# T_KBUILT=KCACHE/bin/linux points the tests at a kernel that build.sh
# built with KCACHE and KERNELDIR=KCACHE/bin (t-kernel-build checks it).
T_KBUILT=${T_KBUILT:-/var/cache/umlctl/kernel/bin/linux}
REALKERNEL=${REALKERNEL:-$T_KBUILT}
MKGUEST=$T_DIR/tools/mkguest.sh
# The test users (made by run.sh or t_init when missing).  Two suites run
# at once on one host (two work trees) need users of their own: t_user_gone
# looks at every process of T_USER.
T_USER=${T_USER:-umlt}
T_USER2=${T_USER2:-umlt2}
T_GROUP=${T_GROUP:-umltx}	# a supplementary group of $T_USER
T_TEST=$(basename "$0" .sh)
# umlctl refuses paths with a component that others can write (even a
# sticky one such as /var/tmp), so the temp area lives under a root-owned
# 0755 directory.  Guest images built by mkguest.sh are cached there too.
T_BASE=${T_BASE:-/var/lib/umlt-test}
T_IMGCACHE=${T_IMGCACHE:-$T_BASE/images}

t_npass=0
t_nfail=0
t_done_called=
t_cleaned=
T_DEFERRED=
T_NETNS_LIST=
T_TMP=
t_out=
t_status=0

# --- output and assertions -------------------------------------------------

t_log() {
	printf '# %s\n' "$*"
}

t_pass() {
	t_npass=$((t_npass + 1))
	printf 'ok - %s\n' "$1"
}

# t_fail DESC [DETAIL...]: a failed check; details and the last command's
# output are shown indented.
t_fail() {
	t_nfail=$((t_nfail + 1))
	printf 'not ok - %s\n' "$1"
	shift
	for _l in "$@"; do
		printf '#   %s\n' "$_l"
	done
	if [ -n "$t_out" ]; then
		printf '%s\n' "$t_out" | tail -n 25 | sed 's/^/#   | /'
	fi
}

# Run a command, keeping its status in t_status and its output (stdout and
# stderr together) in t_out for later t_match checks.
t_run() {
	"$@" >"$T_TMP/out" 2>&1 </dev/null
	t_status=$?
	t_out=$(cat "$T_TMP/out")
	return "$t_status"
}

# t_ok DESC CMD...: CMD exits 0.
t_ok() {
	_desc=$1
	shift
	if t_run "$@"; then
		t_pass "$_desc"
	else
		t_fail "$_desc" "exit status $t_status: $*"
	fi
}

# t_exit N DESC CMD...: CMD exits with status N.
t_exit() {
	_want=$1
	_desc=$2
	shift 2
	t_run "$@"
	if [ "$t_status" -eq "$_want" ]; then
		t_pass "$_desc"
	else
		t_fail "$_desc" "exit status $t_status, wanted $_want: $*"
	fi
}

# t_eq DESC EXPECTED ACTUAL
t_eq() {
	if [ "$2" = "$3" ]; then
		t_pass "$1"
	else
		_o=$t_out
		t_out=
		t_fail "$1" "expected: $2" "actual:   $3"
		t_out=$_o
	fi
}

# t_match DESC ERE TEXT: some line of TEXT matches ERE (grep -E).
t_match() {
	if printf '%s\n' "$3" | grep -Eq -- "$2"; then
		t_pass "$1"
	else
		_o=$t_out
		t_out=$3
		t_fail "$1" "no line matches /$2/ in:"
		t_out=$_o
	fi
}

# t_nomatch DESC ERE TEXT: no line of TEXT matches ERE.
t_nomatch() {
	if printf '%s\n' "$3" | grep -Eq -- "$2"; then
		_o=$t_out
		t_out=$3
		t_fail "$1" "a line matches /$2/ in:"
		t_out=$_o
	else
		t_pass "$1"
	fi
}

# t_has DESC STRING TEXT: TEXT contains STRING (no pattern characters).
t_has() {
	if printf '%s\n' "$3" | grep -Fq -- "$2"; then
		t_pass "$1"
	else
		_o=$t_out
		t_out=$3
		t_fail "$1" "\`$2' not found in:"
		t_out=$_o
	fi
}

# t_done: print the counts and exit 1 if anything failed.
t_done() {
	t_done_called=1
	printf '# %s: %d ok, %d not ok\n' "$T_TEST" "$t_npass" "$t_nfail"
	[ "$t_nfail" -eq 0 ] && [ "$t_npass" -gt 0 ]
	exit $?
}

# t_skip_all REASON: the test cannot run here (exit status 77).
t_skip_all() {
	t_done_called=1
	printf '# SKIP %s: %s\n' "$T_TEST" "$1"
	exit 77
}

# t_bail REASON: a precondition failed; stop here (cleanup still runs).
t_bail() {
	t_out=
	t_fail "$1"
	t_done
}

# --- cleanup registry ------------------------------------------------------

# t_defer CMD: run CMD (one line of sh) when the test exits, most recent
# first, whatever the reason of the exit.
t_defer() {
	T_DEFERRED="$1
$T_DEFERRED"
}

t__cleanup() {
	[ -n "$t_cleaned" ] && return 0
	t_cleaned=1
	set +eu
	_cmds=$T_DEFERRED
	T_DEFERRED=
	printf '%s\n' "$_cmds" | while IFS= read -r _c; do
		[ -n "$_c" ] && eval "$_c" </dev/null >/dev/null 2>&1
	done
	t__kill_user_procs "$T_USER"
	t__kill_user_procs "$T_USER2"
	if [ -n "$T_TMP" ] && [ -d "$T_TMP" ]; then
		if [ -n "${T_KEEP:-}" ]; then
			printf '# kept %s\n' "$T_TMP"
		else
			rm -rf --one-file-system "$T_TMP"
		fi
	fi
}

t__on_exit() {
	_st=$?
	if [ -z "$t_done_called" ]; then
		printf 'not ok - %s stopped before t_done (status %s)\n' "$T_TEST" "$_st"
		_st=1
	fi
	t__cleanup
	exit "$_st"
}

t__on_signal() {
	printf 'not ok - %s interrupted\n' "$T_TEST"
	t_done_called=1
	t__cleanup
	exit 130
}

# Processes of a test user are this suite's own; kill whatever is left, by pid.
t__kill_user_procs() {
	getent passwd "$1" >/dev/null 2>&1 || return 0
	for _p in $(ps -u "$1" -o pid= 2>/dev/null); do
		kill -KILL "$_p" 2>/dev/null
	done
}

# --- setup -----------------------------------------------------------------

# t_users_setup: create the test users if missing; print those created.
t_users_setup() {
	if ! getent group "$T_GROUP" >/dev/null; then
		groupadd --system "$T_GROUP" && echo "group:$T_GROUP"
	fi
	for _u in "$T_USER" "$T_USER2"; do
		if ! getent passwd "$_u" >/dev/null; then
			useradd --system --user-group --no-create-home \
				--home-dir /nonexistent --shell /usr/sbin/nologin "$_u" &&
				echo "user:$_u"
		fi
	done
	usermod -a -G "$T_GROUP" "$T_USER"
}

# t_users_remove LIST: undo t_users_setup (its output).
t_users_remove() {
	for _e in $1; do
		case $_e in
		user:*) userdel "${_e#user:}" ;;
		esac
	done
	for _e in $1; do
		case $_e in
		group:*) groupdel "${_e#group:}" ;;
		esac
	done
}

t_openrc_ready() {
	mkdir -p /run/openrc
	[ -e /run/openrc/softlevel ] || touch /run/openrc/softlevel
}

# t_init: root, test users, a temp area, the exit trap.
t_init() {
	[ "$(id -u)" -eq 0 ] || t_skip_all "needs root"
	trap t__on_exit EXIT
	trap t__on_signal INT TERM HUP
	{ mkdir -p "$T_BASE" && chmod 0755 "$T_BASE"; } || t_bail "mkdir $T_BASE"
	T_TMP=$(mktemp -d "$T_BASE/run.XXXXXX") || t_bail "mktemp"
	chmod 0755 "$T_TMP"
	T_CONF=$T_TMP/conf
	T_UMLDIR=$T_TMP/uml
	T_LOGDIR=$T_TMP/log
	T_REC=$T_TMP/rec
	mkdir -p "$T_CONF" "$T_UMLDIR" "$T_LOGDIR" "$T_REC"
	: >"$T_CONF/uml"
	t_openrc_ready
	# Under run.sh the runner owns the users; by hand, remove what we made.
	_made=$(t_users_setup)
	if [ -z "${T_RUNNER:-}" ] && [ -n "$_made" ]; then
		t_defer "t_users_remove '$(printf '%s' "$_made" | tr '\n' ' ')'"
	fi
	# Any test user's kernel may write its record here.
	chmod 1733 "$T_REC"
}

t_need_umlctl() {
	[ -x "$UMLCTL" ] || t_bail "$UMLCTL missing: run make"
}

t_need_fake() {
	[ -x "$FAKEKERNEL" ] || t_bail "$FAKEKERNEL missing: run make build/fakekernel"
	cp "$FAKEKERNEL" "$T_TMP/fakekernel"
	chmod 0755 "$T_TMP/fakekernel"
	T_FAKE=$T_TMP/fakekernel
}

# t_name SUFFIX: a guest name unique to this test run, at most 20 bytes.
t_name() {
	printf 't%s%s\n' "$$" "$1"
}

# --- guests ----------------------------------------------------------------

# t_q VALUE: VALUE quoted for sh (and umlctl's conf parser).
t_q() {
	printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\"'\"'/g")"
}

# t_conf NAME VAR=VALUE...: write $T_CONF/uml.NAME with exactly these
# assignments, each value quoted.  VAR (no `=') writes the line verbatim.
t_conf() {
	_n=$1
	shift
	: >"$T_CONF/uml.$_n"
	# T_GUEST_VARS (tests/run.sh): the mode every real-kernel guest runs
	# in, first, so that a test's own assignments win.
	# shellcheck disable=SC2086 # VAR=VALUE words
	case " $* " in
	*" KERNEL=${T_FAKE:-/nonexistent} "*) ;;
	*) [ -z "${T_GUEST_VARS:-}" ] || t_conf_add "$_n" $T_GUEST_VARS ;;
	esac
	t_conf_add "$_n" "$@"
}

# t_guest_var VAR: its value in T_GUEST_VARS, or nothing.
t_guest_var() {
	for _w in ${T_GUEST_VARS:-}; do
		case $_w in
		"$1"=*) printf '%s\n' "${_w#*=}" ;;
		esac
	done | tail -n 1
}

t_conf_add() {
	_n=$1
	shift
	for _a in "$@"; do
		case $_a in
		*=*) printf '%s=%s\n' "${_a%%=*}" "$(t_q "${_a#*=}")" ;;
		*) printf '%s\n' "$_a" ;;
		esac
	done >>"$T_CONF/uml.$_n"
}

# t_guest_dir NAME: $T_UMLDIR/NAME, root-owned.
t_guest_dir() {
	mkdir -p "$T_UMLDIR/$1"
	chmod 0755 "$T_UMLDIR/$1"
	t_defer "t_guest_cleanup $1"
}

# t_root_dummy NAME: a 1 MiB root image for the fake kernel, owned by $T_USER.
t_root_dummy() {
	t_guest_dir "$1"
	dd if=/dev/zero of="$T_UMLDIR/$1/root.loop" bs=1M count=1 2>/dev/null
	chown "$T_USER:" "$T_UMLDIR/$1/root.loop"
	chmod 0600 "$T_UMLDIR/$1/root.loop"
}

# t_root_image NAME [mkguest options...]: a real busybox root image.
# Images are cached by their options in $T_IMGCACHE.
t_root_image() {
	_n=$1
	shift
	t_guest_dir "$_n"
	mkdir -p "$T_IMGCACHE"
	_key=$(printf '%s ' "$@" "$(cat "$MKGUEST" "$T_DIR/tools/records.awk" | cksum)" | cksum | cut -d' ' -f1)
	if [ ! -f "$T_IMGCACHE/$_key.img" ]; then
		"$MKGUEST" "$T_IMGCACHE/$_key.tmp" "$@" || t_bail "mkguest.sh $*"
		mv "$T_IMGCACHE/$_key.tmp" "$T_IMGCACHE/$_key.img"
	fi
	cp --sparse=always "$T_IMGCACHE/$_key.img" "$T_UMLDIR/$_n/root.loop"
	chown "$T_USER:" "$T_UMLDIR/$_n/root.loop"
	chmod 0600 "$T_UMLDIR/$_n/root.loop"
}

# t_fake_conf NAME [VAR=VALUE...]: a guest run by the fake kernel; the
# arguments are appended to (and so override) the defaults.
t_fake_conf() {
	_n=$1
	shift
	[ -e "$T_UMLDIR/$_n/root.loop" ] || t_root_dummy "$_n"
	t_conf "$_n" USER="$T_USER" UMLDIR="$T_UMLDIR" KERNEL="$T_FAKE" \
		CONSOLE_LOG="$T_LOGDIR/$_n.log" START_TIMEOUT=10 SHUTDOWN_TIMEOUT=5 \
		KERNEL_ARGS="fake.record=$T_REC/$_n" "$@"
}

# t_real_conf NAME [VAR=VALUE...]: a guest run by the real kernel; make its
# image first with t_root_image.
t_real_conf() {
	_n=$1
	shift
	t_conf "$_n" USER="$T_USER" UMLDIR="$T_UMLDIR" KERNEL="$REALKERNEL" \
		CONSOLE_LOG="$T_LOGDIR/$_n.log" MEMORY=128M START_TIMEOUT=30 "$@"
}

# umlctl with the test's conf dir.
t_umlctl() {
	"$UMLCTL" -c "$T_CONF" "$@"
}

# Stop a guest however it can be stopped; a cleanup step.
t_guest_cleanup() {
	if [ -x "$UMLCTL" ]; then
		timeout 90 "$UMLCTL" -c "$T_CONF" stop "$1"
	fi
	_sup=$(cat "/run/uml/$1.pid" 2>/dev/null)
	if [ -n "$_sup" ] && tr '\0' ' ' <"/proc/$_sup/cmdline" 2>/dev/null |
		grep -q "umlctl.* $1"; then
		kill -KILL "$_sup"
	fi
	for _p in $(t_guest_pids "$1"); do
		kill -KILL "$_p"
	done
	rm -rf "/run/uml/$1" "/run/uml/$1.lock" "/run/uml/$1.pid" "/run/uml/$1.last" \
		"/run/uml/$1.stops"
}

# --- processes -------------------------------------------------------------

# t_user_procs USER: live processes of USER, one `pid stat args' a line.
# Zombies are left out: on these machines pid 1 does not reap, so an orphan
# zombie says nothing about the code under test.
t_user_procs() {
	ps -u "$1" -o pid=,stat=,args= 2>/dev/null | awk '$2 !~ /^Z/'
}

# t_guest_pids NAME: every live process of a test user running guest NAME.
t_guest_pids() {
	for _u in "$T_USER" "$T_USER2"; do
		ps -u "$_u" -o pid=,stat=,args= 2>/dev/null
	done | awk -v w="umid=$1" '$2 !~ /^Z/ {
		for (i = 3; i <= NF; i++) if ($i == w) { print $1; break } }'
}

# t_kernel_pid NAME: the kernel's main process (UML calls setsid(): it is
# the session leader).
t_kernel_pid() {
	for _u in "$T_USER" "$T_USER2"; do
		ps -u "$_u" -o pid=,sid=,stat=,args= 2>/dev/null
	done | awk -v w="umid=$1" '$1 == $2 && $3 !~ /^Z/ {
		for (i = 4; i <= NF; i++) if ($i == w) { print $1; exit } }'
}

# t_proc_status PID KEY: the value of KEY: in /proc/PID/status, tabs as spaces.
t_proc_status() {
	awk -v k="$2:" '$1 == k { $1 = ""; sub(/^ /, ""); print; exit }' "/proc/$1/status"
}

# t_wait SECONDS CMD...: poll CMD every 0.1 s until it succeeds.
t_wait() {
	_ticks=$(($1 * 10))
	shift
	while ! "$@" >/dev/null 2>&1; do
		_ticks=$((_ticks - 1))
		[ "$_ticks" -gt 0 ] || return 1
		sleep 0.1
	done
}

# t_console FILE: a console log as text (the guest's tty writes CR LF).
t_console() {
	tr -d '\r' 2>/dev/null <"$1"
}

# t_status_is N CMD...: CMD exits with status N (a predicate for t_wait).
t_status_is() {
	_n=$1
	shift
	"$@" >/dev/null 2>&1
	[ $? -eq "$_n" ]
}

# t_user_gone USER: no live process of USER (a predicate for t_wait).
t_user_gone() {
	[ -z "$(t_user_procs "$1")" ]
}

# t_in_order FILE ERE...: lines of FILE (a console log) match the EREs
# in this order.
t_in_order() {
	_f=$1
	shift
	_from=0
	for _re in "$@"; do
		_at=$(t_console "$_f" | awk -v from="$_from" -v re="$_re" \
			'NR > from && $0 ~ re { print NR; exit }')
		[ -n "$_at" ] || return 1
		_from=$_at
	done
}

# t_wait_up NAME N [SECONDS]: guest NAME's init said `guest: up' for the
# Nth time in its console log, which keeps earlier runs' lines (default 30 s).
t_wait_up() {
	t_wait "${3:-30}" t__ups "$1" "$2"
}

t__ups() {
	[ "$(grep -c '^guest: up' "$T_LOGDIR/$1.log" 2>/dev/null)" -ge "$2" ]
}

# t_wait_log FILE ERE SECONDS
t_wait_log() {
	t_wait "$3" grep -Eq -- "$2" "$1"
}

# t_no_leftovers NAME [TAP...]: nothing of guest NAME is left.
t_no_leftovers() {
	_n=$1
	shift
	_ps=$(t_user_procs "$T_USER")
	_ps2=$(t_user_procs "$T_USER2")
	t_eq "$_n: no process of $T_USER left" "" "$_ps"
	t_eq "$_n: no process of $T_USER2 left" "" "$_ps2"
	t_ok "$_n: no /run/uml/$_n" test ! -e "/run/uml/$_n"
	t_ok "$_n: nothing mounted under /run/uml/$_n" \
		sh -c "! awk '{ print \$5 }' /proc/self/mountinfo | grep -q '^/run/uml/$_n/'"
	for _t in "$@"; do
		t_ok "$_n: no tap $_t" test ! -e "/sys/class/net/$_t"
		for _ns in $T_NETNS_LIST; do
			t_ok "$_n: no tap $_t in netns $_ns" sh -c "! ip -n '$_ns' link show dev '$_t'"
		done
	done
}

# --- host resources --------------------------------------------------------

# t_netns NAME: a network namespace deleted when the test exits.
t_netns() {
	ip netns add "$1" || t_bail "ip netns add $1"
	T_NETNS_LIST="$T_NETNS_LIST $1"
	t_defer "ip netns del $1"
	ip -n "$1" link set lo up
}

# t_bridge NS BRIDGE [ADDR/PREFIX]: an up bridge in the test's namespace NS,
# with the namespace's host-side address if one is given.
t_bridge() {
	ip -n "$1" link add "$2" type bridge || t_bail "bridge $2 in $1"
	[ -z "${3:-}" ] || ip -n "$1" addr add "$3" dev "$2"
	ip -n "$1" link set "$2" up
}

# t_links NS: `ip -d link' of namespace NS without the bridges' running
# timers, to compare before and after.
t_links() {
	ip -n "$1" -d link | sed -E 's/[a-z_]+_timer +[0-9.]+//g'
}

# t_rootns_save, then t_rootns_same at the end of a test: the root
# namespace's links and addresses did not change meanwhile.
t_rootns_save() {
	T_ROOTNS=$(ip -br link; ip -br addr)
}

t_rootns_same() {
	t_eq "nothing changed in the root namespace (ip -br link, ip -br addr)" \
		"$T_ROOTNS" "$(ip -br link; ip -br addr)"
}

# t_mount_noexec DIR: a small noexec tmpfs on DIR, unmounted when the test exits.
t_mount_noexec() {
	mkdir -p "$1"
	mount -t tmpfs -o noexec,nosuid,nodev,size=4m,mode=1777 umlt-noexec "$1" ||
		t_bail "mount noexec tmpfs on $1"
	t_defer "umount $1"
}

# t_ofd_lock FILE SECONDS: python3 holds a write OFD lock on FILE
# (fcntl.F_OFD_SETLK, as rundir.c and disk.c take theirs) for SECONDS, in
# the background, its pid in t_ofd_pid; returns once the lock is held.
# Another umlctl, or another host over NFS, looks like this.
t_ofd_lock() {
	rm -f "$T_TMP/ofd.held"
	python3 -c 'import fcntl, os, struct, sys, time
fd = os.open(sys.argv[1], os.O_RDWR)
fcntl.fcntl(fd, fcntl.F_OFD_SETLK, struct.pack("hhqqi4x", fcntl.F_WRLCK, 0, 0, 0, 0))
open(sys.argv[2], "w").close()
time.sleep(float(sys.argv[3]))' "$1" "$T_TMP/ofd.held" "$2" &
	# shellcheck disable=SC2034 # for the test
	t_ofd_pid=$!
	t_wait 10 test -e "$T_TMP/ofd.held"
}

# t_rc_install NAME: run guest NAME under OpenRC as /etc/init.d/uml.NAME,
# with $T_CONF/uml.NAME as /etc/conf.d/uml.NAME.  The runscript is the
# repo's, calling build/umlctl.  The link points at a copy private to this
# test (/etc/init.d/umltest.PID) rather than /etc/init.d/uml, so that an
# installed umlctl (or a colleague's) is left alone: OpenRC names the
# service after the link and sources conf.d/uml and conf.d/uml.NAME either
# way.  A link leaving /etc/init.d would not do: OpenRC resolves it and
# names the service after the target.
t_rc_install() {
	t_rc_runscript
	ln -sf "umltest.$$" "/etc/init.d/uml.$1"
	cp "$T_CONF/uml.$1" "/etc/conf.d/uml.$1"
	t_defer "rc-update -u"
	t_defer "rm -f /etc/init.d/uml.$1 /etc/conf.d/uml.$1"
	# OpenRC removes the service's cgroup on stop, not on zap.
	t_defer "rmdir /sys/fs/cgroup/unified/uml.$1 /sys/fs/cgroup/uml.$1"
	t_defer "rc-service uml.$1 zap"
	t_defer "timeout 90 rc-service uml.$1 stop"
	rc-update -u >/dev/null 2>&1
}

# t_rc_runscript: the runscript of t_rc_install, /etc/init.d/umltest.PID,
# and /etc/conf.d/uml, each made once and removed when the test exits.
t_rc_runscript() {
	[ -f "$T_ROOT/init.d/uml" ] || t_bail "$T_ROOT/init.d/uml missing"
	t_openrc_ready
	_script=/etc/init.d/umltest.$$
	if [ ! -e "$_script" ]; then
		make -s -C "$T_ROOT" runscript SBINDIR="$T_ROOT/build" RUNSCRIPT="$_script" ||
			t_bail "make runscript"
		chmod 0755 "$_script"
		t_defer "rm -f $_script"
		# OpenRC's cgroup for the base script, if a test ran it directly.
		t_defer "rmdir /sys/fs/cgroup/unified/umltest.$$ /sys/fs/cgroup/umltest.$$"
	fi
	# Debian's openrc package does not make /etc/conf.d.
	if [ ! -d /etc/conf.d ]; then
		mkdir -p /etc/conf.d
		t_defer "rmdir /etc/conf.d"
	fi
	if [ ! -e /etc/conf.d/uml ]; then
		if [ -f "$T_ROOT/conf.d/uml" ]; then
			cp "$T_ROOT/conf.d/uml" /etc/conf.d/uml
		else
			: >/etc/conf.d/uml
		fi
		t_defer "rm -f /etc/conf.d/uml"
	fi
}

# --- guest data ------------------------------------------------------------

# t_data_expected TOKEN: what mkguest.sh --write makes the guest write.
t_data_expected() {
	awk -v t="$1" 'BEGIN { for (i = 0; i < 2000; i++) printf "data %s line %d\n", t, i }'
}

# t_data_ok DESC NAME TOKEN: what mkguest.sh --write made guest NAME write
# (with token=TOKEN) is whole in its root image, and the image is clean.
t_data_ok() {
	t_ok "$1: image clean (e2fsck -fn)" e2fsck -fn "$T_UMLDIR/$2/root.loop"
	t_eq "$1: /data.txt intact" "$(t_data_expected "$3" | cksum)" \
		"$(t_image_cat "$T_UMLDIR/$2/root.loop" /data.txt | cksum)"
}

# t_image_cat IMAGE PATH: a file of an (unused) ext2 image.
t_image_cat() {
	debugfs -R "cat $2" "$1" 2>/dev/null
}

# t_cache_put FILE CACHED: FILE becomes CACHED (root's, atomically), a
# cached image keyed by the code that made it, marked as this checkout's
# (CACHED.src holds $T_ROOT).  The images with CACHED's prefix (up to its
# last '-') that this checkout made before go, with their side files;
# another checkout's stay: a test there may be copying one right now.
t_cache_put() {
	_cdir=${2%/*}
	_cpre=${2##*/}
	_cpre=${_cpre%-*}-
	mkdir -p "$_cdir" || return 1
	for _old in "$_cdir/$_cpre"*.img; do
		if [ "$_old" != "$2" ] && [ -f "$_old.src" ] &&
			[ "$(cat "$_old.src")" = "$T_ROOT" ]; then
			rm -f "$_old" "$_old".*
		fi
	done
	printf '%s\n' "$T_ROOT" >"$2.src" &&
		mv "$1" "$2.tmp.$$" && chown root: "$2.tmp.$$" && mv "$2.tmp.$$" "$2"
}

# t_image_put IMAGE PATH LOCAL MODE UID GID: LOCAL as PATH in IMAGE
# (debugfs), a regular file of MODE (octal, e.g. 755).
t_image_put() {
	debugfs -w -R "rm $2" "$1" >/dev/null 2>&1
	debugfs -w -f - "$1" >/dev/null 2>&1 <<EOF
write $3 $2
sif $2 mode 0100$4
sif $2 uid $5
sif $2 gid $6
EOF
}

# t_create_key [WORD...]: the number cached images made by `umlctl create'
# go by: of the code that makes them (create.c, create_make.c, prepare*.c)
# and the WORDs (create's options that change the image, if any).
# shellcheck disable=SC2120 # the WORDs are optional
t_create_key() {
	{
		cat "$T_ROOT/src/cli/create.c" "$T_ROOT/src/cli/create_make.c" "$T_ROOT"/src/system/prepare*.c
		[ $# -eq 0 ] || echo "$*"
	} | cksum | cut -d" " -f1
}

# t_debian_image INIT: set deb_img to a never-booted Debian 12 image with
# INIT (systemd or sysvinit) and a swap line for /dev/ubdb, made by
# `umlctl create' (mmdebstrap) and cached in T_DEBCACHE, keyed by the code
# that makes them (create.c, create_make.c, prepare*.c), so that the suite
# stays fast on a machine that ran it before; on a fresh machine create
# runs here.  A new image replaces only the ones this checkout made
# (t_cache_put): other checkouts' runs may be using theirs.
T_DEBCACHE=${T_DEBCACHE:-/var/cache/umlctl/guests}
t_debian_image() {
	# shellcheck disable=SC2119 # no WORDs: create's defaults
	_key=$(t_create_key)
	_img=$T_DEBCACHE/bookworm-$1-$_key.img
	if [ ! -f "$_img" ]; then
		_g=$(t_name "m$1")
		# create puts the image in conf.d/uml's UMLDIR: the test's own,
		# never the host's default /var/lib/uml.
		grep -q '^UMLDIR=' "$T_CONF/uml" ||
			echo "UMLDIR=$(t_q "$T_UMLDIR")" >>"$T_CONF/uml"
		t_log "making the $1 image with umlctl create (not cached yet)"
		_t0=$(date +%s)
		"$UMLCTL" -c "$T_CONF" create -u "$T_USER" -i "$1" -w 64M "$_g" debian:bookworm >&2 ||
			t_bail "umlctl create $_g debian:bookworm ($1)"
		t_log "create took $(($(date +%s) - _t0)) s"
		t_cache_put "$T_UMLDIR/$_g/root.loop" "$_img" || t_bail "caching $_img"
		t_ok "create wrote a conf.d file with READY=guest" grep -q 'READY="guest"' "$T_CONF/uml.$_g"
		rm -rf "${T_UMLDIR:?}/$_g" "$T_CONF/uml.$_g"
	fi
	# shellcheck disable=SC2034 # for the test
	deb_img=$_img
}

# t_nothing_done DESC NAME: guest NAME left nothing behind: no process of
# the test users, nothing under /run/uml, no console log.
t_nothing_done() {
	t_eq "$1: no process of $T_USER" "" "$(t_user_procs "$T_USER")"
	t_eq "$1: nothing under /run/uml" "" \
		"$(ls -d "/run/uml/$2" "/run/uml/$2".* 2>/dev/null)"
	t_ok "$1: no console log" test ! -e "$T_LOGDIR/$2.log"
}

# t_refused DESC NAME TEXT...: `check' and `start' of guest NAME both exit
# 2 with every TEXT in their message, and start leaves nothing behind.
t_refused() {
	t_refused_says "$@"
	t_nothing_done "$1" "$2"
}

# t_refused_says DESC NAME TEXT...: only the exit statuses and the texts.
t_refused_says() {
	_d=$1
	_n=$2
	shift 2
	for _cmd in check start; do
		t_exit 2 "$_d: $_cmd exits 2" t_umlctl "$_cmd" "$_n"
		for _txt in "$@"; do
			t_has "$_d: $_cmd says $_txt" "$_txt" "$t_out"
		done
	done
}
