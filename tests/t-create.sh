#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# umlctl create (issue 10): a guest's disks and service from a directory,
# a tarball or nothing, prepared for UML; bad input refused with a clear
# error and no file left (no image, no directory, no conf.d file, no link,
# no staging tree), also when the work fails or is interrupted halfway.
# A guest made from a directory (busybox) with `--ip vec0=ADDR/LEN,GW'
# starts with the real kernel under OpenRC, says it is ready, answers ping
# at that address from the test's namespace, and stops gracefully; one
# made with --dhcp gets busybox's udhcpc in its ready script.
# shellcheck source=SCRIPTDIR/lib.sh
. "${0%/*}/lib.sh"
t_init
t_need_umlctl
[ -x "$REALKERNEL" ] || t_skip_all "$REALKERNEL missing"

initd=$T_TMP/init.d
mkdir -p "$initd"
: >"$initd/uml"
# The defaults every guest's conf.d file adds to, as in /etc/conf.d/uml.
echo "UMLDIR=$(t_q "$T_UMLDIR")" >"$T_CONF/uml"
tree=$T_TMP/tree
sh "$MKGUEST" "$tree" --tree || t_bail "mkguest.sh --tree"
mkdir -p "$tree/home/u"
echo mine >"$tree/home/u/file"
chown -R 1234:5678 "$tree/home/u"
chmod 4750 "$tree/home/u/file"
# An extended attribute (file capabilities are ones) must survive too.
python3 -c 'import os, sys; os.setxattr(sys.argv[1], "user.umlctl", b"kept")' \
	"$tree/home/u/file" || t_bail "setxattr"
tar -C "$tree" -czf "$T_TMP/tree.tar.gz" . || t_bail "tar"
mkdir -p "$T_TMP/notroot/etc" "$T_TMP/big"
head -c 40M /dev/urandom >"$T_TMP/big/blob"
cp -a "$tree/." "$T_TMP/big/"
# stages NAME: the staging trees of guest NAME's create (other runs'
# share /var/tmp: only this run's own names count).
stages() { ls -d "/var/tmp/umlctl-create.$1."* 2>/dev/null; }
# owner IMAGE PATH: "UID GID MODE" of PATH in IMAGE.
owner() {
	debugfs -R "stat $2" "$1" 2>/dev/null | tr -s ' ' '\n' |
		awk 'p == "User:" { u = $0 } p == "Group:" { g = $0 } p == "Mode:" { m = $0 }
			{ p = $0 } END { print u, g, m }'
}
n=0
next() {
	n=$((n + 1))
	g=$(t_name "c$n")
}

# nothing_left DESC NAME: no trace of guest NAME's create.
nothing_left() {
	t_ok "$1: no $T_UMLDIR/$2" test ! -e "$T_UMLDIR/$2"
	t_ok "$1: no conf.d file" test ! -e "$T_CONF/uml.$2"
	t_ok "$1: no init.d link" test ! -e "$initd/uml.$2"
	t_eq "$1: no staging tree in /var/tmp" "" "$(stages "$2")"
}

# refused DESC STATUS TEXT NAME ARGS...: create NAME exits STATUS, says
# TEXT, and leaves nothing.
refused() {
	_d=$1
	_st=$2
	_txt=$3
	_n=$4
	shift 4
	t_exit "$_st" "$_d: exits $_st" t_umlctl create "$@"
	t_has "$_d: says $_txt" "$_txt" "$t_out"
	nothing_left "$_d" "$_n"
}

# --- bad input ---------------------------------------------------------------
next
refused "bad name" 2 'instance name' "$g" -u "$T_USER" 'a/b' "$tree"
refused "name with a space" 2 'instance name' "$g" -u "$T_USER" 'a b' "$tree"
for s in 0 12Q 1K 100000T ''; do
	next
	refused "size \"$s\"" 2 "-s \"$s\"" "$g" -u "$T_USER" -s "$s" "$g" "$tree"
done
next
refused "bad swap size" 2 '-w "1x"' "$g" -u "$T_USER" -w 1x "$g" "$tree"
next
refused "missing source" 2 'SOURCE "/nonexistent/tree": No such file' "$g" \
	-u "$T_USER" "$g" /nonexistent/tree
