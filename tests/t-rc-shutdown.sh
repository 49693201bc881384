#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Host shutdown under OpenRC: four real guests (two power off on cad, two
# ignore it; SHUTDOWN_TIMEOUT=3 for all; each wrote /data.txt without sync)
# are the services of a throwaway runlevel; `openrc RL' starts them, then
# `openrc RL2' (another throwaway runlevel, empty) stops them, as a switch
# to the shutdown runlevel would.  They are stopped in parallel: the switch
# takes at most SHUTDOWN_TIMEOUT + 20 s and less than the sum of the
# guests' own stop times; each guest's data is intact and its image clean.
#
# OpenRC's state is made private: the test runs in a mount namespace of
# its own, with an empty tmpfs on /run/openrc (same directories, no
# service started, empty softlevel) and its own copy of /etc/rc.conf, so
# that no runlevel change can touch a service that is not ours, whatever
# else runs on the host.  The copy adds rc_parallel="YES": without it
# (the default) OpenRC stops, and starts, a runlevel's services one after
# another.  The openrc, openrc-run, start-stop-daemon and umlctl that run
# are the real ones; the runlevels are throwaway directories in
# /etc/runlevels, removed at the end.
# SC2317: switch is called through t_ok, which shellcheck does not follow.
# shellcheck source=SCRIPTDIR/lib.sh disable=SC2317
. "${0%/*}/lib.sh"
[ "$(id -u)" -eq 0 ] || t_skip_all "needs root"
command -v openrc >/dev/null || t_skip_all "openrc missing (apt-get install openrc)"
if [ -z "${T_RC_PRIVATE:-}" ]; then
	command -v unshare >/dev/null || t_skip_all "unshare missing (util-linux)"
	T_RC_PRIVATE=1 exec unshare --mount --propagation private sh "$0" "$@"
fi
t_init
t_need_umlctl
[ -x "$REALKERNEL" ] || t_skip_all "$REALKERNEL missing"
# The private OpenRC state.
dirs=$(find /run/openrc -mindepth 1 -maxdepth 1 -type d -printf '%f\n' 2>/dev/null)
mkdir -p /run/openrc
mount -t tmpfs -o mode=0755 umlt-openrc /run/openrc || t_bail "a private tmpfs on /run/openrc"
for d in $dirs; do
	mkdir "/run/openrc/$d"
done
: >/run/openrc/softlevel
[ -f /etc/rc.conf ] || t_skip_all "/etc/rc.conf missing"
{ cat /etc/rc.conf; echo 'rc_parallel="YES"'; } >"$T_TMP/rc.conf"
mount --bind "$T_TMP/rc.conf" /etc/rc.conf || t_bail "a private /etc/rc.conf"

TIMEOUT=3
rl=umltest$$a
rl2=umltest$$b
guests=
for c in pa pb ic id; do
	guests="$guests $(t_name "$c")"
done

# foreign: services in a state a runlevel change would stop, but ours.
ours=$(for g in $guests; do echo "uml.$g"; done)
foreign() {
	for _s in started starting inactive; do
		ls /run/openrc/$_s/ 2>/dev/null
	done | sort -u | while read -r _svc; do
		[ -e "/etc/runlevels/sysinit/$_svc" ] || [ -e "/etc/runlevels/boot/$_svc" ] ||
			printf '%s\n' "$ours" | grep -qx "$_svc" || echo "$_svc"
	done
}
f=$(foreign)
[ -z "$f" ] || t_bail "services a runlevel change would stop are running: $(echo "$f" | tr '\n' ' ')"

for g in $guests; do
	case $g in
	*i?) cad=ignore ;;
	*) cad=poweroff ;;
	esac
	t_root_image "$g" --cad "$cad" --write
	t_real_conf "$g" SHUTDOWN_TIMEOUT="$TIMEOUT" KERNEL_ARGS="token=$g"
done

for g in $guests; do
	t_rc_install "$g"
done
mkdir "/etc/runlevels/$rl" "/etc/runlevels/$rl2"
t_defer "rm -rf /etc/runlevels/$rl /etc/runlevels/$rl2"
for g in $guests; do
	rc-update add "uml.$g" "$rl" >/dev/null
	t_defer "rc-update del uml.$g $rl"
done

# switch RL: `openrc RL', if nothing but ours would be touched.
switch() {
	_f=$(foreign)
	[ -z "$_f" ] || t_bail "services a runlevel change would stop appeared: $(echo "$_f" | tr '\n' ' ')"
	openrc "$1" >"$T_TMP/openrc.$1" 2>&1
}

t_ok "openrc $rl starts the guests" switch "$rl"
sed 's/^/# openrc: /' "$T_TMP/openrc.$rl"
for g in $guests; do
	t_exit 0 "$g: umlctl status exits 0" t_umlctl status "$g"
	t_ok "$g: wrote its data" t_wait_log "$T_LOGDIR/$g.log" "guest: wrote /data.txt token=$g" 30
done

t0=$(date +%s.%N)
t_ok "openrc $rl2 stops the guests" switch "$rl2"
el=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
sed 's/^/# openrc: /' "$T_TMP/openrc.$rl2"
sum=0
for g in $guests; do
	t_exit 3 "$g: umlctl status exits 3" t_umlctl status "$g"
	t_match "$g: status says stopped" "^$g: stopped" "$t_out"
	t_log "$g: $t_out"
	s=$(printf '%s\n' "$t_out" | sed -n 's/.* \([0-9][0-9]*\.[0-9][0-9]\) s after ctrl-alt-del.*/\1/p; s/.* after \([0-9][0-9]*\.[0-9][0-9]\) s .*/\1/p')
	sum=$(awk -v a="$sum" -v b="${s:-0}" 'BEGIN { print a + b }')
	t_exit 3 "$g: rc-service status exits 3 (stopped)" rc-service "uml.$g" status
done
t_log "the switch took $el s; the guests' own stop times add up to $sum s"
t_ok "the switch took at most SHUTDOWN_TIMEOUT + 20 s" awk -v e="$el" -v t="$TIMEOUT" 'BEGIN { exit !(e <= t + 20) }'
t_ok "the switch took less than the sum of the stops: they ran in parallel" \
	awk -v e="$el" -v s="$sum" 'BEGIN { exit !(e < s) }'
for g in $guests; do
	t_data_ok "$g" "$g" "$g"
	t_no_leftovers "$g"
done
t_done
