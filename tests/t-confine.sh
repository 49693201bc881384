#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# A guest that escaped into its kernel, seen from inside: the fake kernel,
# started by umlctl exactly as the real one (USER's credentials, the same
# descriptors, seccomp filter and Landlock domain), tries what an attacker
# would (fake.try=, tests/tools/fakekernel.c) against guest B of the same
# USER, another process of USER's outside any guest, and the host (a TCP
# listener on 127.0.0.1, also through a socket passed in past the socket
# filter).  Confined (the default) every try is refused; with
# CONFINE="no" each one reaches its target, so the test can tell.
# shellcheck source=SCRIPTDIR/lib.sh
. "${0%/*}/lib.sh"
t_init
t_need_umlctl
t_need_fake

# B: another guest of the same USER, running, with a file standing for a
# COW file, and its root image in a directory of USER's that it shares
# with the COW files of the attacking guests (before their first boot, a
# Landlock rule on that directory would reach B's image).
b=$(t_name b)
t_root_dummy "$b"
shared=$T_TMP/shared
mkdir -m 0755 "$shared"
cp "$T_UMLDIR/$b/root.loop" "$shared/b.img"
chown "$T_USER:" "$shared" "$shared/b.img"
t_fake_conf "$b" ROOT="$shared/b.img"
cp "$shared/b.img" "$T_UMLDIR/$b/root.cow"
chown "$T_USER:" "$T_UMLDIR/$b/root.cow"
t_exit 0 "$b starts" t_umlctl start "$b"
bk=$(t_kernel_pid "$b")
t_ok "$b's kernel is found" test -n "$bk"

# A directory of USER's with a file in it, as its home would be.
mkdir -m 0700 "$T_TMP/home"
echo secret >"$T_TMP/home/secret"
chown -R "$T_USER:" "$T_TMP/home"
# A's base image: root's, 0644, in a root-only directory (and so never
# writable by USER, confined or not: the one try only DAC refuses too).
mkdir -m 0755 "$T_TMP/base"
cp "$T_UMLDIR/$b/root.loop" "$T_TMP/base/base.img"
chmod 0644 "$T_TMP/base/base.img"
# A TCP listener on 127.0.0.1 and an abstract unix socket, as root.
abs=umlctl-confine-$$
"$T_FAKE" --listen "$abs" 120 >"$T_TMP/listen.out" 2>&1 &
t_defer "kill $!"
t_wait 5 grep -q '^port ' "$T_TMP/listen.out" || t_bail "no listener"
port=$(sed -n 's/^port //p' "$T_TMP/listen.out")
# An AF_INET socket made outside the kernel, handed to it over a unix
# socket of a path it may reach (Landlock up to ABI 7 does not govern
# connecting to one): past the socket filter, only Landlock's TCP rules
# (ABI 4) stand between it and the listener.
pass=$T_TMP/pass.sock
"$T_FAKE" --passinet "$pass" "$port" 120 &
t_defer "kill $!"
t_wait 5 test -S "$pass" || t_bail "no $pass"
# A process of USER's outside any Landlock domain (not a guest's).
setpriv --reuid="$T_USER" --regid="$(id -g "$T_USER")" --clear-groups sleep 120 &
lone=$!
t_defer "kill $lone"
t_wait 5 grep -q "^Uid:[[:space:]]$(id -u "$T_USER")[[:space:]]" \
	"/proc/$lone/status" || t_bail "no sleep of $T_USER's"

tries="read:$shared/b.img write:$shared/b.img create:$shared
read:$T_UMLDIR/$b/root.cow read:$T_TMP/home/secret create:/tmp
read:/etc/passwd exec:/bin/true kill:$bk ptrace:$bk mem:$bk sock:inet
sock:inet6 sock:netlink tcp:$port fdtcp:$pass fdbind:$pass kill:$lone
ptrace:$lone mem:$lone abstract:$abs"

