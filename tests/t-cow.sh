#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Copy-on-write guests over one shared base image (issue 10): two guests
# made with `umlctl create -b' run at once with the real kernel, each
# writing its own file; each COW file holds its own guest's writes (merged
# out with uml_moo), the base is byte for byte the same after both stop;
# umlctl, not the kernel, made each COW file before the first boot, with
# the header the kernel would write (issue 23: the kernel's Landlock rule
# is on that file, never on its directory), and a start whose kernel
# never ran leaves none behind, nor does one killed while making it, but
# one refused for another start's lock on it leaves it to that start;
# a changed base, a base USER could write, a ROOT that is not a COW file
# and a COW file over another base are refused before anything runs.
# shellcheck source=SCRIPTDIR/lib.sh
. "${0%/*}/lib.sh"
t_init
t_need_umlctl
[ -x "$REALKERNEL" ] || t_skip_all "$REALKERNEL missing"
command -v uml_moo >/dev/null || t_skip_all "no uml_moo (uml-utilities)"

echo "UMLDIR=$(t_q "$T_UMLDIR")" >"$T_CONF/uml"
# The base: a prepared busybox guest that writes /data.txt at boot.
sh "$MKGUEST" "$T_TMP/tree" --tree --write || t_bail "mkguest.sh"
b=$(t_name b)
t_exit 0 "the base's disk is made by create" t_umlctl create -u "$T_USER" -s 64M "$b" "$T_TMP/tree"
basedir=$T_TMP/base
mkdir -m 0755 "$basedir"
base=$basedir/guest.img
mv "$T_UMLDIR/$b/root.loop" "$base"
chown root:root "$base"
chmod 0644 "$base"
sum0=$(sha256sum <"$base")
mtime0=$(stat -c %Y "$base")

# guest N: a guest over the base, run by the real kernel, token=N.
guest() {
	t_exit 0 "$1: create -b exits 0" t_umlctl create -u "$T_USER" -k "$REALKERNEL" -b "$base" "$1"
	t_conf_add "$1" CONSOLE_LOG="$T_LOGDIR/$1.log" READY=guest START_TIMEOUT=60 \
		KERNEL_ARGS="token=$1"
	t_defer "t_guest_cleanup $1"
}
# refused DESC NAME TEXT...: like t_refused, for a guest that ran before:
# its console log gets no new line, and no kernel runs.
refused() {
	_lines=$(wc -l <"$T_LOGDIR/$2.log")
	t_refused_says "$@"
	t_eq "$1: no process of $T_USER" "" "$(t_user_procs "$T_USER")"
	t_eq "$1: nothing new in the console log" "$_lines" \
		"$(wc -l <"$T_LOGDIR/$2.log")"
}
g1=$(t_name c1)
g2=$(t_name c2)
guest "$g1"
guest "$g2"
t_exit 0 "check passes before the first start (no COW file yet)" t_umlctl check "$g1"
t_exit 0 "$g1 starts" t_umlctl start "$g1"
t_exit 0 "$g2 starts" t_umlctl start "$g2"
t_exit 0 "$g1 runs" t_umlctl status "$g1"
t_exit 0 "$g2 runs alongside" t_umlctl status "$g2"
t_has "$g1 wrote its file" "guest: wrote /data.txt token=$g1" "$(cat "$T_LOGDIR/$g1.log")"
t_has "$g2 wrote its file" "guest: wrote /data.txt token=$g2" "$(cat "$T_LOGDIR/$g2.log")"
t_exit 0 "$g1 stops" t_umlctl stop "$g1"
t_has "$g1 stopped gracefully" "graceful" "$t_out"
t_exit 0 "$g2 stops" t_umlctl stop "$g2"
t_has "$g2 stopped gracefully" "graceful" "$t_out"

