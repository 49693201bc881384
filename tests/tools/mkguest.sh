#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# mkguest.sh: build a small busybox root image for the real UML kernel.
#
#   mkguest.sh IMAGE [--cad poweroff|ignore|reboot] [--net 'vec0=10.0.0.2/24 vec1'] [--ping IP] \
#       [--bounce] [--shell] [--write] [--hostfs] [--work PROG] [--size MIB] [--tree]
#
# --tree     IMAGE is a directory to fill with the guest's files (for
#            `umlctl create'), not an image; it must not exist.
# --cad      what the guest's init does on ctrl-alt-del (the mconsole `cad'):
#            poweroff (sync, remount / read-only, power off; the default),
#            ignore (nothing), reboot (reboot -f).
# --net      NICs to configure at boot: NIC[=ADDR/PREFIX], space-separated.
#            Each is brought up and announced as `MAC <nic> <addr>' on the
#            console.
# --odd-hostname  the hostname holds a quote, a backslash, an escape
#            sequence, control characters, a newline and a byte that is
#            not UTF-8 (guest-chosen text for the escaping tests), and the
#            console shows such bytes too.
# --shell    a root shell on the console (busybox init's ::respawn:-/bin/sh),
#            for `umlctl console'.
# --bounce   after the NICs are up, take each down and up again (the fd
#            transport's descriptor is closed at down and used again at up).
# --ping IP  (repeatable) after the NICs are up, ping IP from the guest in
#            the background, once a second for up to 20 tries, and say
#            `guest: reached IP' or `guest: cannot reach IP' on the console.
# --write    at boot, with periodic writeback turned off, write /data.txt
#            without sync, then say `guest: wrote /data.txt token=T' on the
#            console and `data-written' on /proc/mconsole.  The data reaches
#            the disk only if the guest is shut down properly.  T is the
#            value of token=T on the kernel command line (KERNEL_ARGS), or
#            "none".  t_data_expected in lib.sh prints what the file must hold.
# --hostfs  at boot, mount the hostfs share (HOSTFS) on /mnt/share as uml(8)
#            says, print `guest: hostfs read TEXT' (its file from-host),
#            write from-guest there (`guest: hostfs wrote'), then try to
#            get out of it: mount -o .. of it and a link the host put in
#            it (out, to the directory above), and a link the guest makes
#            itself there (hfout=DIR on the kernel command line: the
#            directory above, as the host names it), and read secret in
#            each: `guest: hostfs WAY: reached|refused' (WAY is dotdot,
#            hostlink, guestlink), and chmod udir above it (`guest: hostfs
#            chmod: reached|refused'), chmod 0640 its own from-guest
#            (`guest: hostfs chmod own: done|refused'), then `guest: hostfs
#            done'.
# --work PROG  put the static program PROG into the guest as /bin/gwork and,
#            after the guest has said `ready', run `/bin/gwork run SPEC'
#            with SPEC the value of gwork=SPEC on the kernel command line
#            (KERNEL_ARGS), its output on the console (tests/bench/gwork.c,
#            the benchmark's guest work); without gwork=, nothing runs.
# --records at boot, append numbered records to /records in the background,
#            each `rec R N PAD A B' line (R is round=R on the kernel command
#            line, N counts from 1, A B an Adler-like checksum of the rest),
#            and fsync each before saying `ack R N' on the console.  The
#            checker, tests/tools/reccheck.sh, uses the same records.awk.
#            recdelay=S on the kernel command line: S s between records.
#
# The console shows `guest: cpus N' (the CPUs the guest sees) and `guest:
# up' when the sysinit script is done, and the
# guest then writes `ready' to /proc/mconsole (an MC_NOTIFY_USER).
set -eu

usage() {
	echo "usage: mkguest.sh IMAGE [--cad poweroff|ignore|reboot] [--net 'NIC[=ADDR/N] ...'] [--ping IP] [--bounce] [--shell] [--odd-hostname] [--write] [--records] [--hostfs] [--work PROG] [--size MIB] [--tree]" >&2
	exit 100
}

