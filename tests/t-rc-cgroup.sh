#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# OpenRC's cgroup limits apply to a guest (issue 14): with a memory limit
# in its conf.d (rc_cgroup_memory on a host whose memory controller is
# cgroup v1, as this hybrid host's; rc_cgroup_settings's memory.max where
# it is v2), the kernel and all its helper processes are in the service's
# cgroup, the limit is set, and after stop (rc_cgroup_cleanup="yes") no
# process is left in it.  A limit too low for the guest gets it killed,
# and status says crashed, naming that cause.
# shellcheck source=SCRIPTDIR/lib.sh
. "${0%/*}/lib.sh"
t_init
t_need_umlctl
[ -x "$REALKERNEL" ] || t_skip_all "$REALKERNEL missing"
command -v rc-service >/dev/null || t_skip_all "rc-service missing (apt-get install openrc)"

# limit NAME SIZE: the conf.d line for a memory limit, and where it shows.
if [ -f /sys/fs/cgroup/memory/memory.limit_in_bytes ]; then
	mode=v1
	limit() { t_conf_add "$1" "rc_cgroup_memory=memory.limit_in_bytes $2"; }
	cgdir() { echo "/sys/fs/cgroup/memory/openrc_uml.$1"; }
	limit_file=memory.limit_in_bytes
elif grep -qw memory /sys/fs/cgroup/cgroup.controllers 2>/dev/null; then
	mode=v2
	limit() { t_conf_add "$1" "rc_cgroup_settings=
memory.max $2
"; }
	cgdir() { echo "/sys/fs/cgroup/uml.$1"; }
	limit_file=memory.max
else
	t_skip_all "no cgroup memory controller OpenRC can use here"
fi
t_log "memory controller: cgroup $mode"

# limited NAME SIZE: an OpenRC guest of 128M under a memory limit of SIZE.
limited() {
	t_root_image "$1"
	t_real_conf "$1" MEMORY=128M rc_cgroup_cleanup=yes
	limit "$1" "$2"
	t_rc_install "$1"
	t_defer "rmdir $(cgdir "$1")"
}

# 1. A sufficient limit: the guest runs inside it.
g=$(t_name a)
limited "$g" 256M
t_exit 0 "256M limit: rc-service start" rc-service "uml.$g" start
t_ok "256M limit: the guest is up" t_wait_log "$T_LOGDIR/$g.log" '^guest: up' 30
cg=$(cgdir "$g")
t_eq "256M limit: set in $cg" 268435456 "$(cat "$cg/$limit_file" 2>/dev/null)"
kp=$(t_kernel_pid "$g")
t_ok "256M limit: the kernel is found" test -n "$kp"
# The kernel and every helper: its session (UML calls setsid()).
pids=$(ps -s "${kp:-0}" -o pid= 2>/dev/null)
t_log "256M limit: the kernel's session: $(printf '%s\n' "$pids" | tr '\n' ' ')"
in=$(cat "$cg/cgroup.procs" 2>/dev/null)
for p in $pids; do
	t_ok "256M limit: guest process $p is in the service's cgroup" \
		sh -c "printf '%s\n' '$in' | grep -qx '$p'"
done
t_exit 0 "256M limit: rc-service stop" rc-service "uml.$g" stop
t_eq "256M limit: no process left in the cgroup" "" "$(cat "$cg/cgroup.procs" 2>/dev/null)"
t_no_leftovers "$g"

# 2. A limit the guest cannot boot in: killed, and status says why.
g=$(t_name b)
limited "$g" 6M
t_run rc-service "uml.$g" start
t_ok "6M limit: status exits 4 (crashed)" t_wait 30 t_status_is 4 t_umlctl status "$g"
t_exit 4 "6M limit: status exits 4" t_umlctl status "$g"
t_has "6M limit: status names the cgroup's memory limit" \
	"cause: the memory limit of its cgroup killed it" "$t_out"
t_exit 0 "6M limit: rc-service stop exits 0" rc-service "uml.$g" stop
t_no_leftovers "$g"
t_done