# be OFFSET LEN FILE: LEN bytes at OFFSET of FILE, a big-endian number.
be() {
	od -An -tx1 -j "$1" -N "$2" "$3" | tr -d ' \n' | sed 's/^/0x/' |
		xargs printf '%d\n'
}
size0=$(stat -c %s "$base")
for g in "$g1" "$g2"; do
	cow=$T_UMLDIR/$g/root.cow
	t_eq "$g: its COW file is USER's, 0600" "$T_USER 600" "$(stat -c '%U %a' "$cow")"
	t_nomatch "$g: the kernel did not make it (umlctl did)" 'as COW file for' \
		"$(cat "$T_LOGDIR/$g.log")"
	# The v3 header (cow_user.c): magic, version, mtime, size, sector
	# size, alignment, format, path; the data after the bitmap, aligned.
	t_eq "$g: COW v3 header, as the kernel writes it" \
		"1330597709 3 $mtime0 $size0 512 4096 0 $base" \
		"$(be 0 4 "$cow") $(be 4 4 "$cow") $(be 8 4 "$cow") $(be 12 8 "$cow") $(be 20 4 "$cow") $(be 24 4 "$cow") $(be 28 4 "$cow") $(dd if="$cow" bs=1 skip=32 count=200 2>/dev/null | tr -d '\0')"
	t_eq "$g: its length: bitmap at 8192, data aligned to 4096" \
		"$(( (8192 + (size0 + 4095) / 4096 + 4095) / 4096 * 4096 + size0 ))" \
		"$(stat -c %s "$cow")"
	rm -f "$T_TMP/$g.merged"
	t_ok "$g: uml_moo merges its COW file into a new image" \
		uml_moo "$cow" "$T_TMP/$g.merged"
	t_ok "$g: the merged image is clean" e2fsck -fn "$T_TMP/$g.merged"
	t_eq "$g: it holds $g's own /data.txt" "$(t_data_expected "$g" | cksum)" \
		"$(t_image_cat "$T_TMP/$g.merged" /data.txt | cksum)"
done
t_eq "the base is unchanged (sha256)" "$sum0" "$(sha256sum <"$base")"
t_eq "the base's mtime is unchanged" "$mtime0" "$(stat -c %Y "$base")"
t_exit 0 "$g1 starts again on its COW file" t_umlctl start "$g1"
t_exit 0 "$g1 stops again" t_umlctl stop "$g1"

# A base moved (mtime kept): the kernel switches the COW header to the new
# path (path_requires_switch()), so check and start accept it.
mkdir -m 0755 "$basedir/moved"
mv "$base" "$basedir/moved/guest.img"
sed -i "s|^BASE_IMAGE=.*|BASE_IMAGE=\"$basedir/moved/guest.img\"|" "$T_CONF/uml.$g1"
t_exit 0 "a moved base: check passes" t_umlctl check "$g1"
t_exit 0 "a moved base: start" t_umlctl start "$g1"
t_exit 0 "a moved base: stop" t_umlctl stop "$g1"
mv "$basedir/moved/guest.img" "$base"
sed -i "s|^BASE_IMAGE=.*|BASE_IMAGE=\"$base\"|" "$T_CONF/uml.$g1"
t_exit 0 "moved back: start (the header switches back)" t_umlctl start "$g1"
t_exit 0 "moved back: stop" t_umlctl stop "$g1"
t_eq "the base is unchanged after the moves (sha256)" "$sum0" "$(sha256sum <"$base")"

# A changed base is refused before boot, by check and start.
touch -d '2020-01-02 03:04:05 UTC' "$base"
refused "changed base" "$g1" \
	"BASE_IMAGE=\"$base\" changed after the COW file ROOT=\"$T_UMLDIR/$g1/root.cow\" was made" \
	"modified 2020-01-02 03:04:05 UTC, was"
touch -d "@$mtime0" "$base"
t_exit 0 "the base restored: check passes again" t_umlctl check "$g1"

cp "$base" "$T_TMP/bigger.img"
truncate -s +1M "$T_TMP/bigger.img"
cp "$base" "$basedir/saved.img"
mv "$T_TMP/bigger.img" "$base"
touch -d "@$mtime0" "$base"
refused "a base of another size" "$g1" "its size is"
mv "$basedir/saved.img" "$base"
touch -d "@$mtime0" "$base"