[ $# -ge 1 ] || usage
image=$1
shift
cad=poweroff
net=
ping=
bounce=
shell=
write=no
records=no
hostfs=no
work=
odd=no
size=32
tree=no
while [ $# -gt 0 ]; do
	case $1 in
	--cad) [ $# -ge 2 ] || usage; cad=$2; shift 2 ;;
	--net) [ $# -ge 2 ] || usage; net=$2; shift 2 ;;
	--ping) [ $# -ge 2 ] || usage; ping="$ping $2"; shift 2 ;;
	--write) write=yes; shift ;;
	--hostfs) hostfs=yes; shift ;;
	--bounce) bounce=yes; shift ;;
	--shell) shell=yes; shift ;;
	--records) records=yes; shift ;;
	--work) [ $# -ge 2 ] || usage; work=$2; shift 2 ;;
	--odd-hostname) odd=yes; shift ;;
	--size) [ $# -ge 2 ] || usage; size=$2; shift 2 ;;
	--tree) tree=yes; shift ;;
	*) usage ;;
	esac
done
case $cad in
poweroff) cadline="::ctrlaltdel:/bin/sh -c 'sync; mount -o remount,ro /; poweroff -f'" ;;
ignore) cadline="::ctrlaltdel:/bin/true" ;;
reboot) cadline="::ctrlaltdel:/sbin/reboot -f" ;;
*) usage ;;
esac
case $size in
'' | *[!0-9]*) usage ;;
esac

busybox=/bin/busybox
[ -x "$busybox" ] || { echo "mkguest.sh: $busybox missing (apt-get install busybox-static)" >&2; exit 2; }
# A dynamically linked busybox would not run in the guest.
if ! "$busybox" --help 2>&1 | head -1 | grep -q BusyBox || ldd "$busybox" >/dev/null 2>&1; then
	echo "mkguest.sh: $busybox is not a static busybox (apt-get install busybox-static)" >&2
	exit 2
fi

if [ "$tree" = yes ]; then
	mkdir "$image"
	root=$image
else
	root=$(mktemp -d /tmp/mkguest.XXXXXX)
	trap 'rm -rf "$root"' EXIT INT TERM
fi

mkdir -p "$root/bin" "$root/sbin" "$root/usr/bin" "$root/usr/sbin" "$root/etc" \
	"$root/dev" "$root/proc" "$root/sys" "$root/tmp" "$root/root"
chmod 1777 "$root/tmp"
chmod 0700 "$root/root"
cp "$busybox" "$root/bin/busybox"
if [ -n "$work" ]; then
	cp "$work" "$root/bin/gwork" && chmod 0755 "$root/bin/gwork"
fi
for applet in $("$busybox" --list-full); do
	[ "$applet" = bin/busybox ] && continue
	mkdir -p "$root/${applet%/*}"
	ln -sf /bin/busybox "$root/$applet"
done
mknod -m 0600 "$root/dev/console" c 5 1
mknod -m 0666 "$root/dev/null" c 1 3

cat >"$root/etc/inittab" <<EOF
::sysinit:/etc/rc
$cadline
::shutdown:/bin/sh -c 'sync; mount -o remount,ro /'
EOF
if [ "$shell" = yes ]; then
	echo '::respawn:-/bin/sh' >>"$root/etc/inittab"
fi

{
	echo '#!/bin/sh'
	echo 'export PATH=/sbin:/bin:/usr/sbin:/usr/bin'
	echo 'mount -t proc proc /proc'
	echo 'mount -o remount,rw /'
	echo 'mount -t sysfs sysfs /sys'
	echo 'mount -t tmpfs tmpfs /tmp'
	if [ "$odd" = yes ]; then
		# printf, not echo: dash's echo would turn the escapes into bytes.
		# shellcheck disable=SC2016 # the guest's shell expands it
		printf '%s\n' 'hostname "$(printf '"'"'odd\042\134\033[31m\001\011\377\012x'"'"')"' \
			'printf '"'"'guest: odd \033[2J\042\134\001\377\n'"'"''
	else
		echo 'hostname guest'
	fi
	echo 'echo "guest: sysinit"'
	for nic in $net; do
		n=${nic%%=*}
		echo "ip link set $n up"
		case $nic in
		*=*) echo "ip addr add ${nic#*=} dev $n" ;;
		esac
		echo "echo \"MAC $n \$(cat /sys/class/net/$n/address)\""
	done
	if [ "$bounce" = yes ]; then
		for nic in $net; do
			echo "ip link set ${nic%%=*} down && ip link set ${nic%%=*} up &&" \
				"echo 'guest: bounced ${nic%%=*}'"
		done
	fi
	if [ "$write" = yes ]; then
		echo '/etc/write.sh'
	fi
	if [ "$records" = yes ]; then
		echo '/etc/records.sh &'
	fi
	if [ "$hostfs" = yes ]; then
		echo '/etc/hostfs.sh'
	fi
	for ip in $ping; do
		case $ip in
		*[!0-9.]*) usage ;;
		esac
		echo "(i=0; while [ \$i -lt 20 ]; do ping -c 1 -W 1 $ip >/dev/null 2>&1 &&" \
			"{ echo 'guest: reached $ip'; exit 0; }; i=\$((i + 1)); sleep 1; done;" \
			"echo 'guest: cannot reach $ip') &"
	done
	# shellcheck disable=SC2016 # expanded in the guest
	echo 'echo "guest: cpus $(grep -c ^processor /proc/cpuinfo)"'
	echo 'echo "guest: up"'
	echo '[ -e /proc/mconsole ] && echo ready >/proc/mconsole'
	if [ -n "$work" ]; then
		# shellcheck disable=SC2016 # expanded in the guest
		echo '[ -z "${gwork:-}" ] || /bin/gwork run "$gwork" &'
	fi
	echo 'exit 0'
} >"$root/etc/rc"

