#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# A MEMORY_DIR without room for MEMORY (the memory file is sparse: the guest
# would die of SIGBUS later) is refused before anything is done: check and
# start exit 2 naming MEMORY_DIR and its path; no process, nothing under
# /run/uml, no console log, nothing in MEMORY_DIR.  Both for a tmpfs that is
# too small and for one that is big enough but mostly full; one with room
# is accepted; a second guest that, with the first one's MEMORY, would
# not fit is refused.  (A noexec MEMORY_DIR is in t-badinput.)
# shellcheck source=SCRIPTDIR/lib.sh
. "${0%/*}/lib.sh"
t_init
t_need_umlctl
t_need_fake

# tmpfs DIR SIZE: a tmpfs USER can write on DIR, unmounted when the test exits.
tmpfs() {
	mkdir -p "$1"
	mount -t tmpfs -o "size=$2,mode=1777,nosuid,nodev" umlt-memdir "$1" ||
		t_bail "mount a tmpfs of $2 on $1"
	t_defer "umount $1"
}

# refused DESC DIR: guest $g with MEMORY=128M in DIR is refused.
refused() {
	t_refused "$1" "$g" MEMORY_DIR "$2"
	t_log "$1: $(printf '%s' "$t_out" | head -1)"
	t_nothing_done "$1" "$g"
	t_eq "$1: nothing new in MEMORY_DIR" "$3" "$(ls -A "$2")"
	t_exit 3 "$1: status exits 3" t_umlctl status "$g"
}

# 1. A 32M tmpfs for 128M of memory.
g=$(t_name s)
tmpfs "$T_TMP/small" 32m
t_fake_conf "$g" MEMORY=128M MEMORY_DIR="$T_TMP/small"
refused "32M tmpfs" "$T_TMP/small" ""

# 2. A 256M tmpfs of which 200M are taken.
g=$(t_name f)
tmpfs "$T_TMP/full" 256m
dd if=/dev/zero of="$T_TMP/full/filler" bs=1M count=200 2>/dev/null
t_fake_conf "$g" MEMORY=128M MEMORY_DIR="$T_TMP/full"
refused "256M tmpfs with 56M free" "$T_TMP/full" filler

# 3. A 160M tmpfs has room for 128M: accepted, and the kernel gets it as TMPDIR.
g=$(t_name r)
tmpfs "$T_TMP/room" 160m
# CONFINE=no: the record (fake.record) reads /proc/self and is written
# in $T_REC, both outside a Landlock domain; t-confine tests the domain.
t_fake_conf "$g" MEMORY=128M MEMORY_DIR="$T_TMP/room" CONFINE=no
t_exit 0 "160M tmpfs: check passes" t_umlctl check "$g"
t_exit 0 "160M tmpfs: start" t_umlctl start "$g"
t_has "160M tmpfs: the kernel's TMPDIR is MEMORY_DIR" "env TMPDIR=$T_TMP/room" "$(cat "$T_REC/$g")"

# 4. Guests sharing it: their memory files are sparse, so free space does
# not show what a running guest will still take.  A second 128M guest on
# the 160M tmpfs is refused while the first runs (its MEMORY counted from
# its runtime record), and accepted once it stopped.
g2=$(t_name r2)
t_fake_conf "$g2" MEMORY=128M MEMORY_DIR="$T_TMP/room"
for c in check start; do
	t_exit 2 "160M tmpfs, another 128M guest running: $c exits 2" t_umlctl "$c" "$g2"
	t_has "160M tmpfs, another 128M guest running: $c says why" \
		"the running guests' MEMORY takes 128 MiB" "$t_out"
done
t_eq "160M tmpfs, another guest running: nothing under /run/uml for it" "" \
	"$(ls -d "/run/uml/$g2" "/run/uml/$g2".* 2>/dev/null)"
t_eq "160M tmpfs, another guest running: still one kernel" 1 \
	"$(t_guest_pids "$g" | wc -l)"
t_exit 0 "160M tmpfs: stop" t_umlctl stop "$g"
t_exit 0 "160M tmpfs: the second guest passes check once the first stopped" \
	t_umlctl check "$g2"
t_no_leftovers "$g"
t_done
