#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Network problems are refused before anything is done: a tap that belongs
# to someone else or to nobody, an interface named in NET that is not a tap
# (a veth, a layer 3 tun device), a missing bridge, a BRIDGE_ naming
# something that is not a bridge, a NETNS that does not exist.  `check' and
# `start' both exit 2 with a message naming the variable and the interface,
# and change nothing: the namespace's links (`ip -d link') are the same
# before and after, no tap is made, no process runs, there is no /run/uml
# entry and no console log; nothing changes in the root namespace.
# shellcheck source=SCRIPTDIR/lib.sh
. "${0%/*}/lib.sh"
t_init
t_need_umlctl
[ -x "$REALKERNEL" ] || t_skip_all "$REALKERNEL missing"
t_rootns_save

ns=$(t_name f)
t_netns "$ns"
uid=$(id -u "$T_USER")
uid2=$(id -u "$T_USER2")
# The namespace: a bridge, a veth pair, and existing devices of each kind.
br=fb$$
t_bridge "$ns" "$br"
ip -n "$ns" link add "fv$$a" type veth peer name "fv$$b"
ip -n "$ns" tuntap add dev "ff$$" mode tap user "$T_USER2"	# foreign
ip -n "$ns" tuntap add dev "fo$$" mode tap			# nobody's
ip -n "$ns" tuntap add dev "fl$$" mode tun user "$T_USER"	# layer 3
ip -n "$ns" tuntap add dev "fu$$" mode tap user "$T_USER"	# good
# The kernel lets USER attach only if a set owner is USER and a set group
# one of USER's groups (tun_not_capable() in drivers/net/tun.c).
ip -n "$ns" tuntap add dev "fg$$" mode tap user "$T_USER" group nogroup	# USER's, foreign group
ip -n "$ns" tuntap add dev "fq$$" mode tap group nogroup	# only a foreign group
ip -n "$ns" tuntap add dev "fk$$" mode tap group "$T_GROUP"	# only a group of USER's
ip -n "$ns" link set "ff$$" master "$br"
ip -n "$ns" link set "ff$$" up
# The bridge loses its carrier (a port without one) a moment later.
t_wait 5 sh -c "ip -n '$ns' link show dev '$br' | grep -q NO-CARRIER" ||
	t_bail "bridge $br: no NO-CARRIER"
new=fn$$	# a tap that does not exist: it must not be made either

# One image for every guest; nothing boots.
img=$(t_name f0)
t_root_image "$img"
n=0

# refused DESC 'NEEDLE|NEEDLE...' VAR=VALUE...: a guest with these settings
# (after NETNS=$ns) is refused by check and by start, each exiting 2 with a
# message holding every NEEDLE, and nothing changes.
refused() {
	_d=$1
	_needles=$2
	shift 2
	n=$((n + 1))
	_g=$(t_name "f$n")
	t_real_conf "$_g" ROOT="$T_UMLDIR/$img/root.loop" NETNS="$ns" "$@"
	_before=$(t_links "$ns")
	set -f
	_ifs=$IFS
	IFS='|'
	# shellcheck disable=SC2086 # split on |
	set -- $_needles
	IFS=$_ifs
	set +f
	for _cmd in check start; do
		t_exit 2 "$_d: $_cmd exits 2" t_umlctl "$_cmd" "$_g"
		t_log "$_d: $_cmd: $t_out"
		for _s in "$@"; do
			t_has "$_d: $_cmd names $_s" "$_s" "$t_out"
		done
		t_eq "$_d: $_cmd: the links in $ns are unchanged" "$_before" "$(t_links "$ns")"
	done
	t_ok "$_d: no tap $new" sh -c "! ip -n '$ns' link show dev '$new' 2>/dev/null"
	t_nothing_done "$_d" "$_g"
	t_guest_cleanup "$_g" >/dev/null 2>&1
}

# The baseline: USER's existing tap and a new one, both on the bridge.
# check passes and makes nothing either.
g=$(t_name f0)
t_real_conf "$g" ROOT="$T_UMLDIR/$img/root.loop" NETNS="$ns" NET="fu$$ $new" \
	"BRIDGE_fu$$=$br" "BRIDGE_$new=$br"
before=$(t_links "$ns")
t_ok "baseline: check passes" t_umlctl check "$g"
t_eq "baseline: check changes no link in $ns" "$before" "$(t_links "$ns")"
t_ok "baseline: check makes no tap $new" sh -c "! ip -n '$ns' link show dev '$new' 2>/dev/null"
t_ok "baseline: no /run/uml/$g" test ! -e "/run/uml/$g"
g2=$(t_name fk)
t_real_conf "$g2" ROOT="$T_UMLDIR/$img/root.loop" NETNS="$ns" NET="fk$$"
t_ok "a tap with only a group of USER's passes check (the kernel lets it attach)" \
	t_umlctl check "$g2"

