#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# A guest that escaped into its kernel, seen from inside: the fake kernel,
# started by umlctl exactly as the real one (USER's credentials, the same
# descriptors, seccomp filter and Landlock domain), tries what an attacker
# would (fake.try=, tests/tools/fakekernel.c) against guest B of the same
# USER and the host.  Confined (the default) every try is refused; with
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

tries="read:$shared/b.img write:$shared/b.img create:$shared
read:$T_UMLDIR/$b/root.cow read:$T_TMP/home/secret create:/tmp
read:/etc/passwd exec:/bin/true kill:$bk ptrace:$bk mem:$bk sock:inet
sock:inet6 sock:netlink tcp:$port abstract:$abs"

# attack NAME CONFINE: guest NAME (a COW guest over base.img, at its first
# boot: umlctl makes its COW file in $shared, beside B's image) runs the
# tries; its console log is in $T_LOGDIR/NAME.log.
attack() {
	_ag=$1
	_cf=$2
	t_guest_dir "$_ag"
	chown "$T_USER:" "$T_UMLDIR/$_ag"
	_ws="fake.try=sock:unix fake.try=write:$T_TMP/base/base.img"
	_ws="$_ws fake.try=dgram:/run/uml/$b/u/$b/mconsole"
	for _t in $tries; do
		_ws="$_ws fake.try=$_t"
	done
	t_fake_conf "$_ag" BASE_IMAGE="$T_TMP/base/base.img" CONFINE="$_cf" \
		ROOT="$shared/$_ag.cow" KERNEL_ARGS="$_ws"
	t_ok "$_ag: no COW file before its first start" test ! -e "$shared/$_ag.cow"
	t_exit 0 "$_ag (CONFINE=$_cf): check passes" t_umlctl check "$_ag"
	check_out=$t_out
	t_exit 0 "$_ag (CONFINE=$_cf) starts" t_umlctl start "$_ag"
	t_exit 0 "$_ag: status exits 0" t_umlctl status "$_ag"
	status_out=$t_out
	t_ok "$_ag: every try was made" t_wait 5 grep -q "attack abstract:" \
		"$T_LOGDIR/$_ag.log"
	t_exit 0 "$_ag: stops" t_umlctl stop "$_ag"
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
# What is left (SECURITY.md): Landlock up to ABI 7 does not govern unix
# sockets bound to a path, so a kernel reaches B's mconsole socket when
# both guests run as one USER (its directory is USER's).
t_has "$a, confined: B's mconsole socket is still reached (same USER)" \
	"attack dgram:/run/uml/$b/u/$b/mconsole: reached" "$log"
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
t_done
