#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# One disk file, one running guest (issue 27): with guest A running on the
# real kernel, check and start refuse (exit 2, nothing done) a guest whose
# ROOT is A's image named through a symbolic link to a directory above
# it (also as an OpenRC service: rc-service start fails, the service
# stays stopped, nothing of it under /run/uml), and a guest whose SWAP is
# a hard link to A's image, naming A; a guest whose SWAP is its own ROOT
# is refused too.  A's supervisor holds an
# OFD lock on its image: a kernel started on it by hand, outside umlctl,
# dies with "F_SETLK failed".  Once A stops, the guest on the link runs.
# With a supervisor killed -9 and a process of its kernel running on, a
# guest on its disk is still refused: the kernel inherited the locked
# descriptor (fake kernel, fake.linger).  A disk under a foreign OFD
# lock (python3's, no process of this host's behind it, as a second
# umlctl or another host over NFS) is refused by check and start, "locked
# by another program or host", nothing done.  A link USER plants above its
# disk into a directory USER cannot enter leads nowhere: the disks are
# opened as USER (fake kernel).
# shellcheck source=SCRIPTDIR/lib.sh
. "${0%/*}/lib.sh"
t_init
t_need_umlctl
t_need_fake
[ -x "$REALKERNEL" ] || t_skip_all "$REALKERNEL missing"

a=$(t_name a)
t_root_image "$a"
t_real_conf "$a" READY=guest
img=$T_UMLDIR/$a/root.loop

# refused DESC NAME TEXT...: check and start exit 2 and say TEXT; nothing
# of NAME exists afterwards, and A's kernel is the only one of USER's.
refused() {
	t_refused_says "$@"
	t_eq "$1: nothing under /run/uml" "" "$(ls -d "/run/uml/$2" "/run/uml/$2".* 2>/dev/null)"
	t_ok "$1: no console log" test ! -e "$T_LOGDIR/$2.log"
	t_eq "$1: no kernel of $2" "" "$(t_user_procs "$T_USER" | grep "umid=$2 ")"
	t_exit 0 "$1: $a still runs" t_umlctl status "$a"
}

t_exit 0 "$a starts" t_umlctl start "$a"
t_exit 0 "$a runs" t_umlctl status "$a"
t_has "its record names its disk" "disk_root=$(stat -c '%d:%i' "$img")" \
	"$(cat "/run/uml/$a/state")"

# Through a link to a directory above the image: another path, same file.
ln -s "$T_UMLDIR" "$T_TMP/alias"
s=$(t_name s)
t_guest_dir "$s"
t_real_conf "$s" ROOT="$T_TMP/alias/$a/root.loop" READY=guest
refused "ROOT through a symbolic link" "$s" \
	"ROOT=\"$T_TMP/alias/$a/root.loop\": the same file as ROOT of the running guest $a"

# The same guest through OpenRC (the issue's symptom was `[ ok ]' and a
# crash 3 s later): the service fails to start, says why, and stays
# stopped for OpenRC and umlctl; A runs on.
if command -v rc-service >/dev/null; then
	t_rc_install "$s"
	t_exit 1 "rc-service start of $s on $a's disk fails" rc-service "uml.$s" start
	t_has "rc-service start says why" "the same file as ROOT of the running guest $a" "$t_out"
	t_eq "OpenRC: uml.$s is stopped" "" "$(ls -d "/run/openrc/started/uml.$s" "/run/openrc/starting/uml.$s" 2>/dev/null)"
	t_exit 3 "rc-service status of uml.$s: stopped (3)" rc-service "uml.$s" status
	t_exit 3 "umlctl status of $s: not running (3)" t_umlctl status "$s"
	t_eq "rc-service: nothing under /run/uml for $s" "" "$(ls -d "/run/uml/$s" "/run/uml/$s".* 2>/dev/null)"
	t_eq "rc-service: no kernel of $s" "" "$(t_user_procs "$T_USER" | grep "umid=$s ")"
	t_exit 0 "rc-service: $a still runs" t_umlctl status "$a"
else
	t_log "no rc-service: the OpenRC case is skipped"
fi

# A hard link as SWAP: another name, same inode.
h=$(t_name h)
t_root_image "$h"
ln "$img" "$T_UMLDIR/$h/swap.loop"
t_real_conf "$h"
refused "SWAP a hard link to its image" "$h" \
	"SWAP=\"$T_UMLDIR/$h/swap.loop\": the same file as ROOT of the running guest $a"