# NET naming a tap that USER's kernel may not attach to, with the tap
# transport (the kernel attaches itself, as USER: the kernel's rule).
refused "NET: a tap owned by $T_USER2" "NET|\"ff$$\"|uid $uid2|uid $uid" \
	NET="ff$$" "BRIDGE_ff$$=$br" NET_TRANSPORT=vector
refused "NET: a tap owned by nobody" "NET|\"fo$$\"|has no owner or group" \
	NET="fo$$" "BRIDGE_fo$$=$br" NET_TRANSPORT=vector
refused "NET: USER's tap whose group USER is not in" \
	"NET|\"fg$$\"|which USER is not in|could not attach" NET="fg$$" \
	NET_TRANSPORT=vector
refused "NET: a tap with only a group USER is not in" \
	"NET|\"fq$$\"|which USER is not in" NET="fq$$" NET_TRANSPORT=vector
refused "NET: the second tap owned by $T_USER2 (the first is new)" "NET|\"ff$$\"" \
	NET="$new ff$$" "BRIDGE_$new=$br" NET_TRANSPORT=vector
# With the fd transport root attaches, which the kernel allows whoever
# owns the tap: the same taps pass.
for t in ff fo fg fq fk fu; do
	g2=$(t_name "fd$t")
	t_real_conf "$g2" ROOT="$T_UMLDIR/$img/root.loop" NETNS="$ns" NET="$t$$"
	t_ok "fd transport: tap $t$$ passes check (root attaches)" t_umlctl check "$g2"
done
# NET naming an interface that is not a tap.
refused "NET: a veth" "NET|\"fv${$}a\"|not a tap|veth" NET="fv${$}a"
refused "NET: a layer 3 tun device" "NET|\"fl$$\"|not a tap|tun" NET="fl$$"
refused "NET: a bridge" "NET|\"$br\"|not a tap|bridge" NET="$br"
# BRIDGE_ naming no bridge, or something else.
# Each names the namespace it looked in and the bridges there.
refused "BRIDGE_: missing, for a new tap" \
	"BRIDGE_$new|\"fx$$\"|no such bridge in network namespace \"$ns\", whose bridges are: $br" \
	NET="$new" "BRIDGE_$new=fx$$"
refused "BRIDGE_: missing, for USER's existing tap" "BRIDGE_fu$$|\"fx$$\"|no such bridge" \
	NET="fu$$" "BRIDGE_fu$$=fx$$"
refused "BRIDGE_: a veth" "BRIDGE_$new|\"fv${$}b\"|not a bridge (veth) in network namespace \"$ns\"|bridges are: $br" \
	NET="$new" "BRIDGE_$new=fv${$}b"
refused "BRIDGE_: a tap" "BRIDGE_$new|\"fu$$\"|not a bridge" \
	NET="$new" "BRIDGE_$new=fu$$"
refused "BRIDGE_: missing, for the second tap" "BRIDGE_fu$$|\"fx$$\"|no such bridge" \
	NET="$new fu$$" "BRIDGE_$new=$br" "BRIDGE_fu$$=fx$$"
# NETNS naming no namespace: nothing is made in the root namespace instead.
refused "NETNS: no such namespace" "NETNS|\"fz$$\"|no such network namespace in /run/netns, which has: " \
	NETNS="fz$$" NET="$new"
# What it lists is what /run/netns holds (this test's own among them).
t_real_conf "$(t_name fz)" ROOT="$T_UMLDIR/$img/root.loop" NETNS="fz$$" NET="$new"
t_exit 2 "NETNS: check of a mistyped NETNS exits 2" t_umlctl check "$(t_name fz)"
listed=$(printf '%s\n' "$t_out" | sed -n 's/.*which has: \(.*\) (a new one: .*/\1/p' | sed 's/, /\n/g')
t_ok "NETNS: the namespaces are listed" test -n "$listed"
for _n in $(printf '%s\n' "$listed" | grep -vx '\.\.\.'); do
	t_ok "NETNS: listed $_n is in /run/netns" test -e "/run/netns/$_n"
done
if [ "$(find /run/netns -mindepth 1 -maxdepth 1 -printf "%f, " | wc -c)" -lt 400 ]; then
	t_has "NETNS: this test's namespace is listed" "$ns" "$listed"
fi
t_guest_cleanup "$(t_name fz)" >/dev/null 2>&1
t_ok "NETNS: no tap $new in the root namespace" test ! -e "/sys/class/net/$new"

t_eq "the foreign tap still belongs to $T_USER2" "$uid2" \
	"$(ip netns exec "$ns" cat "/sys/class/net/ff$$/owner")"
t_rootns_same
t_done
