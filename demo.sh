#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# demo.sh: a Debian 12 guest run as an OpenRC service, on a fresh Debian
# 12 machine, as root:  sh demo.sh
#
# Installs what running and building umlctl need (tests/deps.sh run
# build: no test tools, no kernel build tools) and umlctl
# (PREFIX=/usr/local), creates the system user umldemo, makes the guest
# with `umlctl create demo debian:bookworm' (its disk
# /var/lib/uml/demo/root.loop, prepared for UML, and the service
# uml.demo), then starts it (rc-service returns once systemd in the guest
# says it is up), asks it for its state and its kernel version, shows its
# console and stops it.  The guest has no network.  Safe to run again: the
# guest is made once.  It builds a UML kernel only when Debian's cannot
# run a guest here (tests/tools/kprobe.sh), and only then installs what
# that build needs (tests/deps.sh kernel).
#
# DEMO_PLAN=1 sh demo.sh only says what it would install and which kernel
# the guest would get, and changes nothing; tests/t-demo.sh checks that and
# runs the whole of it with stand-ins for apt-get, make, useradd,
# rc-service and umlctl.
set -eu

cd "$(dirname "$0")"
prefix=/usr/local
guest=/var/lib/uml/demo

if [ "$(id -u)" -ne 0 ]; then
	echo "demo.sh: run as root: sh demo.sh" >&2
	exit 1
fi
deps="run build"

# The distribution's kernel if it can run a guest on this CPU (before 6.13
# it cannot where the CPU has AMX), else none: then `make kernel' builds
# one from Debian's newest kernel source (a few minutes once, then cached).
debian_kernel()
{
	[ -x /usr/bin/linux.uml ] && why=$(sh tests/tools/kprobe.sh /usr/bin/linux.uml)
}

if [ -n "${DEMO_PLAN:-}" ]; then
	# shellcheck disable=SC2086 # $deps is a list of groups
	echo "demo.sh: would install: $(sh tests/deps.sh --list $deps | tr '\n' ' ')"
	if debian_kernel; then
		echo "demo.sh: kernel: /usr/bin/linux.uml (no kernel build)"
	else
		echo "demo.sh: kernel: make kernel (a build: ${why:-no /usr/bin/linux.uml})"
		echo "demo.sh: would install for it: $(sh tests/deps.sh --list kernel | tr '\n' ' ')"
	fi
	exit 0
fi

# Show a command the way a user would type it, then run it.
run()
{
	printf '\n# %s\n' "$*"
	"$@"
}

# shellcheck disable=SC2086 # $deps is a list of groups
sh tests/deps.sh $deps
make -s
make -s install PREFIX="$prefix"

id -u umldemo >/dev/null 2>&1 ||
	useradd --system --no-create-home --home-dir /nonexistent \
		--shell /usr/sbin/nologin umldemo

# A second run restarts the guest from scratch.
rc-service --ifstarted uml.demo stop >/dev/null 2>&1 ||
	rc-service uml.demo zap >/dev/null 2>&1 || true

why=
if debian_kernel; then
	kernel=/usr/bin/linux.uml
else
	echo "demo.sh: ${why:-no /usr/bin/linux.uml}"
	echo "demo.sh: building a UML kernel with \`make kernel' instead"
	sh tests/deps.sh kernel
	kernel=$(make -s kernel PREFIX="$prefix")
fi
echo "demo.sh: the guest's kernel is $kernel ($("$kernel" --version))"

# The guest: a minimal Debian 12 (mmdebstrap from this host's apt mirror),
# with its disk, its conf.d file and its service link, made once.  (An
# earlier demo's busybox guest, not made by create, is replaced.)
if ! grep -qs "made by \`umlctl create'" /etc/conf.d/uml.demo; then
	rm -f "$guest/root.loop"
fi
if [ ! -f "$guest/root.loop" ]; then
	rm -f /etc/conf.d/uml.demo /etc/init.d/uml.demo
	run "$prefix/sbin/umlctl" create -u umldemo -k "$kernel" demo debian:bookworm
fi
rc-update -u >/dev/null 2>&1 || true
run cat /etc/conf.d/uml.demo
run "$prefix/sbin/umlctl" check demo

log=/var/log/uml/demo.log
old=0
[ -f "$log" ] && old=$(wc -l <"$log")
run rc-service uml.demo start
run rc-service uml.demo status
run "$prefix/sbin/umlctl" mconsole demo version
run sh -c "tail -n +$((old + 1)) $log | grep -a -e 'Reached target' -e 'umlctl:' -e 'login:' | tail -n 8"
run rc-service uml.demo stop
run rc-service uml.demo status || echo "(exit status $?: stopped)"
run tail -n 3 "$log"