next
refused "relative source" 2 'SOURCE "tree": not debian:SUITE' "$g" -u "$T_USER" "$g" tree
next
refused "source a plain file" 2 'neither a directory nor a tarball' "$g" \
	-u "$T_USER" "$g" "$MKGUEST"
next
refused "bad suite" 2 'not a Debian suite' "$g" -u "$T_USER" "$g" 'debian:../x'
next
refused "not a root file system (directory)" 2 \
	'not a root file system: no /sbin/init, /etc/init, /bin/init or /bin/sh' \
	"$g" -u "$T_USER" "$g" "$T_TMP/notroot"
tar -C "$T_TMP/notroot" -cf "$T_TMP/notroot.tar" .
next
refused "not a root file system (tarball)" 2 'not a root file system' "$g" \
	-u "$T_USER" "$g" "$T_TMP/notroot.tar"
next
refused "no USER" 2 "-u USER" "$g" "$g" "$tree"
next
refused "unknown USER" 2 'nosuchuser' "$g" -u nosuchuser "$g" "$tree"
next
refused "USER root" 2 'USER' "$g" -u root "$g" "$tree"
next
refused "-i on a directory" 2 '-i is for debian:SUITE only' "$g" -u "$T_USER" -i sysvinit "$g" "$tree"
next
refused "-i unknown" 2 '-i "upstart"' "$g" -u "$T_USER" -i upstart "$g" debian:bookworm
next
refused "-b with a SOURCE" 2 'give no SOURCE' "$g" -u "$T_USER" -b /x/base.img "$g" "$tree"
next
refused "-k missing" 2 '-k "/nonexistent/linux": No such file' "$g" -u "$T_USER" -k /nonexistent/linux "$g" "$tree"
next
refused "-b missing" 2 'BASE_IMAGE="/nonexistent/base.img": No such file' "$g" -u "$T_USER" -b /nonexistent/base.img "$g"
next
cp "$T_TMP/tree.tar.gz" "$T_TMP/notroots.img"
chown "$T_USER:" "$T_TMP/notroots.img"
refused "-b a base USER owns" 2 'not a regular file owned by root and writable only by root' "$g" \
	-u "$T_USER" -b "$T_TMP/notroots.img" "$g"
# A source another account can change is refused: it could swap a link to
# a file only root may read into the tree while root copies it.
mkdir -p "$T_TMP/usersrc"
cp -a "$tree/." "$T_TMP/usersrc/"
chown "$T_USER:" "$T_TMP/usersrc"
next
refused "a source directory USER owns" 2 'only root may be able to change it' "$g" \
	-u "$T_USER" "$g" "$T_TMP/usersrc"
chown root: "$T_TMP/usersrc"
chmod 0777 "$T_TMP/usersrc"
next
refused "a source directory anyone may write" 2 'only root may be able to change it' "$g" \
	-u "$T_USER" "$g" "$T_TMP/usersrc"
ln -s "$tree" "$T_TMP/treelink"
next
refused "a source that is a link" 2 'a symbolic link (name what it points to)' "$g" \
	-u "$T_USER" "$g" "$T_TMP/treelink"
next
refused "-u with a newline" 2 'a value with' "$g" -u "$(printf 'umlt\nKERNEL=/x')" "$g" "$tree"
mkdir -p "$T_TMP/bighosts"
cp -a "$tree/." "$T_TMP/bighosts/"
head -c 70000 /dev/zero | tr '\0' 'x' >"$T_TMP/bighosts/etc/hosts"
next
refused "a guest file too large to prepare" 2 '/etc/hosts: larger than 65535 bytes' "$g" \
	-u "$T_USER" -s 64M "$g" "$T_TMP/bighosts"
next
refused "no space (40M of data, -s 20M)" 111 'mke2fs (is -s large enough for SOURCE?) failed' \
	"$g" -u "$T_USER" -s 20M "$g" "$T_TMP/big"

