#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# `umlctl check' reads the guest's own files in its image (issue 10): one
# crafted image per problem gets its warning, naming the guest's file and
# the fix (exit 0: a warning is not a refusal); an image with no init
# cannot boot (exit 2); an image that is no ext file system is not read
# (a warning); an image prepared by `umlctl create' gets none.  The image
# is opened only by a process that became USER first (strace).
# shellcheck source=SCRIPTDIR/lib.sh
. "${0%/*}/lib.sh"
t_init
t_need_umlctl
t_need_fake

echo "UMLDIR=$(t_q "$T_UMLDIR")" >"$T_CONF/uml"
n=0

# image DESC [MKGUEST-OPTIONS...] -- EDIT: a guest $g whose image is
# mkguest.sh's tree with EDIT (sh, in the tree) applied.
image() {
	_d=$1
	shift
	_o=
	while [ "$1" != -- ]; do
		_o="$_o $1"
		shift
	done
	n=$((n + 1))
	g=$(t_name "k$n")
	rm -rf "$T_TMP/tree"
	# shellcheck disable=SC2086 # $_o holds mkguest options
	sh "$MKGUEST" "$T_TMP/tree" --tree $_o || t_bail "mkguest.sh"
	(cd "$T_TMP/tree" && sh -c "$2") || t_bail "$_d: edit"
	t_guest_dir "$g"
	truncate -s 64M "$T_UMLDIR/$g/root.loop"
	mke2fs -q -F -t ext4 -d "$T_TMP/tree" "$T_UMLDIR/$g/root.loop" || t_bail "mke2fs"
	chown "$T_USER:" "$T_UMLDIR/$g/root.loop"
	chmod 0600 "$T_UMLDIR/$g/root.loop"
	t_fake_conf "$g"
}

# warns DESC TEXT...: check $g exits 0 and warns with every TEXT.
warns() {
	_d=$1
	shift
	t_exit 0 "$_d: check exits 0 (a warning)" t_umlctl check "$g"
	t_has "$_d: the warning names the image" "$g: warning: in $T_UMLDIR/$g/root.loop: " "$t_out"
	for _t in "$@"; do
		t_has "$_d: says $_t" "$_t" "$t_out"
	done
}

# clean DESC: check $g exits 0 with no warning about the guest.
clean() {
	t_exit 0 "$1: check exits 0" t_umlctl check "$g"
	t_nomatch "$1: no warning about the guest" "warning: in |not checked" "$t_out"
}

image "busybox, console shell, cad powers off" --shell -- 'printf "/dev/ubda / ext4 defaults 0 1\n" >etc/fstab'
clean "a good busybox guest"

image "cad reboots" --shell --cad reboot -- :
warns "cad reboots" '/etc/inittab:2: ctrl-alt-del runs "/sbin/reboot -f", which does not power off' \
	"forces the guest down" "use /sbin/shutdown -h now (busybox: /sbin/poweroff)"

image "no ctrlaltdel line" --shell -- 'sed -i /ctrlaltdel/d etc/inittab'
warns "no ctrlaltdel line" "/etc/inittab has no ctrlaltdel line: ctrl-alt-del does nothing" \
	"ca:12345:ctrlaltdel:/sbin/shutdown -h now"

image "busybox without inittab" --shell -- 'rm etc/inittab'
warns "busybox without inittab" "/etc/inittab is missing: busybox init's built-in table reboots on ctrl-alt-del"

image "no getty" -- :
warns "no getty on the console" "/etc/inittab: no getty on the console" \
	"console::respawn:/sbin/getty 38400 console"

image "getty on tty1 only" -- 'echo "tty1::respawn:/sbin/getty 38400 tty1" >>etc/inittab'
warns "getty on tty1 only" "/etc/inittab: no getty on the console"

image "fstab root" --shell -- 'printf "# root\nLABEL=root / ext4 defaults 0 1\n" >etc/fstab'
warns "fstab root elsewhere" "/etc/fstab:2: / is mounted from LABEL=root, but the root disk is /dev/ubda" \
	"/dev/ubda / ext4 defaults 0 1"

image "swap line, no swap disk" --shell -- 'printf "/dev/ubda / ext4 defaults 0 1\n/dev/ubdb none swap sw 0 0\n" >etc/fstab'
warns "fstab swap without SWAP" "/etc/fstab:2: uses /dev/ubdb, but the guest has no swap disk (SWAP): its boot waits for it"
fallocate -l 8M "$T_UMLDIR/$g/swap.loop"
chown "$T_USER:" "$T_UMLDIR/$g/swap.loop"
clean "fstab swap with a swap disk"

image "sysrq off" --shell -- 'mkdir -p etc/sysctl.d usr/lib/sysctl.d
	echo "kernel.sysrq = 438" >usr/lib/sysctl.d/50-default.conf
	echo "kernel.sysrq = 0" >etc/sysctl.d/60-local.conf'
