#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# deps.sh [--list] [run] [build] [kernel] [test]: install, on Debian
# (apt-get), what running umlctl needs, what building it needs, what
# building a UML kernel (`make kernel') needs beyond that, and what the
# tests need (the kernel group's too: they build one); without a group,
# all four (what CI and `make check' need).  run also prepares OpenRC's
# state directory; test also builds the UML kernel the tests run (`make
# test-kernel', cached under /var/cache/umlctl).  --list prints the
# packages of the groups and does nothing else.  Idempotent: it does not
# touch apt when everything is installed already.
set -eu

# Running: OpenRC, the network and disk tools, a UML kernel, mmdebstrap
# for `create debian:SUITE'; busybox-static and util-linux (setpriv,
# setarch) for tests/tools/kprobe.sh, which tells whether that kernel can
# run a guest here; openssh-client (ssh-keygen, ssh) for the way into a
# guest made with `create --ssh-key' (README.md).
run_pkgs="openrc iproute2 e2fsprogs user-mode-linux mmdebstrap busybox-static
util-linux logrotate openssh-client"
# Building umlctl.
build_pkgs="build-essential make pkg-config libcap-dev libseccomp-dev libmnl-dev
libext2fs-dev"
# Building a UML kernel with `make kernel' (kernel/build.sh), beyond the
# build group: only where Debian's cannot run guests, and for the tests.
kernel_pkgs="flex bison bc xz-utils patch"
# The tests: unit tests, sanitizers and fuzzers, linters, the .deb, and the
# tools the integration tests drive (xfsprogs: t-backup's reflink case).
test_pkgs="clang libclang-rt-14-dev libcmocka-dev valgrind shellcheck mandoc
strace uml-utilities iputils-ping debhelper lintian git jq
prometheus-node-exporter prometheus curl ansible-core openssl acl xfsprogs"

list=
groups=
for a in "$@"; do
	case $a in
	--list) list=1 ;;
	run | build | kernel | test) groups="$groups $a" ;;
	*)
		echo "usage: deps.sh [--list] [run] [build] [kernel] [test]" >&2
		exit 100
		;;
	esac
done
[ -n "$groups" ] || groups="run build kernel test"

pkgs=
for g in $groups; do
	case $g in
	run) more=$run_pkgs ;;
	build) more=$build_pkgs ;;
	kernel) more=$kernel_pkgs ;;
	test) more="$kernel_pkgs $test_pkgs" ;;
	esac
	for p in $more; do
		case " $pkgs " in
		*" $p "*) ;;
		*) pkgs="$pkgs $p" ;;
		esac
	done
done
if [ -n "$list" ]; then
	# shellcheck disable=SC2086 # $pkgs is a list of package names
	printf '%s\n' $pkgs
	exit 0
fi

missing=
if command -v dpkg-query >/dev/null 2>&1; then
	for p in $pkgs; do
		case $(dpkg-query -W -f='${Status}' "$p" 2>/dev/null) in
		'install ok installed') ;;
		*) missing="$missing $p" ;;
		esac
	done
fi

if ! command -v apt-get >/dev/null 2>&1; then
	printf 'deps.sh: not Debian; install the equivalents of:\n%s\n' "$pkgs" >&2
elif [ -n "$missing" ]; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "deps.sh: missing:$missing; run as root to install them" >&2
		exit 1
	fi
	echo "deps.sh: installing$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get -qq update
	# shellcheck disable=SC2086 # $missing is a list of package names
	apt-get -qq -y install $missing >/dev/null
fi

case " $groups " in
*" run "*)
	# openrc is installed here but is not PID 1: rc-service refuses to run
	# until the state directory says a runlevel is up.
	if [ ! -e /run/openrc/softlevel ] && [ "$(id -u)" -eq 0 ]; then
		mkdir -p /run/openrc
		touch /run/openrc/softlevel
	fi
	;;
esac

case " $groups " in
*" test "*) ;;
*) exit 0 ;;
esac

# A guest's kernel opens /dev/net/tun itself, as its unprivileged user, to
# attach to its taps with NET_TRANSPORT="vector" or "tuntap", which the
# tests run too; the default fd transport needs no access to it (root
# opens the taps), so this is done for the test group only.
# Distributions make it 0666 (udev); some minimal or container hosts leave
# it 0600, and then such guests boot without network.
if [ -c /dev/net/tun ] && [ "$(id -u)" -eq 0 ] &&
	[ "$(stat -c %a /dev/net/tun)" != 666 ]; then
	echo "deps.sh: chmod 0666 /dev/net/tun (the usual default)"
	chmod 0666 /dev/net/tun
fi

# The distribution's UML kernel runs guests only on some hosts (before 6.13
# it cannot on CPUs with AMX); the kernel built here runs on all of them.
# The tests use the built one, and the distribution's too where it works.
if [ "$(id -u)" -eq 0 ] && [ -x /usr/bin/linux.uml ]; then
	if why=$(sh "$(dirname "$0")/tools/kprobe.sh" /usr/bin/linux.uml); then
		echo "deps.sh: /usr/bin/linux.uml ($(/usr/bin/linux.uml --version)) runs guests here"
	else
		echo "deps.sh: $why"
	fi
fi
if [ "$(id -u)" -eq 0 ]; then
	echo "deps.sh: the tests' UML kernel (make test-kernel; minutes the first time)"
	make -s -C "$(dirname "$0")/.." test-kernel
fi
