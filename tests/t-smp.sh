#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# CPUS="2" with USERSPACE="seccomp" on the real kernel (issue 24), where
# REALKERNEL has SMP (make test-kernel builds it so; the test skips, saying
# why, on a kernel without CONFIG_SMP):
# - a busybox guest with a NIC of the fd transport (vec=0: no vector IO,
#   what panicked a 7.3 SMP kernel before kernel/patches/0001) comes up
#   with 2 CPUs, takes its NIC down and up, passes traffic both ways in the
#   test's namespace, and stops gracefully;
# - a Debian 12 guest made by `umlctl create' (systemd) boots under
#   rc-service, `nproc' in it says 2, and it stops gracefully.
# The refusals (CPUS above 1 with ptrace, above NR_CPUS, on a kernel
# without SMP) are t-kernel-facts' and t-badinput's.
# shellcheck source=SCRIPTDIR/lib.sh
. "${0%/*}/lib.sh"
t_init
t_need_umlctl
[ -x "$REALKERNEL" ] || t_skip_all "$REALKERNEL missing"
command -v rc-service >/dev/null || t_skip_all "rc-service missing (apt-get install openrc)"
"$REALKERNEL" --showconfig 2>/dev/null | grep -qx 'CONFIG_SMP=y' ||
	t_skip_all "$REALKERNEL has no SMP (CONFIG_SMP; make test-kernel builds a kernel with it)"
t_rootns_save

ns=$(t_name n)
t_netns "$ns"
t_bridge "$ns" umltbr0 10.204.0.1/24

# graceful NAME: the last stop powered off after ctrl-alt-del.
graceful() {
	t_exit 3 "$1: status says stopped" t_umlctl status "$1"
	t_match "$1: graceful: powered off after ctrl-alt-del" \
		'graceful: powered off [0-9.]+ s after ctrl-alt-del' "$t_out"
}

# --- busybox, a NIC of the fd transport ---------------------------------
g=$(t_name b)
tap=ts$$
t_root_image "$g" --net 'vec0=10.204.0.2/24' --bounce --ping 10.204.0.1
t_real_conf "$g" USERSPACE=seccomp CPUS=2 NETNS="$ns" NET="$tap" "BRIDGE_$tap=umltbr0"
t_rc_install "$g"
log=$T_LOGDIR/$g.log
t_exit 0 "busybox: rc-service start" rc-service "uml.$g" start
t_ok "busybox: userspace is up" t_wait_log "$log" '^guest: up' 30
t_has "busybox: the kernel brought up 2 CPUs" "smp: Brought up 1 node, 2 CPUs" "$(cat "$log")"
t_ok "busybox: the guest sees 2 CPUs" grep -Eq '^guest: cpus 2([^0-9]|$)' "$log"
t_ok "busybox: the seccomp userspace" grep -q 'Checking that seccomp filters can be installed\.\.\.OK' "$log"
t_ok "busybox: it took vec0 down and up" t_wait_log "$log" '^guest: bounced vec0' 30
t_ok "busybox: it pinged the bridge" t_wait_log "$log" '^guest: (reached|cannot reach) 10\.204\.0\.1' 45
t_match "busybox: it reached the bridge" '^guest: reached 10\.204\.0\.1' "$(t_console "$log")"
t_ok "busybox: it answers ping from the namespace" ip netns exec "$ns" ping -c 3 -W 3 10.204.0.2
t_nomatch "busybox: no oops or panic" '[Kk]ernel panic|Kernel mode fault|Oops|BUG:' "$(cat "$log")"
t_exit 0 "busybox: status running" t_umlctl status "$g"
t_exit 0 "busybox: rc-service stop" rc-service "uml.$g" stop
graceful "$g"
t_ok "busybox: the image is clean" e2fsck -fn "$T_UMLDIR/$g/root.loop"
t_no_leftovers "$g" "$tap"

# --- Debian 12 (systemd) ----------------------------------------------------
if ! command -v mmdebstrap >/dev/null; then
	t_log "SKIP the Debian guest: no mmdebstrap (tests/deps.sh)"
	t_rootns_same
	t_done
fi
echo "UMLDIR=$(t_q "$T_UMLDIR")" >"$T_CONF/uml"
t_debian_image systemd
d=$(t_name d)
t_guest_dir "$d"
img=$T_UMLDIR/$d/root.loop
cp --sparse=always "$deb_img" "$img"
# Its swap disk (the fstab create wrote waits for /dev/ubdb).
fallocate -l 64M "$T_UMLDIR/$d/swap.loop"
mkswap -q "$T_UMLDIR/$d/swap.loop"
chown "$T_USER:" "$img" "$T_UMLDIR/$d/swap.loop"
chmod 0600 "$img" "$T_UMLDIR/$d/swap.loop"
# A unit that says what nproc prints, before the guest says it is up.
cat >"$T_TMP/nproc.service" <<'EOF'
[Unit]
Description=umlctl test: nproc on the console
Before=umlctl-ready.service
[Service]
Type=oneshot
ExecStart=/bin/sh -c 'echo "guest: nproc $(nproc)" >/dev/console'
[Install]
WantedBy=multi-user.target
EOF
t_image_put "$img" /etc/systemd/system/umlctl-test-nproc.service "$T_TMP/nproc.service" 644 0 0
debugfs -w -R "symlink /etc/systemd/system/multi-user.target.wants/umlctl-test-nproc.service /etc/systemd/system/umlctl-test-nproc.service" \
	"$img" >/dev/null 2>&1
t_conf "$d" USER="$T_USER" UMLDIR="$T_UMLDIR" KERNEL="$REALKERNEL" MEMORY=256M \
	READY=guest START_TIMEOUT=120 CONSOLE_LOG="$T_LOGDIR/$d.log" \
	USERSPACE=seccomp CPUS=2 NETNS="$ns" NET="td$$" "BRIDGE_td$$=umltbr0"
t_rc_install "$d"
log=$T_LOGDIR/$d.log
t_exit 0 "debian: rc-service start" rc-service "uml.$d" start
t_has "debian: start returned once the guest said it is up" "$d: guest says: ready" "$(cat "$log")"
t_has "debian: the kernel brought up 2 CPUs" "smp: Brought up 1 node, 2 CPUs" "$(cat "$log")"
t_match "debian: nproc in the guest says 2" '^guest: nproc 2$' "$(t_console "$log")"
t_has "debian: its NIC is up" "umlctl-ready: vec0 up" "$(cat "$log")"
t_nomatch "debian: no oops or panic" '[Kk]ernel panic|Kernel mode fault|Oops|BUG:' "$(cat "$log")"
t_exit 0 "debian: rc-service status" rc-service "uml.$d" status
t_exit 0 "debian: rc-service stop" rc-service "uml.$d" stop
graceful "$d"
t_ok "debian: the image is clean" e2fsck -fn "$img"
t_no_leftovers "$d" "td$$"
t_rootns_same
t_done
