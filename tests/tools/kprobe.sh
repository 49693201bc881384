#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# kprobe.sh KERNEL: can KERNEL run a guest's programs on this host?  Boots
# a tiny busybox guest (mkguest.sh) with the kernel alone, as nobody, and
# waits up to 30 s for its init to say `guest: up'.  Prints `ok', or the
# reason with the console's telling line; exit status 0 or 1 (2: usage).
#
# A UML kernel older than 6.13 boots on a host with AMX, but the guest's
# first program dies ("ptrace set fp regs failed"): only a real boot
# shows whether a kernel fits the host it is on.
set -u

if [ $# -ne 1 ] || [ ! -x "$1" ]; then
	echo "usage: kprobe.sh KERNEL (an executable UML kernel)" >&2
	exit 2
fi
kernel=$1
here=$(cd "$(dirname "$0")" && pwd -P)
tmp=$(mktemp -d /tmp/kprobe.XXXXXX) || exit 1
pid=
# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
	# UML calls setsid(): its helpers are in the session it leads.
	[ -z "$pid" ] || { pkill -KILL -s "$pid"; kill -s KILL "$pid"; } 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

sh "$here/mkguest.sh" "$tmp/root.img" >"$tmp/mkguest.log" 2>&1 ||
	{ echo "kprobe: mkguest.sh failed: $(tail -n 1 "$tmp/mkguest.log")"; exit 1; }
chmod 0777 "$tmp"
chmod 0666 "$tmp/root.img"
# As umlctl runs it: unprivileged, without address randomization.
setpriv --reuid=nobody --regid=nogroup --clear-groups \
	setarch "$(uname -m)" -R "$kernel" mem=128M umid="kprobe$$" \
	uml_dir="$tmp" ubd0="$tmp/root.img" root=/dev/ubda con=null \
	con0=fd:0,fd:1 ssl=null </dev/null >"$tmp/console" 2>&1 &
pid=$!
i=0
while [ $i -lt 300 ]; do
	if grep -q '^guest: up' "$tmp/console" 2>/dev/null; then
		echo ok
		exit 0
	fi
	kill -0 "$pid" 2>/dev/null || break
	sleep 0.1
	i=$((i + 1))
done
why=$(tr -d '\r' <"$tmp/console" | grep -E 'ptrace set fp regs|panic|must be not mounted' | head -n 2 | tr '\n' ' ')
[ -n "$why" ] || why="no 'guest: up' on its console within 30 s"
echo "$kernel cannot run a guest here: $why"
exit 1
