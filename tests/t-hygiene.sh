#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Configuration hygiene (issue 26): check warns, with FILE:LINE, about each
# assignment umlctl does not use (an unknown UPPER_CASE name with the
# closest known one, one of ours in lower case, BRIDGE_ and MAC_ of a tap
# not in NET) and still exits 0; nothing about a clean file or OpenRC's
# own variables.  stop, status, mconsole, console, reopen, remove,
# suspend, resume and backup of a guest with no conf.d file and no runtime
# record say "no such guest", exit 9; the runscript maps that.
# shellcheck source=SCRIPTDIR/lib.sh
. "${0%/*}/lib.sh"
t_init
t_need_umlctl
t_need_fake

# --- check's warnings --------------------------------------------------------
g=$(t_name g)
tap=h$$
t_fake_conf "$g" NET="$tap" "BRIDGE_$tap=" MEMROY=512M memory=256M \
	"BRIDGE_uml1=br0" "MAC_uml1=52:54:00:00:00:01" rc_after=net description=x
f=$T_CONF/uml.$g
t_exit 0 "check with unused assignments: exits 0" t_umlctl check "$g"
out=$t_out
t_has "MEMROY: named with its line, and MEMORY offered" \
	"$g: warning: $f:10: MEMROY is not a variable umlctl knows (did you mean MEMORY?): it is ignored" "$out"
t_has "memory: MEMORY offered, case named" \
	"$g: warning: $f:11: memory is not a variable umlctl knows (did you mean MEMORY? names are case-sensitive)" "$out"
t_has "BRIDGE_uml1: no such tap in NET" \
	"$g: warning: $f:12: BRIDGE_uml1 is set, but no tap in NET=\"$tap\" is uml1: it is ignored" "$out"
t_has "MAC_uml1: no such tap in NET" "$f:13: MAC_uml1 is set, but no tap in NET" "$out"
t_nomatch "OpenRC's rc_after and description pass" "rc_after|description" "$out"
t_nomatch "the tap in NET's BRIDGE_ passes" "BRIDGE_$tap " "$out"
t_has "still OK" "$g: configuration and host OK" "$out"

# An unknown name in the shared file, far from any known one.
echo 'FROBNICATE="1"' >>"$T_CONF/uml"
t_exit 0 "check with an unknown name in conf.d/uml: exits 0" t_umlctl check "$g"
t_has "named in conf.d/uml, nothing offered" \
	"$T_CONF/uml:1: FROBNICATE is not a variable umlctl knows: it is ignored" "$t_out"
: >"$T_CONF/uml"

# Every variable of the shipped conf.d/uml, set: not one warning.
c=$(t_name c)
t_fake_conf "$c"
sed -n 's/^#\([A-Za-z_]*=.*"\)$/\1/p' "$T_ROOT/conf.d/uml" |
	grep -Ev '^(rc_cgroup_settings|USER|UMLDIR|KERNEL|ROOT|SWAP|BASE_IMAGE|CONSOLE_LOG|KERNEL_ARGS|NET|NETNS|NET_TRANSPORT|MEMORY_DIR|READY)=' \
	>"$T_CONF/uml"
t_ok "the shipped defaults were found" grep -q '^START_TIMEOUT=' "$T_CONF/uml"
t_exit 0 "check with every shipped default set: exits 0" t_umlctl check "$c"
t_nomatch "... and no warning about a variable" "not a variable|is set, but" "$t_out"
: >"$T_CONF/uml"

# --- no such guest -------------------------------------------------------------
n=$(t_name nosuch)
mkdir -p "$T_TMP/backup"
for cmd in stop status reopen remove suspend resume "backup $T_TMP/backup"; do
	# shellcheck disable=SC2086 # $cmd: the command and its argument
	set -- $cmd
	c1=$1
	shift
	t_exit 9 "$c1 of no guest: exits 9" t_umlctl "$c1" "$n" "$@"
	t_has "$c1 of no guest: says so" "$n: no such guest (no $T_CONF/uml.$n, and no record of it in /run/uml)" "$t_out"
done
t_eq "backup of no guest: nothing copied" "" "$(ls -A "$T_TMP/backup")"
t_exit 9 "mconsole of no guest: exits 9" t_umlctl mconsole "$n" version
t_has "mconsole of no guest: says so" "$n: no such guest" "$t_out"
t_exit 9 "console of no guest (on a terminal): exits 9" \
	script -qec "$UMLCTL -c $T_CONF console $n" /dev/null
t_has "console of no guest: says so" "$n: no such guest" "$t_out"
# A guest with a conf.d file that never ran is a stopped guest.
t_exit 3 "status of a guest never started: exits 3" t_umlctl status "$c"
t_has "... stopped" "$c: stopped" "$t_out"
# One whose conf.d file went but whose last run is recorded: stopped too.
t_ok "start $c" t_umlctl start "$c"
t_ok "stop $c" t_umlctl stop "$c"
mv "$T_CONF/uml.$c" "$T_TMP/uml.$c.away"
t_exit 3 "status of a stopped guest without conf.d file: exits 3" t_umlctl status "$c"
t_exit 3 "stop of it: exits 3 (not running)" t_umlctl stop "$c"
rm -f "/run/uml/$c.last"
t_exit 9 "... and with its NAME.last gone: no such guest" t_umlctl status "$c"

# Through the runscript: a link left without its conf.d file.
t_fake_conf "$n"
t_rc_install "$n"
rm -f "/etc/conf.d/uml.$n"
t_exit 3 "rc-service status of no guest: 3 (stopped)" rc-service "uml.$n" status
t_has "... umlctl's words" "no such guest" "$t_out"
# OpenRC runs stop() only for a service it has as started.
t_ok "mark uml.$n started" /lib/rc/sbin/mark_service_started "uml.$n"
t_exit 0 "rc-service stop of no guest: 0" rc-service "uml.$n" stop
t_has "... umlctl's words" "no such guest" "$t_out"
t_exit 3 "... and it is stopped" rc-service "uml.$n" status
t_done