warns "sysrq off" "/etc/sysctl.d/60-local.conf:1: kernel.sysrq = 0 does not allow sync (16) and remount read-only (32)"

# A file name is the guest's text too: escaped, and no forged finding.
# shellcheck disable=SC2016 # the edit is expanded in the tree, by image()
image "a sysctl.d name with escapes" --shell -- 'mkdir -p etc/sysctl.d
	printf "kernel.sysrq = 0\n" >"etc/sysctl.d/$(printf "a\nE \033[2J.conf")"'
t_exit 0 "escapes in a file name: check exits 0 (a warning, no forged error)" t_umlctl check "$g"
t_has "escapes in a file name: shown escaped" "/etc/sysctl.d/a?E ?[2J.conf:1: kernel.sysrq = 0" "$t_out"
t_nomatch "escapes in a file name: no raw ESC" "$(printf '\033')" "$t_out"

image "sysrq overridden by name" --shell -- 'mkdir -p etc/sysctl.d usr/lib/sysctl.d
	echo "kernel.sysrq = 0" >usr/lib/sysctl.d/50-default.conf
	echo "kernel.sysrq = 176" >etc/sysctl.d/50-default.conf'
clean "sysrq: /etc/sysctl.d's file of the same name wins"

image "systemd, reboot on cad, no console getty" -- 'rm -f sbin/init etc/inittab
	mkdir -p lib/systemd/system etc/systemd/system/getty.target.wants
	echo ELF >lib/systemd/systemd
	ln -s /lib/systemd/systemd sbin/init
	ln -s reboot.target lib/systemd/system/ctrl-alt-del.target
	ln -s /lib/systemd/system/getty@.service etc/systemd/system/getty.target.wants/getty@tty1.service'
warns "systemd" "/lib/systemd/system/ctrl-alt-del.target links to reboot.target" \
	"ln -sf /lib/systemd/system/poweroff.target /etc/systemd/system/ctrl-alt-del.target" \
	"/etc/systemd/system: no getty on the console (console-getty.service is not enabled)"

image "no init" -- 'rm -f sbin/init bin/sh etc/init bin/init'
t_exit 2 "no init: check exits 2" t_umlctl check "$g"
t_has "no init: says the guest cannot boot" "error: in $T_UMLDIR/$g/root.loop: no init in the image" "$t_out"
t_has "no init: and that is why check fails" "$g: the guest cannot boot" "$t_out"

image "init= names a missing file" --shell -- :
t_conf_add "$g" KERNEL_ARGS="init=/sbin/myinit fake.record=$T_REC/$g"
t_exit 2 "init= missing: check exits 2" t_umlctl check "$g"
t_has "init= missing: says which" "no /sbin/myinit in the image (KERNEL_ARGS has init=/sbin/myinit)" "$t_out"

n=$((n + 1))
g=$(t_name "k$n")
t_root_dummy "$g"
head -c 1M /dev/urandom >"$T_UMLDIR/$g/root.loop"
t_fake_conf "$g"
t_exit 0 "garbage image: check exits 0" t_umlctl check "$g"
t_has "garbage image: not read, and says so" "not an ext2/3/4 file system umlctl can read" "$t_out"

# Prepared by create: no warning (the tree above, as a busybox guest).
rm -rf "$T_TMP/tree"
sh "$MKGUEST" "$T_TMP/tree" --tree || t_bail "mkguest.sh"
n=$((n + 1))
g=$(t_name "k$n")
t_exit 0 "create: exits 0" t_umlctl create -u "$T_USER" -k "$T_FAKE" -s 64M "$g" "$T_TMP/tree"
t_defer "t_guest_cleanup $g"
t_conf_add "$g" CONSOLE_LOG="$T_LOGDIR/$g.log"
clean "prepared by create"

# Who opens the image: a process that set its uid to USER's before.
uid=$(id -u "$T_USER")
strace -f -qq -o "$T_TMP/strace" -e trace=setsid,setuid,setresuid,setreuid,openat \
	"$UMLCTL" -c "$T_CONF" check "$g" >/dev/null 2>&1
t_eq "the image is opened only after setsid and a setuid to USER, in that process" "ok" \
	"$(awk -v img="$T_UMLDIR/$g/root.loop" -v uid="$uid" '
		/setsid\(/ { sess[$1] = 1 }
		/set(res|re)?uid\(/ && index($0, "(" uid ",") || index($0, "(" uid ")") { user[$1] = 1 }
		/openat\(/ && index($0, "\"" img "\"") { n++; if (!user[$1] || !sess[$1]) bad++ }
		END { print (n > 0 && !bad) ? "ok" : "opened " n " times, " bad + 0 " as root or in root'"'"'s session" }' "$T_TMP/strace")"
t_done