chmod 0666 "$base"
refused "a base USER could write" "$g1" "BASE_IMAGE=\"$base\": must be owned by root and writable only by root"
chmod 0644 "$base"
chmod 0777 "$basedir"
refused "a base in a directory USER could write" "$g1" "BASE_IMAGE=\"$base\"" "writable by others"
chmod 0755 "$basedir"

# ROOT is a plain image, not a COW file.
g3=$(t_name c3)
guest "$g3"
cp "$base" "$T_UMLDIR/$g3/root.cow"
chown "$T_USER:" "$T_UMLDIR/$g3/root.cow"
t_refused "ROOT not a COW file" "$g3" "is not a COW file, but BASE_IMAGE is set"

# A COW file made over another base, which BASE_IMAGE does not match (one
# that matches in size and mtime, the kernel would take: a moved base).
g4=$(t_name c4)
guest "$g4"
cp "$base" "$basedir/other.img"
touch -d '2021-01-01 00:00:00 UTC' "$basedir/other.img"
sed -i "s|^BASE_IMAGE=.*|BASE_IMAGE=\"$basedir/other.img\"|" "$T_CONF/uml.$g4"
cp "$T_UMLDIR/$g1/root.cow" "$T_UMLDIR/$g4/root.cow"
chown "$T_USER:" "$T_UMLDIR/$g4/root.cow"
t_refused "a COW file over another base" "$g4" "is a COW file over \"$base\", not over BASE_IMAGE=\"$basedir/other.img\""
# The header's path is USER's text: escaped before it reaches a terminal.
g5=$(t_name c5)
guest "$g5"
{
	printf '\117\117\117\115\000\000\000\003'	# magic (big-endian), version 3
	head -c 24 /dev/zero
	printf '/x\033]0;PWNED\007\033[2J\numlctl: fake OK'
	head -c 4200 /dev/zero
} >"$T_UMLDIR/$g5/root.cow"
chown "$T_USER:" "$T_UMLDIR/$g5/root.cow"
t_exit 2 "a COW file over a path full of escapes: refused" t_umlctl check "$g5"
t_has "the path is shown escaped" 'is a COW file over "/x\x1b]0;PWNED\x07\x1b[2J\x0aumlctl: fake OK"' "$t_out"
t_nomatch "no raw ESC reaches the terminal" "$(printf '\033')" "$t_out"

# READY="mconsole" (the default): the guest is ready once its mconsole
# answers, before its kernel opens the disks.  The COW file is made and
# locked before the kernel starts, so it is in the record at once, and
# check while the guest runs (as rc-service restart's stop_pre runs it)
# finds the lock its own (the soak, issue 22: every rc-service restart of
# such a guest was refused when the kernel made the file).
g6=$(t_name c6)
guest "$g6"
sed -i '/^READY=/d' "$T_CONF/uml.$g6"
t_exit 0 "$g6 (READY=mconsole) starts on a COW file umlctl made" t_umlctl start "$g6"
t_ok "$g6: the record has the COW file from the start" grep -q '^disk_root=' "/run/uml/$g6/state"
t_wait_up "$g6" 1 60
t_exit 0 "check passes while $g6 runs on its COW file" t_umlctl check "$g6"
t_exit 0 "$g6 stops" t_umlctl stop "$g6"

# Nothing left behind: a start whose kernel never ran (confined, umlctl
# reads the kernel's ELF header for its loader first: a script has none)
# removes the COW file it made; a COW file a kernel ran on stays.
g7=$(t_name c7)
guest "$g7"
printf '#!/bin/sh\nexit 0\n' >"$T_TMP/notelf"
chmod 0755 "$T_TMP/notelf"
t_conf_add "$g7" KERNEL="$T_TMP/notelf" KERNEL_CHECK=no
t_exit 2 "$g7: a kernel that cannot start: start fails" t_umlctl start "$g7"
t_has "$g7: it says why" "the kernel did not start" "$t_out"
t_has "$g7: its log says what failed" "cannot start the kernel: the kernel's ELF header" \
	"$(cat "$T_LOGDIR/$g7.log")"
