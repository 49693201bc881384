#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# What the kernel process gets, seen from inside it (the fake kernel records
# it first thing): USER's uid, gid and groups only, no capabilities,
# NoNewPrivs, fds 0-2 and its disk file only, the environment allowlist, umask 077 and the
# documented argv; whatever the caller's groups, environment and fds.
# The record reads /proc/self and is written in $T_REC, both outside the
# kernel's Landlock domain: those guests run with CONFINE=no, and case 5
# shows the confined kernel the same from outside, its domain refusing
# the record (t-confine tests the domain).
# shellcheck source=SCRIPTDIR/lib.sh
. "${0%/*}/lib.sh"
t_init
t_need_umlctl
t_need_fake

# check_record NAME USER TMPDIR: the record of guest NAME's kernel.
check_record() {
	_g=$1
	_u=$2
	_rec=$T_REC/$_g
	t_ok "$_g: the kernel wrote its record" test -s "$_rec"
	_uid=$(id -u "$_u")
	_gid=$(id -g "$_u")
	t_eq "$_g: Uid is $_u's" "$_uid $_uid $_uid $_uid" \
		"$(awk '$1 == "Uid:" { print $2, $3, $4, $5 }' "$_rec")"
	t_eq "$_g: Gid is $_u's" "$_gid $_gid $_gid $_gid" \
		"$(awk '$1 == "Gid:" { print $2, $3, $4, $5 }' "$_rec")"
	t_eq "$_g: Groups are $_u's and no others" \
		"$(id -G "$_u" | tr ' ' '\n' | sort -n | tr '\n' ' ')" \
		"$(awk '$1 == "Groups:" { for (i = 2; i <= NF; i++) print $i }' "$_rec" |
			sort -n | tr '\n' ' ')"
	for _c in CapInh CapPrm CapEff CapBnd CapAmb; do
		t_eq "$_g: $_c is 0" 0000000000000000 \
			"$(awk -v k="$_c:" '$1 == k { print $2 }' "$_rec")"
	done
	t_eq "$_g: NoNewPrivs 1" 1 "$(awk '$1 == "NoNewPrivs:" { print $2 }' "$_rec")"
	t_eq "$_g: umask 0077" 0077 "$(awk '$1 == "umask" { print $2 }' "$_rec")"
	t_eq "$_g: only fds 0, 1, 2 and 3, its disk" "0 1 2 3 " \
		"$(awk '$1 == "fd" { print $2 }' "$_rec" | sort -n | tr '\n' ' ')"
	# The disk file umlctl holds OFD-locked: the lock lives as long as
	# the kernel (disk.c), also after its supervisor was killed.
	t_match "$_g: fd 3 is its image" '/root\.loop$' \
		"$(awk '$1 == "fd" && $2 == 3 { print $3 }' "$_rec")"
	# The console is two pipes the supervisor holds: it copies the output
	# into the log (the kernel holds no descriptor of the file) and writes
	# an attached session's typing into the input.
	_i=$(awk '$1 == "fd" && $2 == 0 { print $3 }' "$_rec")
	_o=$(awk '$1 == "fd" && $2 == 1 { print $3 }' "$_rec")
	t_match "$_g: stdin is a pipe" '^pipe:\[[0-9]+\]$' "$_i"
	t_match "$_g: stdout is a pipe" '^pipe:\[[0-9]+\]$' "$_o"
	t_ok "$_g: not the same pipe" test "$_i" != "$_o"
	t_eq "$_g: stderr is the same pipe" "$_o" \
		"$(awk '$1 == "fd" && $2 == 2 { print $3 }' "$_rec")"
	t_eq "$_g: environment is the allowlist" "HOME LOGNAME PATH TMPDIR USER " \
		"$(sed -n 's/^env \([^=]*\)=.*/\1/p' "$_rec" | sort | tr '\n' ' ')"
	_home=$(getent passwd "$_u" | cut -d: -f6)
	t_has "$_g: HOME is $_u's" "env HOME=$_home" "$(cat "$_rec")"
	t_has "$_g: USER is $_u" "env USER=$_u" "$(cat "$_rec")"
	t_has "$_g: LOGNAME is $_u" "env LOGNAME=$_u" "$(cat "$_rec")"
	t_eq "$_g: TMPDIR is $3" "$3" "$(sed -n 's/^env TMPDIR=//p' "$_rec")"
	_path=$(sed -n 's/^env PATH=//p' "$_rec")
	t_match "$_g: PATH is absolute directories only" '^/[^:]*(:/[^:]*)*$' "$_path"
	t_nomatch "$_g: no caller's value leaked" 'evil|/root|/tmp' \
		"$(grep '^env ' "$_rec")"
	t_log "$_g: cwd $(sed -n 's/^cwd //p' "$_rec")"
}

