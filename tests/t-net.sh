#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Networking with the real kernel, all inside a namespace of the test's own:
# taps created in NETNS, root's and not persistent (the fd transport,
# the default: root opens them, the kernel inherits the descriptors), on
# the bridge, removed at stop; the
# kernel runs in the namespace; MAC_ is honoured and the derived MAC is
# stable; the guests reach each other and the namespace's host side, and
# answer ping from the namespace; the kernel has no capabilities with its
# taps attached, and its fds are 0-2 and its tap; a tap that existed before
# is used and left in place (with the tap transport, NET_TRANSPORT=vector);
# nothing changes in the root namespace.
# shellcheck source=SCRIPTDIR/lib.sh
. "${0%/*}/lib.sh"
t_init
t_need_umlctl
[ -x "$REALKERNEL" ] || t_skip_all "$REALKERNEL missing"
t_rootns_save

ns=$(t_name n)
t_netns "$ns"
t_bridge "$ns" umltbr0 10.201.0.1/24

mac_of() {
	t_console "$T_LOGDIR/$1.log" | sed -n 's/^MAC vec0 //p' | tail -1
}

a=$(t_name a)
ta=ta$$
t_root_image "$a" --net 'vec0=10.201.0.2/24' --ping 10.201.0.3 --ping 10.201.0.1
t_real_conf "$a" NETNS="$ns" NET="$ta" "BRIDGE_$ta=umltbr0" "MAC_$ta=52:54:00:0a:0b:0c"
b=$(t_name b)
tb=tb$$
t_root_image "$b" --net 'vec0=10.201.0.3/24' --ping 10.201.0.2
t_real_conf "$b" NETNS="$ns" NET="$tb" "BRIDGE_$tb=umltbr0"

t_ok "check passes" t_umlctl check "$a"
t_exit 0 "a: start exits 0" t_umlctl start "$a"
t_exit 0 "b: start exits 0" t_umlctl start "$b"
t_ok "a: up" t_wait_log "$T_LOGDIR/$a.log" '^guest: up' 30
t_ok "b: up" t_wait_log "$T_LOGDIR/$b.log" '^guest: up' 30

for t in "$ta" "$tb"; do
	t_ok "$t: exists in the namespace" ip -n "$ns" link show dev "$t"
	t_match "$t: is on the bridge" 'master umltbr0' "$(ip -n "$ns" link show dev "$t")"
	t_match "$t: is up" '[<,]UP[,>]' "$(ip -n "$ns" link show dev "$t")"
	t_eq "$t: root's (only root can attach to it)" 0 \
		"$(ip netns exec "$ns" cat "/sys/class/net/$t/owner")"
	t_eq "$t: not persistent (it goes with the last descriptor)" 0 \
		"$(( $(ip netns exec "$ns" cat "/sys/class/net/$t/tun_flags") & 0x800 ))"
	t_ok "$t: not in the root namespace" test ! -e "/sys/class/net/$t"
done
t_eq "a: the guest has MAC_$ta" 52:54:00:0a:0b:0c "$(mac_of "$a")"
mb=$(mac_of "$b")
t_match "b: a derived, locally administered unicast MAC" \
	'^[0-9a-f][26ae]:([0-9a-f]{2}:){4}[0-9a-f]{2}$' "$mb"
kp=$(t_kernel_pid "$a")
t_eq "a: the kernel runs in NETNS" "$(ip netns exec "$ns" readlink /proc/self/ns/net)" \
	"$(readlink "/proc/$kp/ns/net")"
t_ok "a: answers ping in the namespace" ip netns exec "$ns" ping -c 1 -W 3 10.201.0.2
t_ok "b: answers ping in the namespace" ip netns exec "$ns" ping -c 1 -W 3 10.201.0.3
# Guest to guest, and guest to the namespace's address on the bridge.
t_ok "a: reaches b (guest to guest)" \
	t_wait_log "$T_LOGDIR/$a.log" '^guest: (reached|cannot reach) 10\.201\.0\.3' 45