# An existing image is never overwritten.
next
mkdir -p "$T_UMLDIR/$g"
echo precious >"$T_UMLDIR/$g/root.loop"
t_conf "$g" USER="$T_USER" UMLDIR="$T_UMLDIR"
t_exit 2 "existing image: exits 2" t_umlctl create "$g" "$tree"
t_has "existing image: says so" "ROOT=\"$T_UMLDIR/$g/root.loop\" exists" "$t_out"
t_eq "existing image: untouched" precious "$(cat "$T_UMLDIR/$g/root.loop")"
t_exit 2 "conf.d exists: -u is refused" t_umlctl create -u "$T_USER" "$g" "$tree"
t_has "conf.d exists: says where to set USER" "exists: set USER" "$t_out"
rm -rf "${T_UMLDIR:?}/$g" "$T_CONF/uml.$g"

# Interrupted halfway (SIGTERM while unpacking): nothing left.
next
dd if=/dev/zero bs=1M count=1500 2>/dev/null | gzip -1 >"$T_TMP/zero.gz"
mkdir -p "$T_TMP/slow"
cp -a "$tree/." "$T_TMP/slow/"
gzip -dc "$T_TMP/zero.gz" >"$T_TMP/slow/zero"
tar -C "$T_TMP/slow" -czf "$T_TMP/slow.tar.gz" .
rm -rf "$T_TMP/slow"
"$UMLCTL" -c "$T_CONF" create -u "$T_USER" -s 4G "$g" "$T_TMP/slow.tar.gz" \
	>"$T_TMP/slow.out" 2>&1 &
cpid=$!
t_ok "interrupted: tar unpacks" t_wait 30 pgrep -P "$cpid" -x tar
t_ok "interrupted: its staging tree is there" test -n "$(stages "$g")"
kill -TERM "$cpid"
wait "$cpid"
t_eq "interrupted: exits 111" 111 "$?"
t_has "interrupted: says so" "interrupted by signal 15" "$(cat "$T_TMP/slow.out")"
nothing_left "interrupted" "$g"

# Interrupted while mmdebstrap works (its apt or dpkg running): stopped
# at once, its whole session with it (mmdebstrap's parent ignores SIGTERM
# and waits for the rest), not after it finished.
if command -v mmdebstrap >/dev/null; then
	next
	"$UMLCTL" -c "$T_CONF" create -u "$T_USER" "$g" debian:bookworm >"$T_TMP/deb.out" 2>&1 &
	cpid=$!
	t_ok "mmdebstrap interrupted: it runs" t_wait 60 pgrep -P "$cpid" -x mmdebstrap
	mpid=$(pgrep -P "$cpid" -x mmdebstrap)
	t_ok "mmdebstrap interrupted: its apt is at work, in its own session" \
		t_wait 120 pgrep -s "$mpid" -x 'apt-get|dpkg|http'
	t_ok "mmdebstrap interrupted: in a mount namespace of its own" \
		test "$(readlink "/proc/$mpid/ns/mnt")" != "$(readlink /proc/self/ns/mnt)"
	stage=$(stages "$g")
	t0=$(date +%s)
	kill -TERM "$cpid"
	wait "$cpid"
	t_eq "mmdebstrap interrupted: exits 111" 111 "$?"
	secs=$(($(date +%s) - t0))
	t_log "create ended $secs s after SIGTERM"
	t_ok "mmdebstrap interrupted: create ended within 20 s ($secs s)" test "$secs" -le 20
	t_has "mmdebstrap interrupted: says so" "interrupted by signal 15" "$(cat "$T_TMP/deb.out")"
	t_eq "mmdebstrap interrupted: nothing of its session runs on" "" "$(pgrep -s "$mpid")"
	t_ok "mmdebstrap interrupted: its staging tree is gone" test ! -e "${stage:-/nonexistent}"
	t_ok "mmdebstrap interrupted: nothing mounted in it" \
		sh -c "! grep -qF '${stage:-/nonexistent}' /proc/self/mountinfo"
	nothing_left "mmdebstrap interrupted" "$g"
else
	t_log "SKIP the mmdebstrap interruption: no mmdebstrap"
fi

# --- from a directory, with swap and an address, then under OpenRC -----------
next
gd=$g
# It runs under OpenRC below: its stop leaves records in /run/uml.
t_defer "t_guest_cleanup $gd"
t_exit 0 "from a directory: create exits 0" t_umlctl create -u "$T_USER" -k "$REALKERNEL" \
	-s 64M -w 16M --ip vec0=192.0.2.2/24,192.0.2.1 "$gd" "$tree"
