#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# umlctl backup (issue 27): the disk files of a guest copied into a
# directory of root's as one consistent set.
#
# Refusals (exit 2, the argument or variable and its value named, nothing
# written in DIR and nothing under /run/uml): DIR not root's, DIR
# group-writable, DIR a symbolic link, a target that exists, --swap
# without SWAP, ROOT a link or not USER's to read; no such guest exits 9.
# A stopped guest is copied: the same bytes, sparse, root's 0600; a COW
# guest's COW file, with a word that the base is needed.  --swap killed
# (SIGKILL, by strace) between its two links leaves the SWAP copy alone,
# never the ROOT copy without it.  On an XFS made
# with reflink=1 (a loop device), the copy is a reflink with the same bytes.
#
# A running busybox guest on ext4 that appends fsynced, checksummed
# records (mkguest.sh --records, checked by tools/reccheck.sh as in
# t-records): backed up while it writes, it is paused for a reported
# number of ms and runs on; `e2fsck -fn' of the copy is clean, or clean
# once its journal is replayed (said which); every record acknowledged
# before the backup started is in the copy; copied back while stopped, the
# guest boots on it with those records intact.  With --swap its SWAP too.
# A suspended guest is copied and stays suspended.  A hold whose backup
# process is killed lets the guest go; suspend meanwhile exits 5, and a
# stop waits for the hold's end.  A backup that cannot write its copy
# (DIR full), or is sent SIGTERM, leaves nothing and lets the guest go.
# On the fake kernel, a hold by a backup stopped by Ctrl-Z and deaf to
# SIGTERM: status, list and status --json name the backup; the stop waits
# for it (no EX_TIMEOUT, which the runscript answers with SIGKILL), asks
# it to end past its own bound, kills it 10 s later (never waits
# forever), and ends graceful.
#
# Issue 27's measure: a running Debian 12 guest (the cached image of
# t-guest-debian, sparse, 2 GiB) under the same record load: the pause is
# reported (`# figure: ...'), not asserted: a loaded machine is slower.
# The copy is checked and restored like the busybox one.
# shellcheck source=SCRIPTDIR/lib.sh disable=SC2016
. "${0%/*}/lib.sh"
t_init
t_need_umlctl
t_need_fake

bk=$T_TMP/bk
mkdir -m 0700 "$bk"

# empty DIR: nothing in DIR.
# shellcheck disable=SC2317 # called through t_ok
empty() {
	[ -z "$(find "$1" -mindepth 1 -maxdepth 1)" ]
}

# refused DESC WANT-EXIT TEXT ARGS...: backup ARGS exits WANT-EXIT saying
# TEXT, and leaves nothing in $bk and under /run/uml.
refused() {
	_d=$1
	_x=$2
	_txt=$3
	shift 3
	t_exit "$_x" "$_d: exits $_x" t_umlctl backup "$@"
	t_has "$_d: says $_txt" "$_txt" "$t_out"
	t_ok "$_d: nothing in $bk" empty "$bk"
	t_eq "$_d: nothing under /run/uml" "" "$(ls -d "/run/uml/$f" "/run/uml/$f".* 2>/dev/null)"
}

# --- refusals and a stopped guest (fake kernel) ----------------------------