t_match "a: reached b" '^guest: reached 10\.201\.0\.3' "$(t_console "$T_LOGDIR/$a.log")"
t_ok "a: reaches the bridge's address in the namespace" \
	t_wait_log "$T_LOGDIR/$a.log" '^guest: (reached|cannot reach) 10\.201\.0\.1' 45
t_match "a: reached 10.201.0.1" '^guest: reached 10\.201\.0\.1' "$(t_console "$T_LOGDIR/$a.log")"
t_ok "b: reaches a (guest to guest)" \
	t_wait_log "$T_LOGDIR/$b.log" '^guest: (reached|cannot reach) 10\.201\.0\.2' 45
t_match "b: reached a" '^guest: reached 10\.201\.0\.2' "$(t_console "$T_LOGDIR/$b.log")"
# The kernel is still unprivileged with its taps attached.
t_ok "a: the kernel process is found" test -n "$kp"
for c in CapInh CapPrm CapEff CapBnd CapAmb; do
	t_eq "a: kernel $c is 0 with a tap attached" 0000000000000000 "$(t_proc_status "$kp" "$c")"
done
t_eq "a: kernel NoNewPrivs is 1 with a tap attached" 1 "$(t_proc_status "$kp" NoNewPrivs)"
t_eq "a: kernel runs as $T_USER" "$T_USER" "$(ps -o user= -p "$kp" | tr -d ' ')"
caps=
pids=$(ps -o pid= -s "$kp")
t_ok "a: the kernel's session has processes" test -n "$pids"
t_log "a: the kernel's processes: $(printf '%s' "$pids" | tr '\n' ' ')"
for p in $pids; do
	caps="$caps$(awk '/^Cap(Inh|Prm|Eff|Bnd|Amb):/ && $2 != "0000000000000000" { print FILENAME, $0 }' \
		"/proc/$p/status" 2>/dev/null)"
