#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# A real guest under the real OpenRC, configured with nothing but the
# primer's variables: rc-service starts it, reports it, stops it cleanly,
# and restarts it; the kernel runs unprivileged as USER, under umlctl.
# shellcheck source=SCRIPTDIR/lib.sh
. "${0%/*}/lib.sh"
t_init
t_need_umlctl
[ -x "$REALKERNEL" ] || t_skip_all "$REALKERNEL missing"
command -v rc-service >/dev/null || t_skip_all "rc-service missing (apt-get install openrc)"

g=$(t_name l)
t_root_image "$g"
cp "$REALKERNEL" "$T_UMLDIR/$g/linux"
chmod 0755 "$T_UMLDIR/$g/linux"
t_conf "$g" UMLDIR="$T_UMLDIR" USER="$T_USER" MEMORY=128MB NET=
t_rc_install "$g"
log=/var/log/uml/$g.log
t_defer "rm -f $log"

t_ok "rc-service checkconfig passes" rc-service "uml.$g" checkconfig
t_has "checkconfig gives the host's ptrace line" "$g: " "$(printf '%s\n' "$t_out" | grep ptrace)"
t_exit 0 "rc-service start exits 0" rc-service "uml.$g" start
t_nomatch "rc-service start: no second success line (start -q)" "ready in" "$t_out"
t_exit 0 "rc-service status exits 0 (started)" rc-service "uml.$g" status
t_match "rc-service status says started or running" 'started|running' "$t_out"
t_exit 0 "umlctl status exits 0" "$UMLCTL" status "$g"
t_match "umlctl status says running" "^$g: running" "$t_out"
t_ok "the console log is $log" test -f "$log"
t_ok "the guest reaches userspace" t_wait_log "$log" '^guest: up' 30
# The mode tests/run.sh may run it in (T_GUEST_VARS): the CPUS the guest
# sees, and the userspace its kernel uses (start_up.c says which it checks).
cpus=$(t_guest_var CPUS)
t_ok "the guest sees ${cpus:-1} CPU(s)" grep -Eq "^guest: cpus ${cpus:-1}([^0-9]|\$)" "$log"
seccomp_line='Checking that seccomp filters can be installed\.\.\.OK'
if [ "$(t_guest_var USERSPACE)" = seccomp ]; then
	t_ok "the kernel runs the seccomp userspace" grep -q "$seccomp_line" "$log"
else
	t_ok "the kernel runs the ptrace userspace" sh -c "! grep -q 'seccomp filters' '$log'"
fi

kp=$(t_kernel_pid "$g")
t_ok "the kernel process is found" test -n "$kp"
if [ -n "$kp" ]; then
	t_eq "kernel uid is $T_USER's" "$(id -u "$T_USER") $(id -u "$T_USER") $(id -u "$T_USER") $(id -u "$T_USER")" \
		"$(t_proc_status "$kp" Uid | tr -s '\t ' '  ')"
	t_eq "kernel gid is $T_USER's" "$(id -g "$T_USER") $(id -g "$T_USER") $(id -g "$T_USER") $(id -g "$T_USER")" \
		"$(t_proc_status "$kp" Gid | tr -s '\t ' '  ')"
	for c in CapInh CapPrm CapEff CapBnd CapAmb; do
		t_eq "kernel $c is 0" 0000000000000000 "$(t_proc_status "$kp" "$c")"
	done
	t_eq "kernel NoNewPrivs is 1" 1 "$(t_proc_status "$kp" NoNewPrivs)"
	sup=$(ps -o ppid= -p "$kp" | tr -d ' ')
	t_eq "the kernel is umlctl's child" umlctl "$(ps -o comm= -p "$sup")"
	t_eq "umlctl's pid file names the supervisor" "$sup" "$(cat "/run/uml/$g.pid" 2>/dev/null)"
	t_eq "the supervisor runs as root" root "$(ps -o user= -p "$sup")"
	t_eq "every process of the guest runs as $T_USER" "$T_USER" \
		"$(ps -o user= -s "$kp" | sort -u | tr -d ' ')"
fi

t_exit 0 "rc-service start again: already started, exits 0" rc-service "uml.$g" start
t_eq "still one kernel" "$kp" "$(t_kernel_pid "$g")"

t0=$(date +%s)
t_exit 0 "rc-service stop exits 0" rc-service "uml.$g" stop
# Unless the host's rc.conf asks OpenRC to be verbose.
if ! grep -Eq '^[[:space:]]*rc_verbose=["'"'"']?[Yy]' /etc/rc.conf 2>/dev/null; then
	t_nomatch "rc-service stop: a graceful stop shows no detail" 'stopped, ' "$t_out"
fi
t_ok "stop took less than 30 s" test $(($(date +%s) - t0)) -lt 30
t_exit 3 "rc-service status exits 3 after stop" rc-service "uml.$g" status
t_exit 3 "umlctl status exits 3 after stop" "$UMLCTL" status "$g"
t_match "umlctl status says stopped, graceful" 'stopped.*graceful' "$t_out"
t_match "the console log says the guest powered off" 'System halted|Power down' "$(t_console "$log")"
t_ok "the image is clean" e2fsck -fn "$T_UMLDIR/$g/root.loop"
t_no_leftovers "$g"

# Restart: a new kernel, and a clean stop again.
t_exit 0 "rc-service start after stop exits 0" rc-service "uml.$g" start
kp1=$(t_kernel_pid "$g")
t_wait_log "$log" '^guest: up' 30
t_exit 0 "rc-service restart exits 0" rc-service "uml.$g" restart
t_nomatch "rc-service restart: no ptrace line (check -q)" "ptrace" "$t_out"
t_nomatch "rc-service restart: no second success line" "ready in" "$t_out"
kp2=$(t_kernel_pid "$g")
t_ok "restart made a new kernel" test -n "$kp2" -a "$kp1" != "$kp2"
t_exit 0 "rc-service status exits 0 after restart" rc-service "uml.$g" status
t_exit 0 "rc-service -v stop exits 0" rc-service -v "uml.$g" stop
t_match "rc-service -v stop says how it stopped" 'stopped, (graceful|forced): ' "$t_out"
t_ok "the image is clean" e2fsck -fn "$T_UMLDIR/$g/root.loop"
t_no_leftovers "$g"
t_done
