#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# A start that fails half-way, after its taps are made, leaves none of them
# behind: a kernel that never answers (the fake kernel with fake.noready,
# START_TIMEOUT=2), a kernel that cannot be executed, and the real kernel
# exiting before it is ready (--version).  `ip monitor link' in the
# namespace shows each new tap made, on its bridge and up, then deleted;
# USER's tap that existed before is used and left in place.  Nothing changes
# in the root namespace.
# shellcheck source=SCRIPTDIR/lib.sh
. "${0%/*}/lib.sh"
t_init
t_need_umlctl
t_need_fake
[ -x "$REALKERNEL" ] || t_skip_all "$REALKERNEL missing"
t_rootns_save

ns=$(t_name a)
t_netns "$ns"
br=ab$$
t_bridge "$ns" "$br"
n1=an$$.1	# made by umlctl, on the bridge
n2=an$$.2	# made by umlctl, on no bridge
ex=ae$$		# USER's, made here
ip -n "$ns" tuntap add dev "$ex" mode tap user "$T_USER"
mon=$T_TMP/monitor
monpid=

# mon_start: `ip monitor link' of the namespace into $mon, once it listens:
# a marker link is made and deleted until the monitor shows it.
mon_start() {
	ip -n "$ns" monitor link >"$mon" 2>&1 &
	monpid=$!
	t_defer "kill $monpid"
	_i=0
	while ! grep -q "^Deleted [0-9]*: am$$:" "$mon"; do
		_i=$((_i + 1))
		[ "$_i" -le 50 ] || t_bail "ip monitor shows nothing"
		ip -n "$ns" link add "am$$" type bridge
		ip -n "$ns" link del "am$$"
		sleep 0.1
	done
}

# fresh: $ex as made (down, on no bridge), so that the monitor shows umlctl
# using it; then start the monitor.
fresh() {
	ip -n "$ns" link set "$ex" down nomaster
	mon_start
}

mon_stop() {
	kill "$monpid"
	wait "$monpid" 2>/dev/null
}

# aborted DESC: after a failed start of guest $g, recorded by the monitor.
aborted() {
	_m=$(cat "$mon")
	t_match "$1: $n1 was made, up, on $br" "^[0-9]+: $n1: <[^>]*[<,]UP[,>].* master $br " "$_m"
	t_match "$1: $n2 was made and up" "^[0-9]+: $n2: <[^>]*[<,]UP[,>]" "$_m"
	t_match "$1: $ex was used: up, on $br" "^[0-9]+: $ex: <[^>]*[<,]UP[,>].* master $br " "$_m"
	t_match "$1: $n1 was deleted" "^Deleted [0-9]+: $n1:" "$_m"
	t_match "$1: $n2 was deleted" "^Deleted [0-9]+: $n2:" "$_m"
	t_nomatch "$1: $ex was not deleted" "^Deleted [0-9]+: $ex:" "$_m"
	t_no_leftovers "$g" "$n1" "$n2"
	t_ok "$1: $ex is still there" ip -n "$ns" link show dev "$ex"
	t_eq "$1: $ex still belongs to $T_USER" "$(id -u "$T_USER")" \
		"$(ip netns exec "$ns" cat "/sys/class/net/$ex/owner")"
	t_exit 3 "$1: status says not running" t_umlctl status "$g"
}

net="NET=$n1 $n2 $ex"
bridges="BRIDGE_an${$}_1=$br BRIDGE_$ex=$br"

# 1. The kernel never answers on its mconsole.
g=$(t_name a1)
# shellcheck disable=SC2086 # $bridges is two words
# CONFINE=no: the record (fake.record) reads /proc/self and is written
# in $T_REC, both outside a Landlock domain; t-confine tests the domain.
t_fake_conf "$g" NETNS="$ns" "$net" $bridges START_TIMEOUT=2 CONFINE=no \
	KERNEL_ARGS="fake.record=$T_REC/$g fake.noready"
fresh
t_exit 1 "no answer: start exits 1 (timed out)" t_umlctl start "$g"
t_has "no answer: start says why" "did not answer on its mconsole within START_TIMEOUT (2 s)" "$t_out"
mon_stop
t_ok "no answer: the kernel ran" test -s "$T_REC/$g"
aborted "no answer"

# 2. The kernel cannot be executed.
g=$(t_name a2)
printf '\177ELF not a kernel\n' >"$T_TMP/badkernel"
chmod 0755 "$T_TMP/badkernel"
# shellcheck disable=SC2086
# KERNEL_CHECK=no: check would refuse a file with no release banner.
t_fake_conf "$g" NETNS="$ns" "$net" $bridges KERNEL="$T_TMP/badkernel" KERNEL_CHECK=no
fresh
t_exit 2 "no exec: start exits 2" t_umlctl start "$g"
t_has "no exec: start says the kernel did not start" "the kernel did not start" "$t_out"
t_has "no exec: the console log says why" "Exec format error" "$(t_console "$T_LOGDIR/$g.log")"
mon_stop
aborted "no exec"

# 3. The real kernel exits before it is ready.
g=$(t_name a3)
t_root_image "$g"
# shellcheck disable=SC2086
t_real_conf "$g" NETNS="$ns" "$net" $bridges KERNEL_ARGS=--version
fresh
t_exit 4 "real kernel exits at once: start exits 4" t_umlctl start "$g"
t_has "real kernel exits at once: start names the guest" "$g:" "$t_out"
t_has "real kernel exits at once: the kernel ran" "kernel $REALKERNEL started" \
	"$(t_console "$T_LOGDIR/$g.log")"
mon_stop
aborted "real kernel exits at once"

# The same guest with a proper kernel starts and stops cleanly afterwards.
# shellcheck disable=SC2086
t_real_conf "$g" NETNS="$ns" "$net" $bridges
t_exit 0 "afterwards: start exits 0" t_umlctl start "$g"
t_ok "afterwards: the guest is up" t_wait_log "$T_LOGDIR/$g.log" '^guest: up' 30
t_ok "afterwards: $n1 is on $br" sh -c "ip -n '$ns' link show dev '$n1' | grep -q 'master $br '"
t_exit 0 "afterwards: stop exits 0" t_umlctl stop "$g"
t_no_leftovers "$g" "$n1" "$n2"
t_ok "afterwards: $ex is still there" ip -n "$ns" link show dev "$ex"
t_rootns_same
t_done
