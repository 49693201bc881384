#!/bin/sh
# deps.sh: install what the build, the tests and the demo need, on Debian
# (apt-get), prepare OpenRC's state directory, and build the UML kernel
# the tests run (`make test-kernel', cached under /var/cache/umlctl).
# Idempotent: it does not touch apt when everything is installed already.
set -eu

pkgs="build-essential clang make pkg-config libcap-dev libseccomp-dev libmnl-dev libcmocka-dev
user-mode-linux uml-utilities openrc busybox-static iproute2 e2fsprogs
iputils-ping shellcheck mandoc strace valgrind libclang-rt-14-dev
flex bison bc xz-utils util-linux logrotate
debhelper lintian git libext2fs-dev mmdebstrap jq
prometheus-node-exporter prometheus curl ansible-core"

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

# openrc is installed here but is not PID 1: rc-service refuses to run until
# the state directory says a runlevel is up.
if [ ! -e /run/openrc/softlevel ] && [ "$(id -u)" -eq 0 ]; then
	mkdir -p /run/openrc
	touch /run/openrc/softlevel
fi

# A guest's kernel opens /dev/net/tun itself, as its unprivileged user, to
# attach to its taps.  Distributions make it 0666 (udev); some minimal or
# container hosts leave it 0600, and then guests boot without network.
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
