#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# NET_TRANSPORT: with tuntap the guest's NIC is eth0 (the legacy driver),
# with vector (the default) it is vec0; either way it has the announced MAC,
# is reachable from the namespace and reaches it, and its tap is gone after
# stop.  Nothing changes in the root namespace.
# shellcheck source=SCRIPTDIR/lib.sh
. "${0%/*}/lib.sh"
t_init
t_need_umlctl
[ -x "$REALKERNEL" ] || t_skip_all "$REALKERNEL missing"
# The legacy driver's help text is in the kernel exactly when it is built
# in (src/pure/kfacts.h); 6.16 removed it.
grep -qF 'eth[0-9]+=<transport>' "$REALKERNEL" ||
	t_skip_all "$REALKERNEL (Linux $("$REALKERNEL" --version)) has no legacy network transports (removed in 6.16)"
t_rootns_save

ns=$(t_name t)
t_netns "$ns"
br=tb$$
t_bridge "$ns" "$br" 10.203.0.1/24

# has_nic NAME NIC: 0 if guest NAME has interface NIC, 1 if not, 2 if the
# mconsole gives no answer; asked through the mconsole (`proc' of the
# guest's /proc/sys/net/ipv4/conf/NIC/forwarding; the guest's /proc/net
# cannot be read that way, and a guest's first `proc' answer may be empty).
# shellcheck disable=SC2317 # called through t_exit
has_nic() {
	_i=0
	while [ "$_i" -lt 20 ]; do
		_a=$(t_umlctl mconsole "$1" proc "sys/net/ipv4/conf/$2/forwarding" 2>&1)
		case $_a in
		*"Failed to open"*) return 1 ;;
		*[01]*) return 0 ;;
		esac
		_i=$((_i + 1))
		sleep 0.1
	done
	return 2
}

# one NAME TRANSPORT NIC ADDR OTHER: a guest on tap $NAME with NET_TRANSPORT,
# whose NIC must be NIC (with address ADDR) and not OTHER.
one() {
	_g=$(t_name "$1")
	_tap=tp$$$1
	_log=$T_LOGDIR/$_g.log
	t_root_image "$_g" --net "$3=$4/24" --ping 10.203.0.1
	t_real_conf "$_g" NETNS="$ns" NET="$_tap" "BRIDGE_$_tap=$br" NET_TRANSPORT="$2"
	t_exit 0 "$2: show exits 0" t_umlctl show "$_g"
	_mac=$(printf '%s\n' "$t_out" | sed -n "s/^# NIC 0: tap '$_tap' bridge '$br' mac \([0-9a-f:]*\) (derived)$/\1/p")
	t_match "$2: show announces a derived MAC" '^([0-9a-f]{2}:){5}[0-9a-f]{2}$' "$_mac"
	case $2 in
	tuntap) _arg="$3=tuntap,$_tap,$_mac" ;;
	*) _arg="$3:transport=tap,ifname=$_tap,mac=$_mac" ;;
	esac
	t_has "$2: the kernel's argv has $_arg" "$_arg" "$t_out"
	t_exit 0 "$2: start exits 0" t_umlctl start "$_g"
	t_ok "$2: the guest is up" t_wait_log "$_log" '^guest: up' 30
	t_eq "$2: the guest's NIC is $3, with the MAC from show" "MAC $3 $_mac" \
		"$(t_console "$_log" | grep '^MAC ')"
	t_exit 0 "$2: the guest has $3" has_nic "$_g" "$3"
	t_exit 1 "$2: the guest has no $5" has_nic "$_g" "$5"
	t_exit 1 "$2: the guest has no ${3%0}1 (one NIC only)" has_nic "$_g" "${3%0}1"
	_l=$(ip -n "$ns" link show dev "$_tap")
	t_match "$2: tap $_tap is on $br" "master $br " "$_l"
	t_match "$2: tap $_tap is up" '[<,]UP[,>]' "$_l"
	t_ok "$2: the guest answers ping from the namespace" \
		ip netns exec "$ns" ping -c 1 -W 3 "$4"
	t_ok "$2: the guest pinged the namespace" \
		t_wait_log "$_log" '^guest: (reached|cannot reach) 10\.203\.0\.1' 45
	t_match "$2: the guest reached 10.203.0.1" '^guest: reached 10\.203\.0\.1' \
		"$(t_console "$_log")"
	t_exit 0 "$2: stop exits 0" t_umlctl stop "$_g"
	t_no_leftovers "$_g" "$_tap"
}

one u tuntap eth0 10.203.0.2 vec0
one v vector vec0 10.203.0.3 eth0
t_ok "the bridge is still there" ip -n "$ns" link show dev "$br"
t_rootns_same
t_done
