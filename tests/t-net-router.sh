#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# The primer's router: three NICs on three bridges (NET="uml0 uml1 uml2",
# BRIDGE_uml0="br0" ...; here with names unique to the test run), in a
# namespace of the test's own.  Each NIC is on its bridge and answers ping
# there; each has the MAC `umlctl show' announces (the explicit MAC_ where
# set, the derived one otherwise), the same after a restart and under
# OpenRC; every tap umlctl made is gone after each stop; nothing changes in
# the root namespace.
# shellcheck source=SCRIPTDIR/lib.sh
. "${0%/*}/lib.sh"
t_init
t_need_umlctl
[ -x "$REALKERNEL" ] || t_skip_all "$REALKERNEL missing"
command -v rc-service >/dev/null || t_skip_all "rc-service missing (apt-get install openrc)"
t_rootns_save

ns=$(t_name r)
t_netns "$ns"
g=$(t_name r)
log=$T_LOGDIR/$g.log
# uml0 uml1 uml2 on br0 br1 br2; 10.202.N.1 is the namespace's side of brN.
for i in 0 1 2; do
	t_bridge "$ns" "rb$$.$i" "10.202.$i.1/24"
done
u0=ru$$.0
u1=ru$$.1
u2=ru$$.2
# BRIDGE_ and MAC_ write a `.' in a tap's name as `_'.
v0=ru$$_0
v1=ru$$_1
v2=ru$$_2
t_root_image "$g" --net 'vec0=10.202.0.2/24 vec1=10.202.1.2/24 vec2=10.202.2.2/24'
t_real_conf "$g" NETNS="$ns" MEMORY=128MB NET="$u0 $u1 $u2" \
	"BRIDGE_$v0=rb$$.0" "BRIDGE_$v1=rb$$.1" "BRIDGE_$v2=rb$$.2" \
	"MAC_$v1=52:54:00:12:34:56"

# show_macs: `vecN MAC' for each NIC as `umlctl show' announces it.
show_macs() {
	"$UMLCTL" "$@" show "$g" |
		sed -n "s/^# NIC \([0-9]\): tap '[^']*' bridge '[^']*' mac \([0-9a-f:]*\).*/vec\1 \2/p"
}

# guest_macs: `vecN MAC' for each NIC as the guest saw it on its last boot.
guest_macs() {
	t_console "$log" | sed -n 's/^MAC \(vec[0-9]\) /\1 /p' | tail -n 3
}

# booted DESC: the guest is up, each tap is USER's, up and on its bridge,
# each NIC answers ping on its bridge, and has the announced MAC.
booted() {
	t_ok "$1: the guest is up" t_wait_log "$log" '^guest: up' 30
	for i in 0 1 2; do
		_t=ru$$.$i
		_l=$(ip -n "$ns" link show dev "$_t")
		t_match "$1: $_t is on bridge rb$$.$i" "master rb$$\\.$i " "$_l"
		t_match "$1: $_t is up" '[<,]UP[,>]' "$_l"
		t_eq "$1: $_t is root's (the fd transport)" 0 \
			"$(ip netns exec "$ns" cat "/sys/class/net/$_t/owner")"
		t_ok "$1: NIC $i answers ping on rb$$.$i" \
			ip netns exec "$ns" ping -c 1 -W 3 -I "rb$$.$i" "10.202.$i.2"
	done
	t_eq "$1: each NIC has the MAC umlctl show announces" "$macs" "$(guest_macs)"
}

# stopped DESC: no tap left in the namespace, the bridges untouched.
stopped() {
	for i in 0 1 2; do
		t_ok "$1: tap ru$$.$i is gone" sh -c "! ip -n '$ns' link show dev 'ru$$.$i' 2>/dev/null"
		t_ok "$1: bridge rb$$.$i is still there" ip -n "$ns" link show dev "rb$$.$i"
	done
	t_no_leftovers "$g" "$u0" "$u1" "$u2"
}