# Keep in step with t_data_expected in lib.sh.
cat >"$root/etc/write.sh" <<'EOF'
#!/bin/sh
# No periodic writeback: dirty pages stay in memory until a sync, an
# unmount or a remount read-only, so the test sees whether stop did one.
echo 0 >/proc/sys/vm/dirty_writeback_centisecs
t=${token:-none}
i=0
while [ $i -lt 2000 ]; do
	echo "data $t line $i"
	i=$((i + 1))
done >/data.txt
echo "guest: wrote /data.txt token=$t"
[ -e /proc/mconsole ] && echo data-written >/proc/mconsole
exit 0
EOF
cat >"$root/etc/hostfs.sh" <<'EOF'
#!/bin/sh
# The share, as uml(8) says: hostfs= (HOSTFS) is the root of the mount.
mkdir -p /mnt/share /mnt/dotdot /mnt/hostlink /mnt/guestlink
mount -t hostfs none /mnt/share || echo "guest: hostfs mount failed"
echo "guest: hostfs read $(cat /mnt/share/from-host 2>&1)"
echo "from the guest" >/mnt/share/from-guest && echo "guest: hostfs wrote"
# try WAY SUBDIR: mount the share's SUBDIR (hostfs appends it to its
# root on the host), then read secret there.
try() {
	if mount -t hostfs none "/mnt/$1" -o "$2" 2>/dev/null &&
		cat "/mnt/$1/secret" >/dev/null 2>&1; then
		echo "guest: hostfs $1: reached"
	else
		echo "guest: hostfs $1: refused"
	fi
}
try dotdot ..
# A mode changed by path (set_attr's chmod: the guest never opened udir).
if chmod 0700 /mnt/dotdot/udir 2>/dev/null; then
	echo "guest: hostfs chmod: reached"
else
	echo "guest: hostfs chmod: refused"
fi
# In the share too: hostfs keeps no descriptor of a closed file.
if chmod 0640 /mnt/share/from-guest 2>/dev/null; then
	echo "guest: hostfs chmod own: done"
else
	echo "guest: hostfs chmod own: refused"
fi
try hostlink out/
ln -s "${hfout:-/nonexistent}" /mnt/share/mine 2>/dev/null
try guestlink mine/
echo "guest: hostfs done"
exit 0
EOF
chmod 0755 "$root/etc/rc" "$root/etc/write.sh" "$root/etc/hostfs.sh"
if [ "$records" = yes ]; then
	# /records exists from the start, so that no directory entry needs a
	# sync.  The format is tests/tools/records.awk's, which t-records.sh checks.
	: >"$root/records"
	{
		cat "${0%/*}/records.awk"
		cat <<'EOF'
BEGIN {
	for (n = 1; n <= 100000; n++) {
		body = record(r, n)
		print body " " cks(body) >>"/records"
		close("/records")
		if (system("sync /records") != 0) {
			print "records: sync failed"
			exit 1
		}
		print "ack " r " " n
		fflush()
		# recdelay=S on the kernel command line: a pause between records.
		if (d != "")
			system("sleep " d)
	}
}
EOF
	} >"$root/etc/records.awk"
	cat >"$root/etc/records.sh" <<'EOF'
#!/bin/sh
exec awk -v r="${round:-0}" -v d="${recdelay:-}" -f /etc/records.awk
EOF
	chmod 0755 "$root/etc/records.sh"
fi

[ "$tree" = no ] || exit 0
rm -f "$image"
dd if=/dev/zero of="$image" bs=1M count=0 seek="$size" 2>/dev/null
mke2fs -q -t ext2 -F -d "$root" "$image"
