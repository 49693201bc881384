#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# With MEMORY_DIR unset, each guest's memory file and uml_dir live on a
# tmpfs of its own, /run/uml/NAME/u (issue 16, points 6 and 8): sized
# MEMORY + 32M, RUN_U_INODES inodes, USER's and 0700, nosuid and nodev.
# So no other account can fill a guest's memory storage (all guests
# shared /dev/shm before, and filling it made another user's guest die of
# SIGBUS), and what USER leaves there is bounded and goes with one umount,
# also after the supervisor was killed.  The real kernel's memory file is
# shown to be there; and with MEMORY_DIR set, in MEMORY_DIR/umlctl.NAME
# (issue 23), which goes with the kernel.
# shellcheck source=SCRIPTDIR/lib.sh
. "${0%/*}/lib.sh"
t_init
t_need_umlctl
t_need_fake

# mnt PATH FIELD: a field of the mount at PATH (mountinfo: 6 options,
# after " - ": fstype, source, super options).
mnt() {
	awk -v p="$1" -v f="$2" '$5 == p {
		for (i = 7; $i != "-"; i++) ;
		if (f == "opts") print $6; else if (f == "type") print $(i + 1);
		else print $(i + 3) }' /proc/self/mountinfo
}

g=$(t_name o)
u=/run/uml/$g/u
# CONFINE=no: the record (fake.record) reads /proc/self and is written
# in $T_REC, both outside a Landlock domain; t-confine tests the domain.
t_fake_conf "$g" MEMORY=96M CONFINE=no
t_exit 0 "start" t_umlctl start "$g"
t_eq "u/ is a tmpfs" tmpfs "$(mnt "$u" type)"
t_match "u/ is nosuid and nodev" 'nosuid.*nodev|nodev.*nosuid' "$(mnt "$u" opts)"
so=$(mnt "$u" super)
t_match "u/ is MEMORY + 32M (128M = 131072k)" '(^|,)size=131072k(,|$)' "$so"
t_match "u/ has 256 inodes" '(^|,)nr_inodes=256(,|$)' "$so"
t_eq "u/ is USER's, 0700" "$T_USER 700" "$(stat -c '%U %a' "$u")"
t_has "the kernel's TMPDIR is u/" "env TMPDIR=$u" "$(cat "$T_REC/$g")"
t_exit 0 "show says MEMORY_DIR is unset" t_umlctl show "$g"
t_has "show: MEMORY_DIR=''" "MEMORY_DIR=''" "$t_out"

# Another account cannot put anything there; USER only up to the bound.
t_ok "$T_USER2 cannot write in u/" sh -c "! runuser -u $T_USER2 -- sh -c ': >$u/x' 2>/dev/null"
t_ok "USER fills u/ only up to its size" sh -c \
	"! runuser -u $T_USER -- dd if=/dev/zero of=$u/fill bs=1M count=200 2>/dev/null"
t_ok "USER's file stopped at the bound" test "$(stat -c %s "$u/fill")" -le $((128 * 1024 * 1024))
t_ok "USER cannot make more than 256 inodes" sh -c \
	"! runuser -u $T_USER -- sh -c 'for i in \$(seq 300); do : >$u/f\$i || exit 1; done' 2>/dev/null"
t_exit 0 "the guest still runs" t_umlctl status "$g"
t_exit 0 "stop" t_umlctl stop "$g"
t_no_leftovers "$g"

# A killed supervisor leaves the mount; the next start takes it down.
t_exit 0 "again: start" t_umlctl start "$g"
runuser -u "$T_USER" -- sh -c "mkdir -p $u/a/b/c/d/e/f/g/h/i/j && : >$u/a/b/c/d/e/f/g/h/i/j/k"
kill -9 "$(cat "/run/uml/$g.pid")"
t_ok "after SIGKILL of the supervisor: u/ is still mounted" test -n "$(mnt "$u" type)"
t_ok "the kernel is gone too (parent-death signal)" t_wait 5 t_user_gone "$T_USER"
t_exit 0 "the next start works" t_umlctl start "$g"
t_ok "its u/ is a fresh tmpfs, without USER's leftovers" test ! -e "$u/a"
t_eq "one mount on u/, not two" 1 "$(awk -v p="$u" '$5 == p' /proc/self/mountinfo | wc -l)"
t_exit 0 "stop" t_umlctl stop "$g"
t_no_leftovers "$g"

# The real kernel maps its memory file from u/.
if [ -n "${REALKERNEL:-}" ]; then
	g=$(t_name r)
	t_root_image "$g"
	t_real_conf "$g"
	t_exit 0 "real kernel: start" t_umlctl start "$g"
	kp=$(t_kernel_pid "$g")
	t_match "real kernel: its memory file is in u/" "/run/uml/$g/u/.* \\(deleted\\)" \
		"$(cat "/proc/$kp/maps" 2>/dev/null)"
	t_ok "real kernel: the guest is up" t_wait_up "$g" 1
	t_exit 0 "real kernel: stop" t_umlctl stop "$g"
	t_no_leftovers "$g"

	# MEMORY_DIR set (issue 23): the kernel makes its memory file in a
	# directory of its own there, MEMORY_DIR/umlctl.NAME, which goes
	# when the kernel has ended.
	g=$(t_name m)
	mem=$T_TMP/mem
	mkdir -m 0755 "$mem"
	chown "$T_USER:" "$mem"
	t_root_image "$g"
	t_real_conf "$g" MEMORY_DIR="$mem"
	t_exit 0 "real kernel, MEMORY_DIR: start" t_umlctl start "$g"
	kp=$(t_kernel_pid "$g")
	t_match "real kernel, MEMORY_DIR: its memory file is in MEMORY_DIR/umlctl.NAME" \
		"$mem/umlctl\.$g/.* \\(deleted\\)" "$(cat "/proc/$kp/maps" 2>/dev/null)"
	t_eq "real kernel, MEMORY_DIR: that directory is USER's, 0700" \
		"$T_USER 700" "$(stat -c '%U %a' "$mem/umlctl.$g")"
	t_ok "real kernel, MEMORY_DIR: the guest is up" t_wait_up "$g" 1
	t_exit 0 "real kernel, MEMORY_DIR: stop" t_umlctl stop "$g"
	t_no_leftovers "$g"
	t_eq "real kernel, MEMORY_DIR: nothing left in it" "" "$(ls -A "$mem")"
fi
t_done