t_ok "$g7: no COW file left behind" test ! -e "$T_UMLDIR/$g7/root.cow"
t_ok "$g7: nor anything else in its directory" test -z "$(ls -A "$T_UMLDIR/$g7")"

# A start killed while it makes the COW file (strace delivers SIGKILL as
# the header's pwrite begins) leaves no ROOT: the file is named only once
# whole, so the next start makes it again and boots, not refusing a ROOT
# that is no COW file.
g8=$(t_name c8)
guest "$g8"
t_run strace -f -qq -o "$T_TMP/$g8.strace" -e trace=pwrite64 \
	-e inject=pwrite64:signal=KILL "$UMLCTL" -c "$T_CONF" start "$g8"
# (pwrite is the COW header's alone on the way to a boot: fcopy.c's is
# backup's.)
t_match "$g8: the header's write was reached" '^[0-9]+ +pwrite64\(' "$(cat "$T_TMP/$g8.strace")"
t_match "$g8: ... and killed there" '\+\+\+ killed by SIGKILL' "$(cat "$T_TMP/$g8.strace")"
t_ok "$g8: no COW file left behind" test ! -e "$T_UMLDIR/$g8/root.cow"
t_run "$UMLCTL" -c "$T_CONF" stop "$g8"
t_exit 0 "$g8: the next start makes it and boots" t_umlctl start "$g8"
t_wait_up "$g8" 1 60
t_exit 0 "$g8 stops" t_umlctl stop "$g8"

# Two starts on one ROOT at once (a copy-paste slip, started together by
# rc_parallel): this one makes the COW file, strace holds it 6 s right
# after the link, and meanwhile the other (python's OFD lock, as another
# umlctl takes it) locks the file.  This start is refused for that lock,
# and leaves the file it made to the one that holds it.
# slow_start NAME: a new guest NAME started in the background (pid in sp,
# output in $T_TMP/NAME.out), held 6 s after it linked its COW file in.
slow_start() {
	guest "$1"
	strace -f -qq -o /dev/null -e trace=linkat \
		-e inject=linkat:delay_exit=6000000 \
		"$UMLCTL" -c "$T_CONF" start "$1" >"$T_TMP/$1.out" 2>&1 &
	sp=$!
	t_ok "$1: the COW file is made" t_wait 10 test -e "$T_UMLDIR/$1/root.cow"
}
g9=$(t_name c9)
slow_start "$g9"
t_ofd_lock "$T_UMLDIR/$g9/root.cow" 30
ino=$(stat -c %i "$T_UMLDIR/$g9/root.cow")
wait "$sp"
t_eq "$g9: the start refused for the other's lock exits 2" 2 "$?"
t_has "$g9: it says the disk is locked" "locked" "$(cat "$T_TMP/$g9.out")"
t_eq "$g9: the COW file the other holds stays" "$ino" "$(stat -c %i "$T_UMLDIR/$g9/root.cow" 2>&1)"
kill "$t_ofd_pid"
wait "$t_ofd_pid" 2>/dev/null
# The same, but the COW file is removed in that window (the other start
# failed and took it away): this start refuses, rather than run a kernel
# on a ROOT it holds no lock on.
g10=$(t_name c10)
slow_start "$g10"
rm -f "$T_UMLDIR/$g10/root.cow"
wait "$sp"
t_eq "$g10: the start whose COW file went exits 2" 2 "$?"
t_has "$g10: it says ROOT is gone" "ROOT=\"$T_UMLDIR/$g10/root.cow\": No such file" "$(cat "$T_TMP/$g10.out")"
t_exit 3 "$g10: not running" t_umlctl status "$g10"
t_eq "the base is still unchanged (sha256)" "$sum0" "$(sha256sum <"$base")"
t_done