done
t_eq "a: every process of the kernel has no capabilities" "" "$caps"
t_eq "a: the kernel holds one tap, as fd 3 (what it got at exec: t-net-fd)" 3 \
	"$(for f in /proc/"$kp"/fd/*; do [ "$(readlink "$f")" = /dev/net/tun ] && echo "${f##*/}"; done)"
t_match "a: the kernel is under a seccomp filter" '^2$' "$(t_proc_status "$kp" Seccomp)"

# A second start of a running guest is refused and leaves its tap alone.
t_exit 5 "a: start while running exits 5 (busy)" t_umlctl start "$a"
t_ok "a: its tap is still there" ip -n "$ns" link show dev "$ta"
t_match "a: and still on the bridge" 'master umltbr0' "$(ip -n "$ns" link show dev "$ta")"
t_ok "a: still answers ping" ip netns exec "$ns" ping -c 1 -W 3 10.201.0.2
t_eq "a: still the same kernel" "$kp" "$(t_kernel_pid "$a")"

# Another guest naming a's tap while a runs: refused, a keeps its NIC.
d=$(t_name d)
t_root_image "$d" --net vec0=10.201.0.9/24
t_real_conf "$d" NETNS="$ns" NET="$ta" "BRIDGE_$ta=umltbr0"
t_exit 2 "d: check of a tap in use by a exits 2" t_umlctl check "$d"
t_match "d: check says the tap is in use" "NET: tap \"$ta\" is in use" "$t_out"
t_exit 2 "d: start with a tap in use by a exits 2" t_umlctl start "$d"
t_match "d: start says the tap is in use" "NET: tap \"$ta\" is in use" "$t_out"
t_ok "d: no runtime directory" test ! -e "/run/uml/$d"
t_ok "a: still answers ping after d was refused" \
	ip netns exec "$ns" ping -c 1 -W 3 10.201.0.2

t_exit 0 "b: stop exits 0" t_umlctl stop "$b"
t_ok "b: its tap is removed" sh -c "! ip -n '$ns' link show dev '$tb' 2>/dev/null"
t_exit 0 "b: start again" t_umlctl start "$b"
t_ok "b: up again" t_wait_up "$b" 2
t_eq "b: the derived MAC is the same on the next boot" "$mb" "$(mac_of "$b")"
t_exit 0 "a: stop exits 0" t_umlctl stop "$a"
t_exit 0 "b: stop exits 0" t_umlctl stop "$b"
t_no_leftovers "$a" "$ta" "$tb"
t_ok "the bridge is still there" ip -n "$ns" link show dev umltbr0

# A tap that exists and is USER's: used, and left in place.
c=$(t_name c)
tc=tc$$
ip -n "$ns" tuntap add dev "$tc" mode tap user "$T_USER"
t_root_image "$c" --net 'vec0=10.201.0.4/24'
t_real_conf "$c" NETNS="$ns" NET="$tc" "BRIDGE_$tc=umltbr0" NET_TRANSPORT=vector
# strace without -f follows only the starter, which sets up the taps
# before it forks the supervisor (the kernel cannot run under ptrace).
t_exit 0 "c: start with an existing tap exits 0" \
	strace -o "$T_TMP/c1.st" -e trace=sendto "$UMLCTL" -c "$T_CONF" start "$c"
t_eq "c: the tap, down and in no bridge, is brought up in it: one RTM_NEWLINK" 1 \
	"$(grep -c 'nlmsg_type=\(RTM_NEWLINK\|0x10 \)' "$T_TMP/c1.st")"
t_ok "c: up" t_wait_log "$T_LOGDIR/$c.log" '^guest: up' 30
t_ok "c: answers ping in the namespace" ip netns exec "$ns" ping -c 1 -W 3 10.201.0.4
t_exit 0 "c: stop exits 0" t_umlctl stop "$c"
t_ok "c: the tap that existed before is left in place" ip -n "$ns" link show dev "$tc"
t_match "c: and stays up in the bridge" 'UP.*master umltbr0' \
	"$(ip -n "$ns" link show dev "$tc")"
# Already up in its bridge: umlctl changes nothing (one rtnl request fewer).
: >"$T_LOGDIR/$c.log"
t_exit 0 "c: start again with the tap up in the bridge exits 0" \
	strace -o "$T_TMP/c2.st" -e trace=sendto "$UMLCTL" -c "$T_CONF" start "$c"
t_ok "c: the starter was traced" grep -q 'sendto' "$T_TMP/c2.st"
t_eq "c: no RTM_NEWLINK for a tap up in its bridge" 0 \
	"$(grep -c 'nlmsg_type=\(RTM_NEWLINK\|0x10 \)' "$T_TMP/c2.st")"
t_ok "c: up again" t_wait_log "$T_LOGDIR/$c.log" '^guest: up' 30
t_ok "c: answers ping again" ip netns exec "$ns" ping -c 1 -W 3 10.201.0.4
t_exit 0 "c: stop again exits 0" t_umlctl stop "$c"
t_no_leftovers "$c"

# A tap with no owner and only a group of USER's: the kernel's rule lets
# USER's kernel attach (tun_not_capable), so check passes and the guest
# pings through it with the tap transport.
k=$(t_name k)
tk=tk$$
ip -n "$ns" tuntap add dev "$tk" mode tap group "$(id -gn "$T_USER")"
ip -n "$ns" link set "$tk" master umltbr0
t_root_image "$k" --net 'vec0=10.201.0.5/24' --ping 10.201.0.1
t_real_conf "$k" NETNS="$ns" NET="$tk" NET_TRANSPORT=vector
t_ok "k: a tap with only USER's group passes check" t_umlctl check "$k"
t_exit 0 "k: start" t_umlctl start "$k"
t_ok "k: pinged the bridge" t_wait_log "$T_LOGDIR/$k.log" '^guest: (reached|cannot reach) 10\.201\.0\.1' 45
t_match "k: reached it" '^guest: reached 10\.201\.0\.1' "$(t_console "$T_LOGDIR/$k.log")"
t_exit 0 "k: stop" t_umlctl stop "$k"
t_no_leftovers "$k"
t_rootns_same
t_done