# attack NAME CONFINE: guest NAME (a COW guest over base.img, at its first
# boot: umlctl makes its COW file in $shared, beside B's image, which is
# also its MEMORY_DIR: the kernel gets only $shared/umlctl.NAME of it, a
# directory of its own) runs the tries; its console log is in
# $T_LOGDIR/NAME.log.
attack() {
	_ag=$1
	_cf=$2
	t_guest_dir "$_ag"
	chown "$T_USER:" "$T_UMLDIR/$_ag"
	_ws="fake.try=sock:unix fake.try=write:$T_TMP/base/base.img"
	_ws="$_ws fake.try=dgram:/run/uml/$b/u/$b/mconsole"
	_ws="$_ws fake.try=create:$shared/umlctl.$_ag"
	for _t in $tries; do
		_ws="$_ws fake.try=$_t"
	done
	t_fake_conf "$_ag" BASE_IMAGE="$T_TMP/base/base.img" CONFINE="$_cf" \
		ROOT="$shared/$_ag.cow" MEMORY_DIR="$shared" KERNEL_ARGS="$_ws"
	t_ok "$_ag: no COW file before its first start" test ! -e "$shared/$_ag.cow"
	t_exit 0 "$_ag (CONFINE=$_cf): check passes" t_umlctl check "$_ag"
	check_out=$t_out
	t_exit 0 "$_ag (CONFINE=$_cf) starts" t_umlctl start "$_ag"
	t_exit 0 "$_ag: status exits 0" t_umlctl status "$_ag"
	status_out=$t_out
	t_ok "$_ag: every try was made" t_wait 5 grep -q "attack abstract:" \
		"$T_LOGDIR/$_ag.log"
	t_exit 0 "$_ag: stops" t_umlctl stop "$_ag"
	t_ok "$_ag: its directory in MEMORY_DIR went with its kernel" \
		test ! -e "$shared/umlctl.$_ag"
	t_eq "$_ag: umlctl made its COW file, USER's, 0600" "$T_USER 600" \
		"$(stat -c '%U %a' "$shared/$_ag.cow")"
}

a=$(t_name a)
attack "$a" yes
log=$(t_console "$T_LOGDIR/$a.log")
# This host has Landlock ABI 6 or later (6.18: 7).
what='confinement: Landlock ABI [0-9]+ \(files, TCP, scoped signals and abstract sockets\), sockets AF_UNIX only'
t_match "$a: check says what confines the kernel" "^$a: $what\$" "$check_out"
t_nomatch "$a: check has no warning about it" 'warning: (CONFINE|the host)' "$check_out"
t_match "$a: status says the same" "^$a: $what\$" "$status_out"
t_has "$a: AF_UNIX sockets still work (what UML needs)" \
	"attack sock:unix: reached" "$log"
for t in $tries; do
	t_has "$a, confined: $t is refused" "attack $t: refused" "$log"
done
# Refused by Landlock, not for want of the socket.
for t in fdtcp fdbind; do
	t_has "$a, confined: $t is refused by Landlock's TCP rule" \
		"attack $t:$pass: refused (Permission denied)" "$log"
done
# What is left (SECURITY.md): Landlock up to ABI 7 does not govern unix
# sockets bound to a path, so a kernel reaches B's mconsole socket when
# both guests run as one USER (its directory is USER's).
t_has "$a, confined: B's mconsole socket is still reached (same USER)" \
	"attack dgram:/run/uml/$b/u/$b/mconsole: reached" "$log"
# MEMORY_DIR is $shared, B's image beside (read:, write: and create:
# above): only its own directory there is the kernel's.
t_has "$a, confined: its own directory in MEMORY_DIR is reached" \
	"attack create:$shared/umlctl.$a: reached" "$log"
t_has "$a, confined: writing its own base image is refused" \
	"attack write:$T_TMP/base/base.img: refused" "$log"
t_nomatch "listener: nothing reached it from a confined kernel" accepted \
	"$(cat "$T_TMP/listen.out")"
t_ok "$b still runs" t_umlctl status "$b"

a=$(t_name n)
attack "$a" no
log=$(t_console "$T_LOGDIR/$a.log")
t_has "$a: check says it is not confined" "$a: confinement: not confined (CONFINE=\"no\")" "$check_out"
t_has "$a: and warns" "$a: warning: CONFINE=\"no\": a guest that escapes" "$check_out"
t_has "$a: status says it is not confined" "$a: confinement: not confined" "$status_out"
for t in $tries; do
	t_has "$a, CONFINE=no: $t is reached" "attack $t: reached" "$log"