t_exit 0 "show exits 0" t_umlctl show "$g"
shown=$t_out
t_match "show: NIC 0 has a derived MAC" "^# NIC 0: tap '$u0' bridge 'rb$$\\.0' mac [0-9a-f:]{17} \\(derived\\)$" "$shown"
t_match "show: NIC 1 has MAC_$v1" "^# NIC 1: tap '$u1' bridge 'rb$$\\.1' mac 52:54:00:12:34:56$" "$shown"
t_match "show: NIC 2 has a derived MAC" "^# NIC 2: tap '$u2' bridge 'rb$$\\.2' mac [0-9a-f:]{17} \\(derived\\)$" "$shown"
macs=$(show_macs -c "$T_CONF")
t_log "MACs: $(printf '%s' "$macs" | tr '\n' ' ')"
m0=$(printf '%s\n' "$macs" | sed -n 's/^vec0 //p')
m2=$(printf '%s\n' "$macs" | sed -n 's/^vec2 //p')
for m in "$m0" "$m2"; do
	t_match "derived MAC $m is a locally administered unicast one" \
		'^[0-9a-f][26ae]:([0-9a-f]{2}:){4}[0-9a-f]{2}$' "$m"
done
t_ok "the derived MACs of NIC 0 and NIC 2 differ" test "$m0" != "$m2"
t_eq "show again: the same MACs" "$macs" "$(show_macs -c "$T_CONF")"
for i in 0 1 2; do
	m=$(printf '%s\n' "$macs" | sed -n "s/^vec$i //p")
	t_has "show: the kernel gets vec$i as fd $((i + 3)) (ru$$.$i) with its MAC" \
		"vec$i:transport=fd,fd=$((i + 3)),vec=0,mac=$m" "$shown"
done

t_ok "check passes" t_umlctl check "$g"
t_exit 0 "start exits 0" t_umlctl start "$g"
booted "first boot"
kp=$(t_kernel_pid "$g")
t_ok "the kernel process is found" test -n "$kp"
args=$(ps -o args= -p "$kp")
for i in 0 1 2; do
	m=$(printf '%s\n' "$macs" | sed -n "s/^vec$i //p")
	t_has "the kernel runs with vec$i as fd $((i + 3)), mac $m" \
		"vec$i:transport=fd,fd=$((i + 3)),vec=0,mac=$m" "$args"
done
t_exit 0 "stop exits 0" t_umlctl stop "$g"
stopped "after stop"

# A second boot by umlctl: the same MACs.
rm -f "$log"
t_exit 0 "start again exits 0" t_umlctl start "$g"
booted "second boot"
t_exit 0 "stop exits 0" t_umlctl stop "$g"
stopped "after the second stop"

# The same guest under OpenRC: the same MACs, and the same cleanup.
rm -f "$log"
t_rc_install "$g"
t_eq "show from /etc/conf.d: the same MACs" "$macs" "$(show_macs)"
t_ok "rc-service checkconfig passes" rc-service "uml.$g" checkconfig
t_exit 0 "rc-service start exits 0" rc-service "uml.$g" start
booted "under OpenRC"
# Its own taps are in use by itself: a check while it runs (what restart
# does first) must not count that against it (issue 15).
t_ok "check of the running guest passes" t_umlctl check "$g"
t_ok "rc-service checkconfig of the running guest passes" rc-service "uml.$g" checkconfig
rm -f "$log"
t_exit 0 "rc-service restart of a guest with NICs exits 0" rc-service "uml.$g" restart
booted "after rc-service restart"
t_exit 0 "rc-service status exits 0" rc-service "uml.$g" status
t_exit 0 "rc-service stop exits 0" rc-service "uml.$g" stop
t_exit 3 "rc-service status exits 3 after stop" rc-service "uml.$g" status
stopped "after rc-service stop"
t_rootns_same
t_done