f=$(t_name f)
t_fake_conf "$f"
img=$T_UMLDIR/$f/root.loop
# 64 MiB with data at both ends and a hole between.
dd if=/dev/urandom of="$img" bs=1M count=2 conv=notrunc 2>/dev/null
dd if=/dev/urandom of="$img" bs=1M count=1 seek=63 conv=notrunc 2>/dev/null
mkdir -m 0700 "$T_TMP/user" && chown "$T_USER" "$T_TMP/user"
mkdir -m 0770 "$T_TMP/gw"
ln -s bk "$T_TMP/link"
refused "DIR not root's" 2 "DIR \"$T_TMP/user\"" "$f" "$T_TMP/user"
t_ok "DIR not root's: nothing in it" empty "$T_TMP/user"
refused "DIR group-writable" 2 "DIR \"$T_TMP/gw\"" "$f" "$T_TMP/gw"
t_ok "DIR group-writable: nothing in it" empty "$T_TMP/gw"
refused "DIR a symbolic link" 2 "DIR \"$T_TMP/link\"" "$f" "$T_TMP/link"
refused "DIR relative" 2 'DIR "bk"' "$f" bk
refused "DIR missing" 2 "DIR \"$T_TMP/nosuch\"" "$f" "$T_TMP/nosuch"
: >"$bk/$f-root.img"
t_exit 2 "target exists: exits 2" t_umlctl backup "$f" "$bk"
t_has "target exists: names it" "$f-root.img exists" "$t_out"
t_eq "target exists: left as it was" "0" "$(stat -c %s "$bk/$f-root.img")"
rm "$bk/$f-root.img"
refused "no such guest" 9 "no such guest" "$(t_name nosuch)" "$bk"
refused "--swap without SWAP" 2 "--swap: $f has no SWAP" "$f" "$bk" --swap
mv "$img" "$img.real"
ln -s "$img.real" "$img"
refused "ROOT a symbolic link" 2 "ROOT \"$img\"" "$f" "$bk"
rm "$img"
mv "$img.real" "$img"
chown root: "$img"
refused "ROOT not USER's to read" 2 "ROOT \"$img\"" "$f" "$bk"
chown "$T_USER:" "$img"
t_exit 100 "an unknown option: usage (100)" t_umlctl backup "$f" "$bk" --sawp
t_ok "an unknown option: nothing in $bk" empty "$bk"

t_exit 0 "stopped guest: backup exits 0" t_umlctl backup "$f" "$bk"
t_has "stopped guest: says so" "$f: not running: copied" "$t_out"
t_has "stopped guest: names ROOT and its copy" "$f: ROOT $img -> $bk/$f-root.img" "$t_out"
t_ok "stopped guest: the same bytes" cmp "$img" "$bk/$f-root.img"
t_eq "stopped guest: root's, 0600" "0:0 600" "$(stat -c '%u:%g %a' "$bk/$f-root.img")"
t_ok "stopped guest: sparse (at most 4 MiB used of 64)" \
	test "$(du -k "$bk/$f-root.img" | cut -f1)" -le 4096
t_eq "stopped guest: its lock file is gone" "" "$(ls -d "/run/uml/$f".* 2>/dev/null)"
t_exit 2 "a second backup into the same DIR: exits 2" t_umlctl backup "$f" "$bk"
t_ok "a second backup: the copy is intact" cmp "$img" "$bk/$f-root.img"
fallocate -l 16M "$T_UMLDIR/$f/swap.loop"
chown "$T_USER:" "$T_UMLDIR/$f/swap.loop"
chmod 0600 "$T_UMLDIR/$f/swap.loop"
t_fake_conf "$f" SWAP="$T_UMLDIR/$f/swap.loop"
mkdir -m 0700 "$T_TMP/bk2"
t_exit 0 "--swap: exits 0" t_umlctl backup "$f" "$T_TMP/bk2" --swap
t_eq "--swap: ROOT and SWAP" "$f-root.img $f-swap.img" \
	"$(find "$T_TMP/bk2" -mindepth 1 -printf '%f\n' | sort | tr '\n' ' ' | sed 's/ $//')"