ready=$(t_image_cat "$T_UMLDIR/$gd/root.loop" /etc/umlctl-ready.sh)
t_has "--ip: the ready script sets vec0's address" \
	'ip addr add 192.0.2.2/24 dev vec0 && echo "umlctl-ready: vec0 192.0.2.2/24"' "$ready"
t_has "--ip: ... and the default route" "ip route add default via 192.0.2.1 dev vec0" "$ready"
printf '%s\n' "$ready" >"$T_TMP/ready.sh"
t_ok "--ip: after the NICs are up, before ready" t_in_order "$T_TMP/ready.sh" "ip link set" \
	"ip addr add" "echo ready > /proc/mconsole"
t_nomatch "--ip: no DHCP client" "udhcpc|dhclient" "$ready"
t_eq "ROOT is USER's, 0600" "$T_USER 600" "$(stat -c '%U %a' "$T_UMLDIR/$gd/root.loop")"
t_eq "ROOT is ext4" ext4 "$(blkid -o value -s TYPE "$T_UMLDIR/$gd/root.loop")"
t_eq "SWAP is swap space" swap "$(blkid -o value -s TYPE "$T_UMLDIR/$gd/swap.loop")"
t_eq "SWAP is USER's, 0600" "$T_USER 600" "$(stat -c '%U %a' "$T_UMLDIR/$gd/swap.loop")"
t_has "conf.d names USER" "USER=\"$T_USER\"" "$(cat "$T_CONF/uml.$gd")"
t_has "conf.d names KERNEL" "KERNEL=\"$REALKERNEL\"" "$(cat "$T_CONF/uml.$gd")"
t_has "conf.d: READY=guest" 'READY="guest"' "$(cat "$T_CONF/uml.$gd")"
t_eq "init.d link made" uml "$(readlink "$initd/uml.$gd")"
t_ok "the image is clean (e2fsck -fn)" e2fsck -fn "$T_UMLDIR/$gd/root.loop"
fstab=$(t_image_cat "$T_UMLDIR/$gd/root.loop" /etc/fstab)
t_has "fstab: / on /dev/ubda" "/dev/ubda / ext4" "$fstab"
t_has "fstab: swap on /dev/ubdb" "/dev/ubdb none swap" "$fstab"
t_eq "hostname" "$gd" "$(t_image_cat "$T_UMLDIR/$gd/root.loop" /etc/hostname)"
inittab=$(t_image_cat "$T_UMLDIR/$gd/root.loop" /etc/inittab)
t_has "inittab: the old ctrlaltdel line commented out" "#umlctl# ::ctrlaltdel:" "$inittab"
t_has "inittab: ctrl-alt-del powers off" "::ctrlaltdel:/sbin/poweroff" "$inittab"
t_has "inittab: a getty on the console" "console::respawn:/sbin/getty 38400 console" "$inittab"
t_has "sysrq allowed" "kernel.sysrq = 1" \
	"$(t_image_cat "$T_UMLDIR/$gd/root.loop" /etc/sysctl.d/90-umlctl.conf)"
t_eq "owner, group and mode kept" "1234 5678 04750" \
	"$(owner "$T_UMLDIR/$gd/root.loop" /home/u/file)"
t_has "extended attributes kept" "user.umlctl" \
	"$(debugfs -R 'ea_list /home/u/file' "$T_UMLDIR/$gd/root.loop" 2>/dev/null)"
# A device node where a guest file is expected is never opened.
mkdir -p "$T_TMP/devtree"
cp -a "$tree/." "$T_TMP/devtree/"
rm -f "$T_TMP/devtree/etc/hosts"
mknod "$T_TMP/devtree/etc/hosts" c 1 3
next
strace -f -qq -o "$T_TMP/dev.strace" -e trace=openat,open \
	"$UMLCTL" -c "$T_CONF" create -u "$T_USER" -s 64M "$g" "$T_TMP/devtree" >/dev/null 2>&1
t_nomatch "a device node as /etc/hosts is not opened for reading by prepare" \
	'open(at)?\(.*"/etc/hosts", O_RDONLY' \
	"$(cat "$T_TMP/dev.strace")"
