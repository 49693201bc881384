#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Bad configuration and host state: `check' and `start' both exit 2 with a
# message naming the variable and the value, and do nothing: no process of
# the user, nothing under /run/uml, no console log, no tap.
# shellcheck source=SCRIPTDIR/lib.sh
. "${0%/*}/lib.sh"
t_init
t_need_umlctl
t_need_fake

ns=$(t_name n)
t_netns "$ns"
tap=tb$$
foreign_tap=
n=0

# A fresh guest name for each case.
next() {
	n=$((n + 1))
	g=$(t_name "x$n")
}

# base NAME [VAR=VALUE...]: a good fake-kernel guest with a tap in our
# namespace, then the overrides.
base() {
	_n=$1
	shift
	t_fake_conf "$_n" NETNS="$ns" NET="$tap" "$@"
}

nothing_done() {
	_d=$1
	_n=$2
	t_nothing_done "$_d" "$_n"
	if [ -z "$foreign_tap" ]; then
		t_ok "$_d: no tap" sh -c "! ip -n '$ns' link show dev '$tap' 2>/dev/null"
	fi
}

# bad DESC NAME VAR [VALUE]: check and start fail with 2, naming VAR (and
# VALUE if given), and do nothing.
bad() {
	_d=$1
	_n=$2
	for _cmd in check start; do
		t_exit 2 "$_d: $_cmd exits 2" t_umlctl "$_cmd" "$_n"
		[ "$_cmd" = start ] && t_log "$_d: $(printf '%s' "$t_out" | head -1)"
		t_has "$_d: $_cmd names $3" "$3" "$t_out"
		if [ $# -ge 4 ]; then
			t_has "$_d: $_cmd names the value" "$4" "$t_out"
		fi
	done
	nothing_done "$_d" "$_n"
	# If it did start something, undo it so that the next case starts clean.
	t_guest_cleanup "$_n" >/dev/null 2>&1
	rm -f "$T_LOGDIR/$_n.log"
	[ -n "$foreign_tap" ] || ip -n "$ns" link del "$tap" 2>/dev/null
}

# The baseline is good: every case below differs from it in one thing.
next
base "$g"
t_ok "baseline: check passes" t_umlctl check "$g"
t_exit 0 "baseline: start" t_umlctl start "$g"
t_ok "baseline: tap created in the namespace" ip -n "$ns" link show dev "$tap"
t_exit 0 "baseline: stop" t_umlctl stop "$g"
t_no_leftovers "$g" "$tap"
rm -f "$T_LOGDIR/$g.log"

# MEMORY
for v in '' 0 -1 '512 M' 1e3M 32M 2000G 99999999999999999999M 18446744073709551616K 128Q; do
	next
	base "$g" MEMORY="$v"
	if [ -n "$v" ]; then
		bad "MEMORY=\"$v\"" "$g" MEMORY "$v"
	else
		bad "MEMORY=\"\"" "$g" MEMORY
	fi
done

# USER
next
t_conf "$g" UMLDIR="$T_UMLDIR" KERNEL="$T_FAKE" CONSOLE_LOG="$T_LOGDIR/$g.log" \
	NETNS="$ns" NET="$tap"
t_root_dummy "$g"
for _cmd in check start; do
	t_exit 2 "USER missing, USER=root in the environment: $_cmd exits 2" \
		env USER=root LOGNAME=root "$UMLCTL" -c "$T_CONF" "$_cmd" "$g"
	t_has "USER missing: $_cmd names USER" USER "$t_out"
done
nothing_done "USER missing" "$g"
next
base "$g" USER=nosuchuser9
bad "USER unknown" "$g" USER nosuchuser9
next
base "$g" USER=root
bad "USER=root" "$g" USER root
next
base "$g" USER=
bad "USER empty" "$g" USER

# KERNEL
next
base "$g" KERNEL="$T_TMP/nonexistent/linux"
bad "KERNEL missing" "$g" KERNEL "$T_TMP/nonexistent/linux"
next
cp "$T_FAKE" "$T_TMP/noexec-kernel"
chmod 0644 "$T_TMP/noexec-kernel"
base "$g" KERNEL="$T_TMP/noexec-kernel"
bad "KERNEL not executable" "$g" KERNEL "$T_TMP/noexec-kernel"

# ROOT
next
base "$g" ROOT="$T_TMP/missing.img"
bad "ROOT missing" "$g" ROOT "$T_TMP/missing.img"
next
mkdir -p "$T_TMP/rootdir"
base "$g" ROOT="$T_TMP/rootdir"
bad "ROOT a directory" "$g" ROOT "$T_TMP/rootdir"
next
t_root_dummy "$g"
ln -s "$T_UMLDIR/$g/root.loop" "$T_TMP/root-link.img"
base "$g" ROOT="$T_TMP/root-link.img"
bad "ROOT a symlink" "$g" ROOT "$T_TMP/root-link.img"
next
t_root_dummy "$g"
chown root: "$T_UMLDIR/$g/root.loop"
chmod 0644 "$T_UMLDIR/$g/root.loop"
base "$g" ROOT="$T_UMLDIR/$g/root.loop"
bad "ROOT not writable by USER" "$g" ROOT "$T_UMLDIR/$g/root.loop"
for c in ',' ':'; do
	next
	f="$T_TMP/a${c}b.img"
	cp "$T_UMLDIR/$(t_name x1)/root.loop" "$f"
	chown "$T_USER:" "$f"
	chmod 0600 "$f"
	base "$g" ROOT="$f"
	bad "ROOT path with '$c'" "$g" ROOT "$f"
done

# CPUS and USERSPACE (their kernel and host refusals: t-kernel-facts).
next
base "$g" CPUS=2
bad "CPUS=2 without the seccomp userspace" "$g" CPUS 'USERSPACE="seccomp"'
for v in 0 65 two ''; do
	next
	base "$g" USERSPACE=seccomp CPUS="$v"
	bad "CPUS=\"$v\"" "$g" CPUS "CPUS=\"$v\""
done
next
base "$g" USERSPACE=auto
bad "USERSPACE=auto" "$g" USERSPACE auto
# The fake kernel's file has no SMP in its config text.
next
base "$g" USERSPACE=seccomp CPUS=2
bad "CPUS=2 on a kernel without SMP" "$g" CPUS "without SMP"

# MEMORY_DIR on a noexec mount: UML could not map its memory there.
next
t_mount_noexec "$T_TMP/noexec"
base "$g" MEMORY_DIR="$T_TMP/noexec"
bad "MEMORY_DIR noexec" "$g" MEMORY_DIR "$T_TMP/noexec"

# NET: a bridge that does not exist; a tap that exists and is someone else's.
next
base "$g" BRIDGE_"$tap"=nosuchbr0
bad "BRIDGE_$tap missing" "$g" nosuchbr0
next
t_ok "a tap owned by $T_USER2 is made" ip -n "$ns" tuntap add dev "$tap" mode tap user "$T_USER2"
base "$g" NET_TRANSPORT=vector
foreign_tap=1
bad "tap owned by $T_USER2 (NET_TRANSPORT=vector)" "$g" "$tap"
foreign_tap=
t_eq "the foreign tap still belongs to $T_USER2" "$(id -u "$T_USER2")" \
	"$(ip netns exec "$ns" cat "/sys/class/net/$tap/owner" 2>/dev/null)"
ip -n "$ns" link del "$tap"

# Instance names.
for name in 'a/b' '..' "t$$ x" "t$$;id" "t$$\$x" 't√' \
	"t$$-0123456789012345678901234567890123456789"; do
	# A non-ASCII name may be shown escaped; its ASCII prefix must be there.
	shown=$(printf '%s' "$name" | LC_ALL=C sed 's/[^ -~].*//')
	for cmd in check start; do
		t_exit 2 "name '$name': $cmd exits 2" t_umlctl "$cmd" "$name"
		t_has "name '$name': $cmd names it" "\"$shown" "$t_out"
	done
done
t_eq "bad names: no process of $T_USER" "" "$(t_user_procs "$T_USER")"
t_eq "bad names: nothing new under /run/uml" "" \
	"$(find /run/uml -maxdepth 1 -name "t$$*" 2>/dev/null | grep -v "t${$}x")"

t_done