# SIGKILL between the two links (strace stops the second linkat and
# kills umlctl there): the SWAP copy may be left alone, never the ROOT
# copy without it, which is linked last and so says the set is whole.
rm -f "$T_TMP/bk2"/*
if command -v strace >/dev/null; then
	t_run strace -qq -o /dev/null -e trace=linkat \
		-e inject=linkat:error=EIO:signal=SIGKILL:when=2 \
		"$UMLCTL" -c "$T_CONF" backup "$f" "$T_TMP/bk2" --swap
	t_eq "--swap, killed between the links: killed (137)" 137 "$t_status"
	t_eq "--swap, killed between the links: SWAP's copy alone" "$f-swap.img" \
		"$(find "$T_TMP/bk2" -mindepth 1 -printf '%f\n' | sort | tr '\n' ' ' | sed 's/ $//')"
	t_exit 2 "--swap, killed between the links: a new backup into DIR refuses" \
		t_umlctl backup "$f" "$T_TMP/bk2" --swap
	t_has "--swap, killed between the links: names the file left" "$f-swap.img exists" "$t_out"
	# (SIGKILL left the stopped guest's lock file, unlocked: the next
	# start or backup takes it; gone for the checks below.)
	rm -f "/run/uml/$f.lock"
else
	t_fail "--swap, killed between the links: strace missing (tests/deps.sh test)"
fi
rm -f "$bk"/* "$T_TMP/bk2"/*
# A guest over a base: its COW file is copied, and the output says the
# base is needed (the file itself is not read for its header here).
c=$(t_name c)
mkdir -m 0755 "$T_TMP/base"
: >"$T_TMP/base/base.img"
t_guest_dir "$c"
printf 'a COW file\n' >"$T_UMLDIR/$c/root.cow"
chown "$T_USER:" "$T_UMLDIR/$c/root.cow"
t_fake_conf "$c" BASE_IMAGE="$T_TMP/base/base.img" ROOT="$T_UMLDIR/$c/root.cow"
t_exit 0 "COW guest: backup exits 0" t_umlctl backup "$c" "$bk"
t_has "COW guest: copies its COW file" "$c: COW $T_UMLDIR/$c/root.cow -> $bk/$c-cow.img" "$t_out"
t_has "COW guest: says a restore needs BASE_IMAGE" "needs it" "$t_out"
t_has "COW guest: names BASE_IMAGE" "BASE_IMAGE $T_TMP/base/base.img" "$t_out"
t_ok "COW guest: the same bytes" cmp "$T_UMLDIR/$c/root.cow" "$bk/$c-cow.img"
rm -f "$bk"/*

# --- reflink: disk and DIR on one XFS made with reflink=1 ------------------

# A loop device over a sparse file; unmounted and let go when the test
# ends, also on a failure.  The copy shares the disk's extents: the
# output says reflink, and its bytes are the disk's.
command -v mkfs.xfs >/dev/null || t_fail "reflink: mkfs.xfs missing (xfsprogs: tests/deps.sh test)"
truncate -s 512M "$T_TMP/xfs.img"
if command -v mkfs.xfs >/dev/null && loop=$(losetup -f --show "$T_TMP/xfs.img" 2>"$T_TMP/losetup.err"); then
	t_defer "losetup -d $loop"
	mkdir -m 0755 "$T_TMP/xfs"
	mkfs.xfs -q -m reflink=1 "$loop" || t_bail "mkfs.xfs -m reflink=1 $loop"
	mount -t xfs "$loop" "$T_TMP/xfs" || t_bail "mount $loop"
	t_defer "umount $T_TMP/xfs"
	chmod 0755 "$T_TMP/xfs"
	mkdir -m 0700 "$T_TMP/xfs/bk"
	mkdir -m 0755 "$T_TMP/xfs/$f"
	chown "$T_USER:" "$T_TMP/xfs/$f"
	dd if=/dev/urandom of="$T_TMP/xfs/$f/root.loop" bs=1M count=4 2>/dev/null
	truncate -s 64M "$T_TMP/xfs/$f/root.loop"
	chown "$T_USER:" "$T_TMP/xfs/$f/root.loop"
	chmod 0600 "$T_TMP/xfs/$f/root.loop"
	t_fake_conf "$f" ROOT="$T_TMP/xfs/$f/root.loop"
	t_exit 0 "reflink: backup exits 0" t_umlctl backup "$f" "$T_TMP/xfs/bk"
	t_has "reflink: the copy is a reflink" "$f: ROOT $T_TMP/xfs/$f/root.loop -> $T_TMP/xfs/bk/$f-root.img (reflink" "$t_out"
	t_ok "reflink: the same bytes" cmp "$T_TMP/xfs/$f/root.loop" "$T_TMP/xfs/bk/$f-root.img"
	t_eq "reflink: root's, 0600" "0:0 600" "$(stat -c '%u:%g %a' "$T_TMP/xfs/bk/$f-root.img")"
	t_fake_conf "$f"
else
	t_log "reflink: SKIPPED: no loop device could be made: $(cat "$T_TMP/losetup.err" 2>/dev/null)"
fi

# --- a running guest held by a backup (fake kernel) ------------------------

# A process of ours asks for the hold (SIG_BACKUP), is then stopped as a
# shell's Ctrl-Z would stop it, and ignores SIGTERM: status, list and
# status --json say who holds the guest; a stop asked meanwhile waits for
# the hold, at most its own bound (SHUTDOWN_TIMEOUT + 31.5 s), then asks
# the holder to end (SIGCONT, SIGTERM), and 10 s later kills it;
# the hold's end lets the guest go and the stop stops it gracefully (its
# bound starts when the hold ends), rather than give up and have the
# runscript kill the supervisor under the paused guest, or wait forever.
h=$(t_name h)
t_fake_conf "$h" SHUTDOWN_TIMEOUT=1
t_exit 0 "fake hold: start" t_umlctl start "$h"
bash -c 'trap "" TERM; kill -s RTMIN+1 "$1" && exec sleep 300' sh "$(cat "/run/uml/$h.pid")" &
holder=$!
t_ok "fake hold: held for pid $holder" t_wait 10 sh -c "sed -n 's/^backup=//p' /run/uml/$h/state | grep -q '^$holder 2 '"
t_ok "fake hold: synced and paused first" t_wait 10 sh -c "grep -q 'Emergency Sync complete' '$T_LOGDIR/$h.log' && grep -q 'fakekernel: paused' '$T_LOGDIR/$h.log'"
kill -STOP "$holder"
"$UMLCTL" -c "$T_CONF" stop "$h" >"$T_TMP/hstop.out" 2>&1 &
stopper=$!
t_exit 0 "fake hold: status exits 0" t_umlctl status "$h"
t_match "fake hold: status says who holds it" "^$h: held by a backup \(pid $holder\)" "$t_out"
t_exit 0 "fake hold: status --json exits 0" t_umlctl status --json "$h"
t_has "fake hold: status --json names the backup" "\"backup_pid\":$holder," "$t_out"
t_exit 0 "fake hold: list" t_umlctl list
t_match "fake hold: list says held by a backup" "^$h +backup .*held by a backup \(pid $holder\)$" "$t_out"
wait "$stopper"
t_eq "fake hold: the stop waited for the hold and exits 0" 0 "$?"
wait "$holder" 2>/dev/null
t_eq "fake hold: the holder, stopped and deaf to SIGTERM, was killed (137)" 137 "$?"
out=$(cat "$T_TMP/hstop.out")
t_log "fake hold: stop said: $out"
t_has "fake hold: it said it waits for the backup" "held by a backup (pid $holder): the stop waits until it lets the guest go, at most 32 s" "$out"
t_match "fake hold: past its bound, it asked the backup to end" "the backup \(pid $holder\) still holds it after 3[2-9] s: asking it to end \(SIGTERM\)" "$out"
t_match "fake hold: 10 s later, it killed it" "the backup \(pid $holder\) still holds it after (4[2-9]|5[0-9]) s: killing it \(SIGKILL\)" "$out"
t_has "fake hold: graceful" "graceful" "$out"
t_match "fake hold: the hold ended, then the stop began" "pid $holder ended without letting the guest go.*stop:" "$(tr '\n' ' ' <"$T_LOGDIR/$h.log")"
t_exit 3 "fake hold: stopped" t_umlctl status --json "$h"
t_has "fake hold: status --json: no backup now" '"backup_pid":null,' "$t_out"
t_no_leftovers "$h"

[ -x "$REALKERNEL" ] || t_skip_all "$REALKERNEL missing"

# --- a running guest under a write load ------------------------------------

# acks LOG: the `R N' of every `ack R N' said in LOG so far.
acks() {
	tr -d '\r' <"$1" | sed -n 's/^ack \([0-9][0-9]*\) \([0-9][0-9]*\)[[:space:]]*$/\1 \2/p'
}

# nacks LOG: how many.
nacks() {
	acks "$1" | wc -l
}

# fsck_copy DESC IMAGE: a scratch copy of IMAGE, its journal replayed if
# it needs one, is clean (e2fsck -fn); says which in the description;
# the copy stays as $T_TMP/scratch.img.
fsck_copy() {
	cp --sparse=always "$2" "$T_TMP/scratch.img"
	if dumpe2fs -h "$T_TMP/scratch.img" 2>/dev/null | grep -q '^Filesystem features:.*needs_recovery'; then
		_how="clean once its journal is replayed (as after a crash)"
		e2fsck -E journal_only -y "$T_TMP/scratch.img" >"$T_TMP/fsck" 2>&1
	else
		_how="clean without a journal replay"
	fi
	t_log "$1: the copy is $_how"
	t_ok "$1: e2fsck -fn of the copy: $_how" e2fsck -fn "$T_TMP/scratch.img"
}

# records_in DESC ACKS IMAGE: every record of ACKS is intact in IMAGE.
records_in() {
	debugfs -R "cat /records" "$3" 2>/dev/null | tr '\000' '\n' >"$T_TMP/records"
	_r=$(sh "$T_DIR/tools/reccheck.sh" "$2" "$T_TMP/records")
	_st=$?
	t_log "$1: $(printf '%s\n' "$_r" | grep '^#')"
	t_ok "$1: every record acknowledged before the backup is intact ($(wc -l <"$2"))" \
		sh -c "[ $_st -eq 0 ] && [ -s '$2' ]"
}

# record_has NAME KEY: the `backup=' line of NAME's record.
bkline() {
	sed -n 's/^backup=//p' "/run/uml/$1/state" 2>/dev/null
}

g=$(t_name b)
t_guest_dir "$g"
"$MKGUEST" "$T_TMP/tree" --tree --records || t_bail "mkguest.sh --tree --records"
mke2fs -q -t ext4 -F -d "$T_TMP/tree" "$T_UMLDIR/$g/root.loop" 64M >/dev/null || t_bail "mke2fs ext4"
rm -rf "$T_TMP/tree"
fallocate -l 32M "$T_UMLDIR/$g/swap.loop"
chown "$T_USER:" "$T_UMLDIR/$g/root.loop" "$T_UMLDIR/$g/swap.loop"
chmod 0600 "$T_UMLDIR/$g/root.loop" "$T_UMLDIR/$g/swap.loop"
t_real_conf "$g" READY=guest KERNEL_ARGS="round=1" SWAP="$T_UMLDIR/$g/swap.loop"
log=$T_LOGDIR/$g.log
t_exit 0 "busybox: start" t_umlctl start "$g"
t_ok "busybox: records are acknowledged" t_wait_log "$log" '^ack 1 20[[:space:]]*$' 30
acks "$log" >"$T_TMP/acks.before"
t_exit 0 "busybox: backup of the running guest exits 0" t_umlctl backup "$g" "$bk" --swap
t_match "busybox: it says how long the guest was paused" "^$g: .*; paused for [0-9]+ ms$" "$t_out"
t_log "busybox: $(printf '%s\n' "$t_out" | head -1)"
t_has "busybox: names its SWAP copy" "$g: SWAP $T_UMLDIR/$g/swap.loop -> $bk/$g-swap.img" "$t_out"
t_ok "busybox: the guest synced (its console says so)" grep -q 'Emergency Sync complete' "$log"
n=$(nacks "$log")
t_ok "busybox: it runs on: more records" t_wait 20 sh -c "[ \$(tr -d '\\r' <'$log' | grep -c '^ack ') -gt $n ]"
t_exit 0 "busybox: status: running" t_umlctl status "$g"
t_match "busybox: the record says done (phase 3)" "^[0-9]+ 3 [0-3] [0-9]+$" "$(bkline "$g")"
fsck_copy busybox "$bk/$g-root.img"
records_in busybox "$T_TMP/acks.before" "$T_TMP/scratch.img"

# The pause, seen from the guest: held by a process of ours, no record is
# acknowledged; suspend is refused meanwhile and a stop waits; the process
# killed, the guest runs on.
sup=$(cat "/run/uml/$g.pid")
bash -c 'kill -s RTMIN+1 "$1" && exec sleep 120' sh "$sup" &
holder=$!
t_ok "hold: the supervisor holds the guest for pid $holder" t_wait 10 sh -c "[ \"\$(sed -n 's/^backup=//p' /run/uml/$g/state | cut -d' ' -f1,2)\" = '$holder 2' ]"
n=$(nacks "$log")
sleep 2
t_eq "hold: no record acknowledged for 2 s" "$n" "$(nacks "$log")"
t_exit 5 "hold: suspend exits 5" t_umlctl suspend "$g"
t_has "hold: suspend names the backup" "a backup (pid $holder) holds it" "$t_out"
t_exit 5 "hold: a backup meanwhile exits 5" t_umlctl backup "$g" "$T_TMP/bk2"
t_ok "hold: it wrote nothing" empty "$T_TMP/bk2"
kill -KILL "$holder"
wait "$holder" 2>/dev/null
t_ok "hold: the holder killed, the guest is let go (phase 3)" t_wait 10 sh -c "[ \"\$(sed -n 's/^backup=//p' /run/uml/$g/state | cut -d' ' -f1,2)\" = '$holder 3' ]"
t_ok "hold: records are acknowledged again" t_wait 20 sh -c "[ \$(tr -d '\\r' <'$log' | grep -c '^ack ') -gt $n ]"
t_has "hold: the log says so" "pid $holder ended without letting the guest go" "$(cat "$log")"

# A backup that cannot write its copy (a full DIR), or that is sent SIGTERM
# at once: nothing left, the guest running.
mkdir -m 0700 "$T_TMP/full"
mount -t tmpfs -o size=1m,mode=0700 umlt-full "$T_TMP/full" || t_bail "tmpfs"
t_defer "umount $T_TMP/full"
t_exit 111 "DIR full: exits 111" t_umlctl backup "$g" "$T_TMP/full"
t_has "DIR full: says nothing was written" "nothing written; the guest was let go" "$t_out"
t_ok "DIR full: nothing in DIR" empty "$T_TMP/full"
t_exit 0 "DIR full: the guest runs (status 0)" t_umlctl status "$g"
"$UMLCTL" -c "$T_CONF" backup "$g" "$T_TMP/bk2" >"$T_TMP/term.out" 2>&1 &
p=$!
# Once it is umlctl: a signal to the shell that forks it may be lost in
# its exec.  The backup needs the guest's sync first: milliseconds.
while [ "$(cat "/proc/$p/comm" 2>/dev/null)" != umlctl ] && kill -0 "$p" 2>/dev/null; do
	:
done
kill -TERM "$p"
wait "$p"
st=$?
t_log "SIGTERM: $(cat "$T_TMP/term.out")"
t_ok "SIGTERM: the backup did not succeed ($st)" test "$st" -ne 0
t_ok "SIGTERM: nothing in DIR" empty "$T_TMP/bk2"
t_ok "SIGTERM: the guest is not held" t_wait 10 sh -c "! sed -n 's/^backup=//p' /run/uml/$g/state | grep -q '^[0-9]* [12] '"
t_exit 0 "SIGTERM: the guest runs (status 0)" t_umlctl status "$g"

# A suspended guest: copied as it is, and it stays suspended.
t_exit 0 "suspended: suspend" t_umlctl suspend "$g"
t_exit 0 "suspended: backup exits 0" t_umlctl backup "$g" "$T_TMP/bk2"
t_has "suspended: says it stays suspended" "$g: suspended: copied as it is; it stays suspended" "$t_out"
t_exit 10 "suspended: status still exits 10" t_umlctl status "$g"
t_exit 0 "suspended: resume" t_umlctl resume "$g"
rm -f "$T_TMP/bk2"/*

# A stop asked during a hold waits for its end.
bash -c 'kill -s RTMIN+1 "$1" && exec sleep 120' sh "$sup" &
holder=$!
t_ok "stop during a hold: held" t_wait 10 sh -c "sed -n 's/^backup=//p' /run/uml/$g/state | grep -q '^$holder 2 '"
"$UMLCTL" -c "$T_CONF" stop "$g" >"$T_TMP/stop.out" 2>&1 &
stopper=$!
sleep 2
t_ok "stop during a hold: the guest still runs after 2 s" kill -0 "$(cat "/run/uml/$g.pid")"
kill -KILL "$holder"
wait "$holder" 2>/dev/null
wait "$stopper"
t_eq "stop during a hold: the stop then exits 0" 0 "$?"
t_has "stop during a hold: graceful" "graceful" "$(cat "$T_TMP/stop.out")"
t_no_leftovers "$g"

# Restore: the copy back while stopped; the guest boots on it.
cp --sparse=always "$bk/$g-root.img" "$T_UMLDIR/$g/root.loop"
t_real_conf "$g" READY=guest KERNEL_ARGS="round=2" SWAP="$T_UMLDIR/$g/swap.loop"
t_exit 0 "restored: start" t_umlctl start "$g"
t_ok "restored: records are acknowledged" t_wait_log "$log" '^ack 2 5[[:space:]]*$' 30
t_exit 0 "restored: stop" t_umlctl stop "$g"
t_ok "restored: the image is clean" e2fsck -fn "$T_UMLDIR/$g/root.loop"
records_in "restored" "$T_TMP/acks.before" "$T_UMLDIR/$g/root.loop"
t_no_leftovers "$g"

# --- Debian 12, sparse 2 GiB: the pause measured ---------------------------

command -v mmdebstrap >/dev/null || t_skip_all "no mmdebstrap for the Debian image (the rest passed)"
t_debian_image systemd
d=$(t_name d)
t_guest_dir "$d"
dimg=$T_UMLDIR/$d/root.loop
cp --sparse=always "$deb_img" "$dimg"
# The record writer, as a service writing to the console.
"$MKGUEST" "$T_TMP/tree" --tree --records || t_bail "mkguest.sh --tree --records"
cat >"$T_TMP/records.service" <<'EOF'
[Unit]
Description=t-backup's records
[Service]
Environment=round=1
ExecStart=/bin/sh -c 'exec /etc/records.sh >/dev/console 2>&1'
[Install]
WantedBy=multi-user.target
EOF
debugfs -w -f - "$dimg" >/dev/null 2>&1 <<EOF
write $T_TMP/tree/etc/records.awk /etc/records.awk
write $T_TMP/tree/etc/records.sh /etc/records.sh
sif /etc/records.sh mode 0100755
write $T_TMP/tree/records /records
write $T_TMP/records.service /etc/systemd/system/records.service
symlink /etc/systemd/system/multi-user.target.wants/records.service /etc/systemd/system/records.service
EOF
chown "$T_USER:" "$dimg"
chmod 0600 "$dimg"
t_eq "debian: a sparse 2 GiB image" "2147483648" "$(stat -c %s "$dimg")"
t_log "debian: $(du -m "$dimg" | cut -f1) MiB of data"
t_conf "$d" USER="$T_USER" UMLDIR="$T_UMLDIR" KERNEL="$REALKERNEL" MEMORY=256M \
	READY=guest START_TIMEOUT=300 CONSOLE_LOG="$T_LOGDIR/$d.log"
dlog=$T_LOGDIR/$d.log
t_exit 0 "debian: start" t_umlctl start "$d"
t_ok "debian: records are acknowledged" t_wait_log "$dlog" '^ack 1 30[[:space:]]*$' 60
acks "$dlog" >"$T_TMP/dacks.before"
t_exit 0 "debian: backup of the running guest exits 0" t_umlctl backup "$d" "$bk"
t_match "debian: it says how long the guest was paused" "^$d: .*; paused for [0-9]+ ms$" "$t_out"
ms=$(printf '%s\n' "$t_out" | sed -n 's/.*; paused for \([0-9]*\) ms$/\1/p')
t_log "figure: Debian 12 guest, sparse 2 GiB image ($(du -m "$dimg" | cut -f1) MiB of data), under a record load: paused for $ms ms ($(printf '%s\n' "$t_out" | grep -o '(sparse copy[^)]*)\|(reflink[^)]*)' | head -1); load $(cut -d' ' -f1 /proc/loadavg))"
t_log "debian: $(printf '%s\n' "$t_out" | head -1)"
n=$(nacks "$dlog")
t_ok "debian: it runs on: more records" t_wait 30 sh -c "[ \$(tr -d '\\r' <'$dlog' | grep -c '^ack ') -gt $n ]"
fsck_copy debian "$bk/$d-root.img"
records_in debian "$T_TMP/dacks.before" "$T_TMP/scratch.img"
rm -f "$T_TMP/scratch.img"
t_exit 0 "debian: stop" t_umlctl stop "$d"
cp --sparse=always "$bk/$d-root.img" "$dimg"
rm -f "$bk/$d-root.img"
t_conf "$d" USER="$T_USER" UMLDIR="$T_UMLDIR" KERNEL="$REALKERNEL" MEMORY=256M \
	READY=guest START_TIMEOUT=300 CONSOLE_LOG="$T_LOGDIR/$d.2.log"
t_exit 0 "debian restored: start" t_umlctl start "$d"
t_ok "debian restored: records are acknowledged" t_wait_log "$T_LOGDIR/$d.2.log" '^ack 1 5[[:space:]]*$' 60
t_exit 0 "debian restored: stop" t_umlctl stop "$d"
records_in "debian restored" "$T_TMP/dacks.before" "$dimg"
t_no_leftovers "$d"
t_done