t_ok "... and the guest was made" test -s "$T_UMLDIR/$g/root.loop"
t_eq "the source directory is unchanged" "" "$(grep -l umlctl "$tree/etc/inittab")"
t_conf_add "$gd" UMLDIR="$T_UMLDIR" CONSOLE_LOG="$T_LOGDIR/$gd.log"
t_exit 0 "check: exits 0" t_umlctl check "$gd"
t_nomatch "check: no warning about the guest" "warning: in " "$t_out"

# One NIC on a bridge in a namespace of the test's own: the prepared
# guest brings it up and says so on its console.
ns=$(t_name n)
t_netns "$ns"
t_bridge "$ns" br0 192.0.2.1/24
t_conf_add "$gd" NETNS="$ns" NET="tc$$" "BRIDGE_tc$$=br0"
t_rc_install "$gd"
t_exit 0 "rc-service start" rc-service "uml.$gd" start
t_has "the guest said it is ready" "$gd: guest says: ready" "$(cat "$T_LOGDIR/$gd.log")"
t_exit 0 "status: running" t_umlctl status "$gd"
# (mkguest.sh's own sysinit already says ready; the prepared line runs
# after it.)
t_ok "the guest brought its NIC up" t_wait_log "$T_LOGDIR/$gd.log" "umlctl-ready: vec0 up" 10
t_ok "--ip: the guest set its address" t_wait_log "$T_LOGDIR/$gd.log" \
	"umlctl-ready: vec0 192.0.2.2/24" 10
t_ok "--ip: the guest answers ping at it in the namespace" \
	t_wait 30 ip netns exec "$ns" ping -c 1 -W 1 192.0.2.2
t_wait_log "$T_LOGDIR/$gd.log" 'login:' 10
t_has "a login on the console" "login:" "$(cat "$T_LOGDIR/$gd.log")"
t_exit 0 "rc-service stop" rc-service "uml.$gd" stop
t_exit 3 "status: stopped" t_umlctl status "$gd"
t_match "stopped gracefully, in seconds" 'graceful: powered off [0-9]\.[0-9]+ s after ctrl-alt-del' "$t_out"
t_ok "the image is clean after the stop" e2fsck -fn "$T_UMLDIR/$gd/root.loop"
t_exit 2 "create again: refused" t_umlctl create "$gd" "$tree"
t_has "create again: ROOT exists" "exists; umlctl create never overwrites" "$t_out"

# --dhcp from a directory: busybox's udhcpc on each NIC.
next
t_exit 0 "--dhcp: create exits 0" t_umlctl create -u "$T_USER" -s 64M --dhcp "$g" "$tree"
ready=$(t_image_cat "$T_UMLDIR/$g/root.loop" /etc/umlctl-ready.sh)
# shellcheck disable=SC2016 # the script's own $n
t_has "--dhcp: the ready script runs udhcpc on each NIC" \
	'udhcpc -b -i "$n" && echo "umlctl-ready: $n dhcp"' "$ready"
t_nomatch "--dhcp: no static address" "ip addr add" "$ready"

# UMLDIR missing (a fresh machine): made, and removed again on failure.
c2=$T_TMP/conf2
mkdir -p "$c2"
echo "UMLDIR=$(t_q "$T_TMP/fresh")" >"$c2/uml"
next
t_exit 2 "UMLDIR missing, then a late refusal: exits 2" \
	"$UMLCTL" -c "$c2" create -u "$T_USER" "$g" "$T_TMP/notroot"
t_ok "UMLDIR missing, then a late refusal: UMLDIR removed again" test ! -e "$T_TMP/fresh"
t_exit 0 "UMLDIR missing: create makes it" "$UMLCTL" -c "$c2" create -u "$T_USER" -s 32M "$g"
t_eq "UMLDIR made root's, 0755" "root 755" "$(stat -c '%U %a' "$T_TMP/fresh")"
t_ok "the image is there" test -s "$T_TMP/fresh/$g/root.loop"

