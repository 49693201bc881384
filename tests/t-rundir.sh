#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# The runtime files have the owners and modes HACKING.md and SECURITY.md
# give them, whatever the caller's umask (000 or 077): /run/uml root 0755,
# /run/uml/NAME/ root 0711, u/ USER 0700, the notify socket USER 0600, the
# state file root 0600, NAME.lock root 0600, NAME.pid and NAME.last root
# 0644, the console log root 0640.  And on a fresh host, where /run/uml does
# not exist yet (/run is a tmpfs), the first start creates it usable: a
# private umlctl built with RUNDIR under the temp area stands for that.
# shellcheck source=SCRIPTDIR/lib.sh
. "${0%/*}/lib.sh"
t_init
t_need_umlctl
t_need_fake

# st PATH: owner, group, mode and type of PATH (not followed).
st() {
	stat -c '%U %G %a %F' "$1" 2>&1
}

ug="$T_USER $(id -gn "$T_USER")"

# check DESC RUNDIR NAME: the files of running guest NAME under RUNDIR.
check_running() {
	_d=$1
	_r=$2
	_n=$3
	t_eq "$_d: $_r" "root root 755 directory" "$(st "$_r")"
	t_eq "$_d: $_r/$_n/" "root root 711 directory" "$(st "$_r/$_n")"
	t_eq "$_d: $_r/$_n/u/" "$ug 700 directory" "$(st "$_r/$_n/u")"
	t_eq "$_d: $_r/$_n/notify" "$ug 600 socket" "$(st "$_r/$_n/notify")"
	t_eq "$_d: $_r/$_n/console" "root root 600 socket" "$(st "$_r/$_n/console")"
	t_eq "$_d: $_r/$_n/state" "root root 600 regular file" "$(st "$_r/$_n/state")"
	t_eq "$_d: $_r/$_n.lock" "root root 600 regular empty file" "$(st "$_r/$_n.lock")"
	t_eq "$_d: $_r/$_n.pid" "root root 644 regular file" "$(st "$_r/$_n.pid")"
	t_eq "$_d: the console log" "root root 640 regular file" "$(st "$T_LOGDIR/$_n.log")"
	# The supervisor's mconsole client's address (the kernel answers to
	# it): USER's, 0600, named by the supervisor's pid.
	_sup=$(cat "$_r/$_n.pid" 2>/dev/null)
	t_eq "$_d: $_r/$_n/mc.$_sup.0" "$T_USER root 600 socket" "$(st "$_r/$_n/mc.$_sup.0")"
	t_eq "$_d: nothing else in $_r/$_n/" "console mc.$_sup.0 notify state u" \
		"$(find "$_r/$_n" -mindepth 1 -maxdepth 1 -printf '%f\n' | sort | tr '\n' ' ' | sed 's/ $//')"
}

check_stopped() {
	_d=$1
	_r=$2
	_n=$3
	t_eq "$_d: $_r/$_n.last after stop" "root root 644 regular file" "$(st "$_r/$_n.last")"
	t_eq "$_d: $_r/$_n.stops after stop (counts since boot)" "root root 644 regular file" "$(st "$_r/$_n.stops")"
	t_eq "$_d: only $_n.last and $_n.stops are left in $_r" "$_n.last $_n.stops" \
		"$(find "$_r" -mindepth 1 -maxdepth 1 -name "$_n*" -printf '%f\n' | sort | tr '\n' ' ' | sed 's/ $//')"
}

# 1. The real /run/uml, under a caller's umask of 000 and of 077.
for m in 000 077; do
	g=$(t_name "m$m")
	t_fake_conf "$g"
	t_exit 0 "umask $m: start" sh -c "umask $m; exec \"\$@\"" sh "$UMLCTL" -c "$T_CONF" start "$g"
	check_running "umask $m" /run/uml "$g"
	t_exit 0 "umask $m: stop" sh -c "umask $m; exec \"\$@\"" sh "$UMLCTL" -c "$T_CONF" stop "$g"
	check_stopped "umask $m" /run/uml "$g"
	t_no_leftovers "$g"
done

# 2. A fresh host: RUNDIR does not exist yet.  A private build of umlctl
# with RUNDIR in the temp area (the real /run/uml is shared).
priv=$T_TMP/build/umlctl
rd=$T_TMP/run/uml
if ! make -s -C "$T_ROOT" B="$T_TMP/build" RUNDIR="$rd" "$priv" >"$T_TMP/make.out" 2>&1; then
	sed 's/^/# /' "$T_TMP/make.out"
	t_bail "make a private umlctl with RUNDIR=$rd"
fi
mkdir -p "$T_TMP/run"
chmod 0755 "$T_TMP/run"
g=$(t_name f)
t_fake_conf "$g"
t_defer "timeout 30 $priv -c $T_CONF stop $g"
t_exit 0 "fresh RUNDIR: the first start creates it and starts the guest" "$priv" -c "$T_CONF" start "$g"
t_eq "fresh RUNDIR: $rd" "root root 755 directory" "$(st "$rd")"
# The rest means nothing if the guest did not start.
if [ "$t_status" -eq 0 ]; then
	check_running "fresh RUNDIR" "$rd" "$g"
	t_exit 0 "fresh RUNDIR: stop" "$priv" -c "$T_CONF" stop "$g"
	check_stopped "fresh RUNDIR" "$rd" "$g"
fi
t_eq "fresh RUNDIR: no process of $T_USER" "" "$(t_user_procs "$T_USER")"

# USER's leftovers in u/, however deep (the kernel, or anything of USER's
# that escaped it, can write there): stop removes them all without
# following a link, the guest reads as stopped, not crashed, and the next
# start works.
g=$(t_name d)
t_fake_conf "$g"
t_exit 0 "deep u/: start" t_umlctl start "$g"
# shellcheck disable=SC2016 # the script runs as USER, with $1 its own
t_ok "deep u/: $T_USER makes a tree 60 levels deep, with files and a link" \
	setpriv --reuid="$T_USER" --regid="$T_USER" --clear-groups sh -c '
	cd "/run/uml/$1/u" || exit 1
	i=0
	while [ $i -lt 60 ]; do
		mkdir d && cd d && echo x >f || exit 1
		i=$((i + 1))
	done
	ln -s /etc victim' sh "$g"
t_exit 0 "deep u/: stop exits 0" t_umlctl stop "$g"
t_exit 3 "deep u/: status exits 3 (stopped, not crashed)" t_umlctl status "$g"
t_ok "deep u/: /run/uml/$g is gone" test ! -e "/run/uml/$g"
t_eq "deep u/: nothing of the cleanup is left in /run/uml" "" \
	"$(find /run/uml -maxdepth 1 -name '.rm*')"
t_ok "deep u/: the link's target is untouched" test -f /etc/passwd
t_exit 0 "deep u/: the next start works" t_umlctl start "$g"
t_exit 0 "deep u/: stop" t_umlctl stop "$g"
t_no_leftovers "$g"
t_done