# 1. A hostile caller: extra groups, a poisoned environment, umask 0, open
# fds, USER=root in the environment.
g=$(t_name a)
t_fake_conf "$g" CONFINE=no
t_ok "$g: check passes" t_umlctl check "$g"
: >"$T_TMP/leak"
# shellcheck disable=SC2016 # expanded by the inner sh
t_exit 0 "$g: start by a hostile caller exits 0" sh -c '
	umask 000
	exec 7</etc/passwd 8>>"$1" 9<"$1"
	exec setpriv --groups=4,24,27,100 -- env \
		LD_PRELOAD=/nonexistent/libevil.so LD_LIBRARY_PATH=/tmp/evil \
		BASH_ENV=/tmp/evil.sh ENV=/tmp/evil.sh IFS=evil HOME=/root USER=root \
		LOGNAME=root TMPDIR=/tmp/evil PATH="/tmp/evil:$PATH" EVIL=1 \
		"$2" -c "$3" start "$4"' sh "$T_TMP/leak" "$UMLCTL" "$T_CONF" "$g"
t_ok "$g: status says running" t_umlctl status "$g"
t_match "$g: status names the kernel's version" 'running.*Linux fakekernel 1\.0' "$t_out"
check_record "$g" "$T_USER" "/run/uml/$g/u"
t_eq "$g: argv as documented" \
	"$T_FAKE mem=128M umid=$g uml_dir=/run/uml/$g/u ubd0c=$T_UMLDIR/$g/root.loop root=/dev/ubda con=null con0=fd:0,fd:1 ssl=null mconsole=notify:/run/uml/$g/notify fake.record=$T_REC/$g" \
	"$(sed -n 's/^argv //p' "$T_REC/$g" | tr '\n' ' ' | sed 's/ $//')"

# The running process, seen from outside.
kp=$(t_kernel_pid "$g")
t_ok "$g: the kernel process is found" test -n "$kp"
if [ -n "$kp" ]; then
	t_eq "$g: kernel runs as $T_USER" "$T_USER" "$(ps -o user= -p "$kp")"
	t_eq "$g: kernel's parent is umlctl" umlctl "$(ps -o comm= -p "$(ps -o ppid= -p "$kp" | tr -d ' ')")"
	t_eq "$g: kernel's CapEff is 0" 0000000000000000 "$(t_proc_status "$kp" CapEff)"
	t_eq "$g: kernel's NoNewPrivs is 1" 1 "$(t_proc_status "$kp" NoNewPrivs)"
fi
t_exit 0 "$g: stop exits 0" t_umlctl stop "$g"
t_exit 3 "$g: status exits 3 after stop" t_umlctl status "$g"
t_match "$g: status says stopped, graceful" 'stopped.*graceful' "$t_out"
t_no_leftovers "$g"

# 2. A user without supplementary groups, and a MEMORY_DIR of our own.
g=$(t_name b)
mkdir -p "$T_TMP/shm"
chmod 1777 "$T_TMP/shm"
t_root_dummy "$g"
chown "$T_USER2:" "$T_UMLDIR/$g/root.loop"
t_fake_conf "$g" USER="$T_USER2" MEMORY_DIR="$T_TMP/shm" MEMORY=1G CONFINE=no
t_exit 0 "$g: start as $T_USER2 exits 0" t_umlctl start "$g"
check_record "$g" "$T_USER2" "$T_TMP/shm/umlctl.$g"
t_eq "$g: its directory in MEMORY_DIR is $T_USER2's, 0700" "$T_USER2 700" \
	"$(stat -c '%U %a' "$T_TMP/shm/umlctl.$g")"
t_has "$g: MEMORY=1G is mem=1G or its equivalent" "argv mem=" "$(cat "$T_REC/$g")"
t_match "$g: mem= is 1 GiB" '^argv mem=(1G|1024M|1048576K)$' "$(cat "$T_REC/$g")"
t_exit 0 "$g: stop exits 0" t_umlctl stop "$g"
t_no_leftovers "$g"
t_ok "$g: its directory in MEMORY_DIR went with its kernel" \
	test ! -e "$T_TMP/shm/umlctl.$g"