# --- from a tarball, and empty -------------------------------------------------
next
t_exit 0 "from a tarball: create exits 0" t_umlctl create -u "$T_USER" -s 64M "$g" "$T_TMP/tree.tar.gz"
t_nomatch "not on a terminal: no steps" "unpacking|making the|s\] " "$t_out"
t_conf_add "$g" KERNEL="$REALKERNEL" CONSOLE_LOG="$T_LOGDIR/$g.log"
t_exit 0 "from a tarball: check exits 0" t_umlctl check "$g"
t_nomatch "from a tarball: no warning about the guest" "warning: in " "$t_out"
t_eq "from a tarball: owner, group and mode kept" "1234 5678 04750" \
	"$(owner "$T_UMLDIR/$g/root.loop" /home/u/file)"
# On a terminal (script(1)'s pty), each step with its elapsed time.
next
t_ok "on a terminal: create exits 0" script -qec "$UMLCTL -c $T_CONF create -u $T_USER -s 64M -w 16M $g $T_TMP/tree.tar.gz" /dev/null
for s in "unpacking the tarball" "preparing the tree for UML" "making the root disk" \
	"making the swap disk" "writing its service" "done"; do
	t_match "on a terminal: $s" "^\[ *[0-9]+\.[0-9] s\] $g: $s" "$(printf '%s\n' "$t_out" | tr -d '\r')"
done
t_eq "on a terminal: the steps in order, the times rising" "$(printf '%s\n' "$t_out" |
	sed -n 's/^\[ *\([0-9.]*\) s\].*/\1/p' | sort -n)" \
	"$(printf '%s\n' "$t_out" | sed -n 's/^\[ *\([0-9.]*\) s\].*/\1/p')"
t_has "on a terminal: the created line last" "$g: created" "$t_out"
next
t_exit 0 "empty: create exits 0" t_umlctl create -u "$T_USER" -s 64M "$g"
t_eq "empty: an ext4 disk" ext4 "$(blkid -o value -s TYPE "$T_UMLDIR/$g/root.loop")"
t_nomatch "empty: conf.d without READY=guest" READY "$(cat "$T_CONF/uml.$g")"
t_conf_add "$g" KERNEL="$REALKERNEL" CONSOLE_LOG="$T_LOGDIR/$g.log"
t_exit 2 "empty: check exits 2 (cannot boot)" t_umlctl check "$g"
t_has "empty: check says there is no init" "no init in the image" "$t_out"

# --- over a base image -----------------------------------------------------------
next
mkdir -p "$T_TMP/base"
cp --sparse=always "$T_UMLDIR/$gd/root.loop" "$T_TMP/base/x.img"
chown root: "$T_TMP/base/x.img"
chmod 0644 "$T_TMP/base/x.img"
t_exit 0 "-b: create exits 0" t_umlctl create -u "$T_USER" -b "$T_TMP/base/x.img" "$g"
t_has "-b: says when the COW file is made" "is made at its first start" "$t_out"
t_has "-b: conf.d names BASE_IMAGE" "BASE_IMAGE=\"$T_TMP/base/x.img\"" "$(cat "$T_CONF/uml.$g")"
t_has "-b: Debian's MEMORY, as debian: guests get" 'MEMORY="256M"' "$(cat "$T_CONF/uml.$g")"
t_has "-b: Debian's START_TIMEOUT" 'START_TIMEOUT="180"' "$(cat "$T_CONF/uml.$g")"
t_eq "-b: the guest's directory is USER's (the kernel makes the COW file)" \
	"$T_USER" "$(stat -c %U "$T_UMLDIR/$g")"
t_ok "-b: no COW file yet" test ! -e "$T_UMLDIR/$g/root.cow"
next
t_exit 0 "-b -w: create exits 0" t_umlctl create -u "$T_USER" -b "$T_TMP/base/x.img" -w 8M "$g"
t_eq "-b -w: a swap disk too" swap "$(blkid -o value -s TYPE "$T_UMLDIR/$g/swap.loop")"
# A conf.d file written by hand with BASE_IMAGE, and no SOURCE: the same.
next
t_conf "$g" USER="$T_USER" BASE_IMAGE="$T_TMP/base/x.img"
t_exit 0 "conf.d with BASE_IMAGE, no SOURCE: create exits 0" t_umlctl create "$g"
t_has "... a guest over the base" "is made at its first start" "$t_out"
t_exit 2 "conf.d with BASE_IMAGE and a SOURCE: refused" t_umlctl create "$g" "$tree"
t_has "... says why" "BASE_IMAGE is set in" "$t_out"
t_done