# Its own ROOT twice.
o=$(t_name o)
t_root_image "$o"
ln "$T_UMLDIR/$o/root.loop" "$T_UMLDIR/$o/twice.loop"
t_real_conf "$o" SWAP="$T_UMLDIR/$o/twice.loop"
refused "SWAP its own ROOT" "$o" "SWAP=\"$T_UMLDIR/$o/twice.loop\": the same file as ROOT"

# The lock is umlctl's own, held while A runs: a kernel started by hand
# on A's image, as USER, cannot take the lock and its root cannot mount.
mkdir -p "$T_TMP/raw/u"
chown -R "$T_USER:" "$T_TMP/raw"
setpriv --reuid="$T_USER" --regid="$(id -g "$T_USER")" --init-groups -- \
	env -i PATH=/usr/bin:/bin HOME=/nonexistent TMPDIR=/dev/shm \
	timeout -s KILL 60 "$REALKERNEL" mem=64M umid=raw "uml_dir=$T_TMP/raw/u" \
	"ubd0=$img" root=/dev/ubda con=null con0=fd:0,fd:1 ssl=null \
	</dev/null >"$T_TMP/raw.log" 2>&1
t_has "a kernel by hand on $a's image finds it locked" "F_SETLK failed" "$(cat "$T_TMP/raw.log")"
t_exit 0 "$a still runs after it" t_umlctl status "$a"

t_exit 0 "$a stops" t_umlctl stop "$a"
t_has "$a stopped gracefully" "graceful" "$t_out"
t_ok "$a's image is clean" e2fsck -fn "$img"
t_exit 0 "with $a stopped, the guest on the link passes check" t_umlctl check "$s"
t_exit 0 "and starts" t_umlctl start "$s"
t_exit 2 "now $a is refused, naming it" t_umlctl check "$a"
t_has "check of $a names $s" "the same file as ROOT of the running guest $s" "$t_out"
t_exit 0 "$s stops" t_umlctl stop "$s"
t_no_leftovers "$s"

# A supervisor killed -9: its kernel dies by its parent-death signal, but
# a process that inherited or shares the kernel's descriptors may outlive
# it (a 6.1 kernel's ubd I/O helper, clone(CLONE_FILES); here the fake
# kernel's fake.linger child) and could still write the disk.  It holds
# the OFD-locked descriptor the kernel inherited, so a guest on the same
# disk is refused until stop has swept the kernel's process group.
f=$(t_name f)
t_fake_conf "$f" KERNEL_ARGS="fake.record=$T_REC/$f fake.linger"
t_exit 0 "fake $f starts" t_umlctl start "$f"
kill -KILL "$(cat "/run/uml/$f.pid")"
t_ok "supervisor killed: status says crashed within 10 s" \
	t_wait 10 t_status_is 4 t_umlctl status "$f"
t_ok "supervisor killed: a process of $f's kernel lingers" \
	test -n "$(t_user_procs "$T_USER" | grep "umid=$f ")"
l=$(t_name l)
t_guest_dir "$l"
t_fake_conf "$l" ROOT="$T_TMP/alias/$f/root.loop"
t_exit 2 "supervisor killed: a guest on its disk is refused by start" \
	t_umlctl start "$l"
t_has "start says the disk is locked" "ROOT=\"$T_TMP/alias/$f/root.loop\": locked by" "$t_out"
t_eq "supervisor killed: no kernel of $l" "" "$(t_user_procs "$T_USER" | grep "umid=$l ")"
t_exit 4 "stop of $f cleans up after its supervisor (crashed)" t_umlctl stop "$f"
t_exit 0 "then the guest on its disk starts" t_umlctl start "$l"
t_exit 0 "and stops" t_umlctl stop "$l"
t_no_leftovers "$l"
t_no_leftovers "$f"
t_no_leftovers "$a"