done
t_has "listener: the unconfined kernel reached the TCP port" "tcp accepted" \
	"$(cat "$T_TMP/listen.out")"
t_has "listener: and the abstract socket" "abstract accepted" \
	"$(cat "$T_TMP/listen.out")"
# The one DAC refuses all the same: USER never may write a base.
t_has "$a, CONFINE=no: its base image is still not writable (DAC)" \
	"attack write:$T_TMP/base/base.img: refused (Permission denied)" "$log"
t_ok "$b still runs after both" t_umlctl status "$b"
t_exit 0 "$b stops" t_umlctl stop "$b"
kill "$lone"
wait "$lone"

# What check says on other hosts, played by the ASan build's
# UMLCTL_TEST_LANDLOCK_ABI (it only lowers the ABI the checks see).
asan=$T_ROOT/build/asan/umlctl
[ -x "$asan" ] || t_bail "$asan missing: run make build/asan/umlctl"
w=$(t_name w)
t_fake_conf "$w"
hostfs_warn="$w: warning: KERNEL=\"$T_FAKE\" has hostfs and no Landlock domain confines it: the guest's root, without any escape, can mount hostfs and reach every file USER=\"$T_USER\" can"
t_exit 0 "ABI 4: check passes" \
	env UMLCTL_TEST_LANDLOCK_ABI=4 "$asan" -c "$T_CONF" check "$w"
t_has "ABI 4: check says so" "$w: confinement: Landlock ABI 4 (files, TCP), sockets AF_UNIX only" "$t_out"
t_has "ABI 4: and warns of the scopes" "$w: warning: the host's Landlock is older than ABI 6 (6.12): an escaped kernel may signal USER's other processes and connect to abstract unix sockets" "$t_out"
t_nomatch "ABI 4: no hostfs warning (the domain stands)" "has hostfs" "$t_out"
t_exit 0 "ABI 0: check passes" \
	env UMLCTL_TEST_LANDLOCK_ABI=0 "$asan" -c "$T_CONF" check "$w"
t_has "ABI 0: check says so" "$w: confinement: no Landlock (not on this host), sockets AF_UNIX only" "$t_out"
t_has "ABI 0: and warns of the files" "$w: warning: the host's kernel has no Landlock (before 5.13, or landlock not in its lsm= list): an escaped kernel reaches every file USER can" "$t_out"
t_has "ABI 0: and of hostfs, which needs no escape" "$hostfs_warn" "$t_out"
# Confined, start would fail in the kernel's child (privdrop.c): check
# and start refuse first.
for cmd in check start; do
	t_exit 2 "ABI unknown: $cmd exits 2" \
		env UMLCTL_TEST_LANDLOCK_ABI=-1 "$asan" -c "$T_CONF" "$cmd" "$w"
	t_has "ABI unknown: $cmd says why" "$w: CONFINE=\"yes\": this host's Landlock ABI cannot be learned (landlock_create_ruleset fails), so the kernel cannot be confined (CONFINE=\"no\" allows it, for debugging only)" "$t_out"
done
t_nothing_done "ABI unknown" "$w"
t_fake_conf "$w" CONFINE=no
t_exit 0 "ABI unknown, CONFINE=no: check passes" \
	env UMLCTL_TEST_LANDLOCK_ABI=-1 "$asan" -c "$T_CONF" check "$w"
t_has "CONFINE=no: check warns of hostfs" "$hostfs_warn" "$t_out"
# A kernel without hostfs: no such warning.
mkdir -m 0755 "$T_TMP/k"
printf 'Linux version 7.3.4 (b) #1\n# CONFIG_HOSTFS is not set\n' >"$T_TMP/k/linux"
chmod 0755 "$T_TMP/k/linux"
t_fake_conf "$w" CONFINE=no KERNEL="$T_TMP/k/linux"
t_exit 0 "CONFINE=no, no hostfs in the kernel: check passes" t_umlctl check "$w"
t_nomatch "CONFINE=no, no hostfs in the kernel: no hostfs warning" "has hostfs" "$t_out"
t_has "CONFINE=no, no hostfs in the kernel: the CONFINE warning stays" "$w: warning: CONFINE=\"no\"" "$t_out"
t_done