# One that is there but no directory of USER's (a link to a directory of
# USER's): not used, the start fails and says why.
mkdir -m 0700 "$T_TMP/shm/other"
chown "$T_USER2:" "$T_TMP/shm/other"
ln -s other "$T_TMP/shm/umlctl.$g"
t_exit 2 "$g: MEMORY_DIR/umlctl.NAME a link: start fails" t_umlctl start "$g"
t_has "$g: and says why" "cannot start the kernel: MEMORY_DIR=\"$T_TMP/shm\": umlctl.$g is there, but no directory of USER's own (remove it)" \
	"$(cat "$T_LOGDIR/$g.log")"
t_ok "$g: the link is left alone" test -L "$T_TMP/shm/umlctl.$g"
t_eq "$g: nothing was made in its target" "" "$(ls -A "$T_TMP/shm/other")"
rm "$T_TMP/shm/umlctl.$g"
# One a kernel's end left (a supervisor killed): remove takes it.
mkdir -m 0700 "$T_TMP/shm/umlctl.$g"
chown "$T_USER2:" "$T_TMP/shm/umlctl.$g"
t_exit 0 "$g: remove" t_umlctl remove "$g"
t_has "$g: remove says it removed MEMORY_DIR/umlctl.NAME" \
	"$g: removed $T_TMP/shm/umlctl.$g/" "$t_out"
t_ok "$g: it is gone" test ! -e "$T_TMP/shm/umlctl.$g"

# 3. Foreground mode (-f) gives the kernel the same.
g=$(t_name c)
t_fake_conf "$g" CONFINE=no
"$UMLCTL" -c "$T_CONF" start -f "$g" </dev/null >"$T_TMP/fg.out" 2>&1 &
fg=$!
t_defer "kill -KILL $fg"
t_ok "$g: start -f: the kernel answers" t_wait 10 t_umlctl status "$g"
t_wait 5 test -s "$T_REC/$g"
check_record "$g" "$T_USER" "/run/uml/$g/u"
t_exit 0 "$g: stop of a foreground guest exits 0" t_umlctl stop "$g"
t_ok "$g: start -f returns after stop" t_wait 10 sh -c "! kill -0 $fg"
wait "$fg"
t_eq "$g: start -f exits 0 after a graceful stop" 0 "$?"
t_no_leftovers "$g"

# 4. start -f from a terminal (script(1) gives it a pty as its controlling
# terminal): the kernel runs in a session of its own, without that
# terminal, so it cannot push input into the admin's shell (TIOCSTI).
g=$(t_name t)
t_fake_conf "$g" CONFINE=no
script -qec "$UMLCTL -c $T_CONF start -f $g" /dev/null </dev/null >"$T_TMP/tty.out" 2>&1 &
fg=$!
t_defer "kill -KILL $fg"
t_ok "$g: start -f under a pty: the kernel answers" t_wait 10 t_umlctl status "$g"
t_wait 5 test -s "$T_REC/$g"
rec=$(cat "$T_REC/$g")
t_match "$g: the kernel leads its own session" '^session ([0-9]+) pid \1$' "$rec"
t_match "$g: the kernel has no controlling terminal" '^tty none ' "$rec"
t_nomatch "$g: TIOCSTI never worked" 'TIOCSTI worked' "$rec"
t_exit 0 "$g: stop" t_umlctl stop "$g"
wait "$fg"
t_no_leftovers "$g"
# 5. Confined (the default): the same credentials seen from outside, and
# the Landlock domain in force (the record's file is outside it).
g=$(t_name d)
t_fake_conf "$g"
t_exit 0 "$g: confined: start exits 0" t_umlctl start "$g"
kp=$(t_kernel_pid "$g")
t_ok "$g: confined: the kernel process is found" test -n "$kp"
if [ -n "$kp" ]; then
	t_eq "$g: confined: runs as $T_USER" "$T_USER" "$(ps -o user= -p "$kp")"
	t_eq "$g: confined: CapEff is 0" 0000000000000000 "$(t_proc_status "$kp" CapEff)"
	t_eq "$g: confined: NoNewPrivs is 1" 1 "$(t_proc_status "$kp" NoNewPrivs)"
	t_eq "$g: confined: in seccomp filter mode" 2 "$(t_proc_status "$kp" Seccomp)"
fi
t_ok "$g: confined: no record outside its domain" test ! -e "$T_REC/$g"
t_has "$g: confined: the kernel was refused its record" \
	"$T_REC/$g: Permission denied" "$(t_console "$T_LOGDIR/$g.log")"
t_exit 0 "$g: confined: stop exits 0" t_umlctl stop "$g"
t_no_leftovers "$g"
t_done