# A foreign OFD lock with no record behind it: a second umlctl on this
# host, or on another host sharing the disk over NFS, looks like this (a
# lock of no process here: F_OFD_GETLK says pid -1).  python3 holds it.
if command -v python3 >/dev/null; then
	x=$(t_name x)
	t_fake_conf "$x" KERNEL_ARGS="fake.record=$T_REC/$x"
	t_ok "foreign lock: held" t_ofd_lock "$T_UMLDIR/$x/root.loop" 120
	holder=$t_ofd_pid
	t_refused_says "foreign lock" "$x" \
		"ROOT=\"$T_UMLDIR/$x/root.loop\": locked by another program or host"
	t_eq "foreign lock: no kernel of $x" "" "$(t_user_procs "$T_USER" | grep "umid=$x ")"
	t_ok "foreign lock: no record of a kernel" test ! -e "$T_REC/$x"
	t_ok "foreign lock: no console log" test ! -e "$T_LOGDIR/$x.log"
	t_eq "foreign lock: nothing under /run/uml" "" "$(ls -d "/run/uml/$x" "/run/uml/$x".* 2>/dev/null)"
	kill "$holder"
	wait "$holder" 2>/dev/null
	t_exit 0 "foreign lock gone: $x starts" t_umlctl start "$x"
	t_exit 0 "$x stops" t_umlctl stop "$x"
	t_no_leftovers "$x"
else
	t_log "no python3: the foreign lock case is skipped"
fi

# A link USER plants above its disk, into a directory USER cannot enter
# but root can (issue 23).  USER owns ud/ above ROOT's directory and puts
# a link to root's vault where ud/mid was.  Root reaches the vault's image
# through it; USER does not.  With the vault 0700, the checks refuse it
# (a directory above ROOT is not searchable by USER).  With an ACL that
# denies USER what the mode bits allow, every check umlctl makes from
# owner, group and mode passes, as if the link had come after them: the
# disks are opened with USER's file system identity (disk.c), so start
# fails all the same, naming ROOT, and no kernel runs.  Without the ACL
# the same guest's kernel gets the vault's image (fd 3): the test tells.
# shellcheck disable=SC2317 # called through t_ok and t_exit
as_user() {
	setpriv --reuid="$T_USER" --regid="$(id -g "$T_USER")" --init-groups -- "$@"
}
vault=$T_TMP/vault
mkdir -m 0755 "$vault" "$vault/g" "$T_TMP/ud" "$T_TMP/ud/mid"
dd if=/dev/zero of="$vault/g/root.loop" bs=1M count=1 2>/dev/null
chmod 0600 "$vault/g/root.loop"
chown "$T_USER:" "$vault/g" "$vault/g/root.loop" "$T_TMP/ud" "$T_TMP/ud/mid"
t_ok "USER replaces ud/mid with a link into the vault" \
	as_user sh -c "rmdir '$T_TMP/ud/mid' && ln -s '$vault' '$T_TMP/ud/mid'"
disk=$T_TMP/ud/mid/g/root.loop
v=$(t_name v)
t_guest_dir "$v"
t_fake_conf "$v" ROOT="$disk" CONFINE=no
# refused_link DESC TEXT: check and start exit 2 and say TEXT; nothing ran.
refused_link() {
	t_refused_says "$1" "$v" "$2"
	t_eq "$1: no kernel of $v" "" "$(t_user_procs "$T_USER" | grep "umid=$v ")"
	t_ok "$1: no record of a kernel" test ! -e "$T_REC/$v"
	t_eq "$1: nothing under /run/uml" "" "$(ls -d "/run/uml/$v" "/run/uml/$v".* 2>/dev/null)"
}
chmod 0700 "$vault"
t_ok "vault 0700: root reaches the image through the link" test -r "$disk"
t_exit 1 "vault 0700: USER does not" as_user test -r "$disk"
refused_link "vault 0700" "ROOT=\"$disk\": directory $T_TMP/ud/mid is not searchable by USER"
chmod 0755 "$vault"
setfacl -m "u:$T_USER:---" "$vault"
t_ok "vault with the ACL: root reaches the image" test -r "$disk"
t_exit 1 "vault with the ACL: USER does not" as_user test -r "$disk"
refused_link "vault with the ACL" "ROOT=\"$disk\": Permission denied"
setfacl -b "$vault"
t_exit 0 "vault open to USER: $v starts" t_umlctl start "$v"
t_ok "vault open to USER: its kernel wrote its record" t_wait 10 test -s "$T_REC/$v"
t_eq "vault open to USER: fd 3 is the vault's image" "$vault/g/root.loop" \
	"$(awk '$1 == "fd" && $2 == 3 { print $3 }' "$T_REC/$v")"
t_exit 0 "$v stops" t_umlctl stop "$v"
t_no_leftovers "$v"

t_done
