#!/bin/sh
# demo.sh: a tiny busybox guest run as an OpenRC service, on a fresh
# Debian 12 machine, as root:  sh demo.sh
#
# Installs the dependencies and umlctl (PREFIX=/usr/local), creates the
# system user umldemo, builds /var/lib/uml/demo/root.loop, configures the
# service uml.demo, then starts it, asks it for its state and its kernel
# version, shows its console and stops it.  The guest has no network.
# Safe to run again.
set -eu

cd "$(dirname "$0")"
prefix=/usr/local
guest=/var/lib/uml/demo

if [ "$(id -u)" -ne 0 ]; then
	echo "demo.sh: run as root: sudo sh demo.sh" >&2
	exit 1
fi

# Show a command the way a user would type it, then run it.
run()
{
	printf '\n# %s\n' "$*"
	"$@"
}

sh tests/deps.sh
make -s
make -s install PREFIX="$prefix"

id -u umldemo >/dev/null 2>&1 ||
	useradd --system --no-create-home --home-dir /nonexistent \
		--shell /usr/sbin/nologin umldemo

# A second run restarts the guest from scratch.
rc-service --ifstarted uml.demo stop >/dev/null 2>&1 ||
	rc-service uml.demo zap >/dev/null 2>&1 || true

# The guest: Debian's static busybox on a small ext2 image (tests/tools/mkguest.sh)
# whose init says hello, and powers off on ctrl-alt-del, which is how
# umlctl asks a guest to stop.
mkdir -p "$guest"
if [ ! -f "$guest/root.loop" ]; then
	sh tests/tools/mkguest.sh "$guest/root.loop.new"
	mv "$guest/root.loop.new" "$guest/root.loop"
fi
chown umldemo: "$guest/root.loop"
chmod 0600 "$guest/root.loop"
# The distribution's kernel if it can run a guest on this CPU (before 6.13
# it cannot where the CPU has AMX), else one built from Debian's newest
# kernel source (`make kernel', a few minutes once, then cached).
if why=$(sh tests/tools/kprobe.sh /usr/bin/linux.uml); then
	kernel=/usr/bin/linux.uml
else
	echo "demo.sh: $why"
	echo "demo.sh: building a UML kernel with \`make kernel' instead"
	kernel=$(make -s kernel PREFIX="$prefix")
fi
echo "demo.sh: the guest's kernel is $kernel ($("$kernel" --version))"
ln -sfn "$kernel" "$guest/linux"

# The variables of the Gentoo UML primer; everything else is a default.
cat >/etc/conf.d/uml.demo <<'EOF'
# The demo guest of umlctl's demo.sh; see uml(8).
UMLDIR="/var/lib/uml"
USER="umldemo"
MEMORY="128MB"
NET=""
EOF
chmod 0644 /etc/conf.d/uml.demo
ln -sfn uml /etc/init.d/uml.demo
rc-update -u >/dev/null 2>&1 || true

log=/var/log/uml/demo.log
old=0
[ -f "$log" ] && old=$(wc -l <"$log")
run rc-service uml.demo start
run rc-service uml.demo status
run "$prefix/sbin/umlctl" mconsole demo version
# start returns when the kernel answers; give its init up to 10 s to greet.
i=0
while [ $i -lt 20 ] && ! tail -n +$((old + 1)) "$log" | grep -q 'guest: up'; do
	sleep 0.5
	i=$((i + 1))
done
run tail -n 8 "$log"
run rc-service uml.demo stop
run rc-service uml.demo status || echo "(exit status $?: stopped)"
run tail -n 3 "$log"
