#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Derived MACs depend on the host (issue 27): two hosts are simulated by
# bind-mounting another machine-id over /etc/machine-id in a private mount
# namespace (unshare -m).  The same guest gets another MAC on the other
# host, the same one again on each host (show, and the argv a started
# kernel is given, twice), the hostname where no machine-id exists,
# MAC_SEED the same MAC on both, MAC_SEED="" the MAC of before (the
# name and index only), and MAC_<tap> is untouched.
# shellcheck source=SCRIPTDIR/lib.sh
. "${0%/*}/lib.sh"
t_init
t_need_umlctl
t_need_fake
command -v unshare >/dev/null || t_skip_all "no unshare (util-linux)"

g=router
t_guest_dir "$g"
printf '0123456789abcdef0123456789abcdef\n' >"$T_TMP/id-a"
printf 'fedcba9876543210fedcba9876543210\n' >"$T_TMP/id-b"
: >"$T_TMP/id-none"

# on ID [HOSTNAME] CMD...: CMD on a host whose /etc/machine-id is ID's
# file (and, with a HOSTNAME other than -, whose hostname is that).
on() {
	_id=$1
	_hn=$2
	shift 2
	# shellcheck disable=SC2016 # expanded by the inner sh
	unshare -m -u sh -c 'mount --bind "$1" /etc/machine-id || exit 99
		[ "$2" = - ] || hostname "$2"; shift 2; exec "$@"' \
		sh "$T_TMP/$_id" "$_hn" "$@"
}
# mac ID [HOSTNAME] [VAR=VALUE...]: the MAC `umlctl show' says uml0 gets.
mac() {
	_i=$1
	_h=$2
	shift 2
	t_fake_conf "$g" NET=uml0 "$@"
	on "$_i" "$_h" "$UMLCTL" -c "$T_CONF" show "$g" | sed -n 's/^MAC_uml0=//p' | tr -d "'"
}

a=$(mac id-a -)
b=$(mac id-b -)
t_match "show prints the MAC a guest will get" '^[0-9a-f]{2}(:[0-9a-f]{2}){5}$' "$a"
t_ok "another host, another MAC ($a, $b)" test "$a" != "$b"
t_eq "the same host, the same MAC" "$a" "$(mac id-a -)"
t_has "show says where it comes from" "MAC_SEED unset" \
	"$(on id-a - "$UMLCTL" -c "$T_CONF" show "$g")"
t_has "show marks it derived" "mac $a (derived)" "$(on id-a - "$UMLCTL" -c "$T_CONF" show "$g")"
h1=$(mac id-none uml-host-1)
h2=$(mac id-none uml-host-2)
t_ok "no machine-id: the hostname decides ($h1, $h2)" test "$h1" != "$h2"
t_eq "no machine-id: the same hostname, the same MAC" "$h1" "$(mac id-none uml-host-1)"
t_ok "no machine-id: not the MAC of a machine-id" test "$h1" != "$a"
s1=$(mac id-a - MAC_SEED=pair-1)
t_eq "MAC_SEED: the same MAC on both hosts" "$s1" "$(mac id-b - MAC_SEED=pair-1)"
t_ok "MAC_SEED: not the host's" test "$s1" != "$a"
# The derivation of before, for router's first NIC (unit/test_parse).
t_eq "MAC_SEED=\"\": the MAC of before, on any host" "e2:f0:38:f0:15:9b" "$(mac id-a - MAC_SEED=)"
t_eq "MAC_SEED=\"\": on the other host too" "e2:f0:38:f0:15:9b" "$(mac id-b - MAC_SEED=)"
t_eq "MAC_uml0 is kept" "52:54:00:12:34:56" "$(mac id-b - MAC_uml0=52:54:00:12:34:56)"
t_fake_conf "$g" NET=uml0 MAC_SEED="$(printf '%0200d' 0)"
t_exit 2 "MAC_SEED too long is refused" t_umlctl check "$g"
t_has "it says so" "MAC_SEED=\"000" "$t_out"

# What the kernel is given: started twice on host B, the MAC show said.
# (CONFINE=no: the fake kernel's record is outside its Landlock domain.)
ns=$(t_name n)
t_netns "$ns"
t_fake_conf "$g" NETNS="$ns" NET=uml0 CONFINE=no
for round in 1 2; do
	t_ok "host B, start $round" on id-b - "$UMLCTL" -c "$T_CONF" start "$g"
	t_has "host B, start $round: the kernel got $b" "mac=$b" \
		"$(cat "$T_REC/$g" 2>/dev/null)"
	t_ok "host B, stop $round" "$UMLCTL" -c "$T_CONF" stop "$g"
	rm -f "$T_REC/$g"
done
t_no_leftovers "$g" uml0

t_done
