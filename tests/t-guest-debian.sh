#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# A real distribution (issue 10, and issue 11's console): Debian 12 guests
# made by `umlctl create ... debian:bookworm' (mmdebstrap with the host's
# apt sources), one with systemd and one with sysvinit, run through their
# whole lifecycle under OpenRC with the real kernel: start returns when
# the guest says it is up (systemd: after multi-user.target), status, a
# login on `umlctl console', a file written without sync survives a clean
# stop (ctrl-alt-del -> poweroff, not forced), e2fsck -fn is clean, and a
# restart works.
#
# The images `create' makes are cached (tests/lib.sh, t_debian_image).
# shellcheck source=SCRIPTDIR/lib.sh disable=SC2016
. "${0%/*}/lib.sh"
t_init
t_need_umlctl
[ -x "$REALKERNEL" ] || t_skip_all "$REALKERNEL missing"
command -v mmdebstrap >/dev/null || t_skip_all "no mmdebstrap"
command -v script >/dev/null || t_skip_all "no script(1) (util-linux)"
echo "UMLDIR=$(t_q "$T_UMLDIR")" >"$T_CONF/uml"
ns=$(t_name n)
t_netns "$ns"
t_bridge "$ns" br0

# debian INIT: $deb_img (tests/lib.sh).
debian() {
	t_debian_image "$1"
}

put() {
	t_image_put "$@"
}

# guest NAME INIT: a guest on a copy of the INIT image, with a swap disk
# of its own (the image's fstab has /dev/ubdb: create had -w), run by
# $T_USER.
guest() {
	debian "$2"
	t_guest_dir "$1"
	cp --sparse=always "$deb_img" "$T_UMLDIR/$1/root.loop"
	fallocate -l 64M "$T_UMLDIR/$1/swap.loop"
	mkswap -q "$T_UMLDIR/$1/swap.loop"
	chown "$T_USER:" "$T_UMLDIR/$1/root.loop" "$T_UMLDIR/$1/swap.loop"
	chmod 0600 "$T_UMLDIR/$1/root.loop" "$T_UMLDIR/$1/swap.loop"
	t_conf "$1" USER="$T_USER" UMLDIR="$T_UMLDIR" KERNEL="$REALKERNEL" MEMORY=256M \
		READY=guest START_TIMEOUT=120 CONSOLE_LOG="$T_LOGDIR/$1.log" KERNEL_ARGS="token=$1" \
		NETNS="$ns" NET="t$1" "BRIDGE_t$1=br0"
}

# stopped_gracefully NAME: the last stop powered off after ctrl-alt-del,
# within 30 s (SHUTDOWN_TIMEOUT is 60).
stopped_gracefully() {
	t_exit 3 "$1: status says stopped" t_umlctl status "$1"
	t_match "$1: graceful, in seconds" 'graceful: powered off ([0-9]|[12][0-9])\.[0-9]+ s after ctrl-alt-del' "$t_out"
}

# --- systemd -----------------------------------------------------------------
g=$(t_name s)
guest "$g" systemd
img=$T_UMLDIR/$g/root.loop
t_exit 0 "the image create made passes check without a warning" t_umlctl check "$g"
t_nomatch "no warning about the guest" "warning: in " "$t_out"

# The data probe (as mkguest.sh --write): a unit that writes /data.txt at
# boot with writeback off, and no sync, before the guest says it is up.
cat >"$T_TMP/write.sh" <<'EOF'
#!/bin/sh
echo 0 >/proc/sys/vm/dirty_writeback_centisecs
t=$(sed -n 's/.*token=\([^ ]*\).*/\1/p' /proc/cmdline)
i=0
while [ $i -lt 2000 ]; do
	echo "data $t line $i"
	i=$((i + 1))
done >/data.txt
echo "guest: wrote /data.txt token=$t" >/dev/console
EOF
cat >"$T_TMP/write.service" <<'EOF'
[Unit]
Description=umlctl test: write /data.txt without sync
Before=umlctl-ready.service
[Service]
Type=oneshot
ExecStart=/bin/sh /usr/local/sbin/umlctl-test-write
[Install]
WantedBy=multi-user.target
EOF
put "$img" /usr/local/sbin/umlctl-test-write "$T_TMP/write.sh" 755 0 0
put "$img" /etc/systemd/system/umlctl-test-write.service "$T_TMP/write.service" 644 0 0
debugfs -w -R "symlink /etc/systemd/system/multi-user.target.wants/umlctl-test-write.service /etc/systemd/system/umlctl-test-write.service" \
	"$img" >/dev/null 2>&1
# A root password for the console login (uml(8): none is invented).
pw=umlctl-test
hash=$(openssl passwd -6 -salt umlctltest "$pw")
t_image_cat "$img" /etc/shadow | awk -F: -v h="$hash" 'BEGIN { OFS = ":" } $1 == "root" { $2 = h } { print }' \
	>"$T_TMP/shadow"
put "$img" /etc/shadow "$T_TMP/shadow" 640 0 42
t_ok "the test's files are in the image" sh -c "debugfs -R 'stat /etc/shadow' '$img' 2>/dev/null | grep -q 'Mode:  0640'"

# swap_in_use NAME: the guest's /proc/meminfo shows the 64 MiB swap disk.
# shellcheck disable=SC2317 # called through t_wait
swap_in_use() {
	t_umlctl mconsole "$1" proc meminfo 2>/dev/null |
		grep -Eq 'SwapTotal: +6[0-9]{4} kB'
}

t_rc_install "$g"
t0=$(date +%s)
t_exit 0 "rc-service start" rc-service "uml.$g" start
t_log "start took $(($(date +%s) - t0)) s"
log=$T_LOGDIR/$g.log
t_has "start returned once the guest said it is up" "$g: guest says: ready" "$(cat "$log")"
t_ok "... after multi-user.target" t_in_order "$log" "multi-user.target" "$g: guest says: ready"
t_has "the data was written before" "guest: wrote /data.txt token=$g" "$(cat "$log")"
t_has "the guest's NIC is up" "umlctl-ready: vec0 up" "$(cat "$log")"
t_exit 0 "status: running" t_umlctl status "$g"
t_exit 0 "rc-service status" rc-service "uml.$g" status
t_exit 0 "mconsole proc meminfo" t_umlctl mconsole "$g" proc meminfo
# umlctl-swap.service (the fstab line is noauto) runs early, without
# waiting for udev; bounded all the same.
t_ok "the swap disk is in use (fstab's /dev/ubdb, udev): 64 MiB" t_wait 60 swap_in_use "$g"
t_nomatch "no getty floods the console (epollctl add err)" "epollctl add err.*(tty[1-9])" "$(cat "$log")"

# Log in on the console, run a command, detach (issue 11).
t_wait_log "$log" 'login:' 30
printf "sleep 2; printf 'root\\\\r'; sleep 3; printf '%s\\\\r'; sleep 4; printf 'echo deb-console-\$((6 * 7))\\\\r'; sleep 3; printf '\\\\035'; sleep 2" "$pw" \
	>"$T_TMP/typing"
sh "$T_TMP/typing" | script -qfec "$UMLCTL -c $T_CONF console $g" "$T_TMP/console.out" >/dev/null 2>&1
t_eq "console: attach, log in, detach: exit 0" 0 "$?"
out=$(tr -d '\r' <"$T_TMP/console.out")
t_log "session: $out"
t_has "console: a login prompt" "login:" "$out"
t_has "console: logged in, the command ran" "deb-console-42" "$out"
t_has "console: detached" "detached; the guest runs on" "$out"
t_exit 0 "the guest still runs after the console session" t_umlctl status "$g"

t_exit 0 "rc-service stop" rc-service "uml.$g" stop
stopped_gracefully "$g"
t_data_ok "systemd" "$g" "$g"
t_exit 0 "rc-service start again (restart)" rc-service "uml.$g" start
t_exit 0 "status: running again" t_umlctl status "$g"
t_exit 0 "rc-service stop again" rc-service "uml.$g" stop
stopped_gracefully "$g"
t_ok "clean after the second run" e2fsck -fn "$img"

# Run without its swap disk, the swap create set up (noauto, and a unit
# that needs /dev/ubdb) does not hold the boot.
t_conf_add "$g" SWAP= START_TIMEOUT=80
t_exit 0 "without its swap disk: check passes" t_umlctl check "$g"
t_nomatch "without its swap disk: no warning about fstab" "warning: in " "$t_out"
t_exit 0 "without its swap disk: starts within 80 s" t_umlctl start "$g"
t_exit 0 "without its swap disk: stops" t_umlctl stop "$g"
t_has "without its swap disk: gracefully" "graceful" "$t_out"

# --- sysvinit ----------------------------------------------------------------
g=$(t_name v)
guest "$g" sysvinit
t_exit 0 "sysvinit: check without a warning" t_umlctl check "$g"
t_nomatch "sysvinit: no warning about the guest" "warning: in " "$t_out"
t_rc_install "$g"
t_exit 0 "sysvinit: rc-service start" rc-service "uml.$g" start
t_has "sysvinit: the guest said it is up" "$g: guest says: ready" "$(cat "$T_LOGDIR/$g.log")"
t_ok "sysvinit: ... after runlevel 2's scripts" t_in_order "$T_LOGDIR/$g.log" \
	"INIT: Entering runlevel: 2" "$g: guest says: ready"
t_exit 0 "sysvinit: status running" t_umlctl status "$g"
t_has "sysvinit: the guest's NIC is up" "umlctl-ready: vec0 up" "$(cat "$T_LOGDIR/$g.log")"
t_exit 0 "sysvinit: mconsole proc meminfo" t_umlctl mconsole "$g" proc meminfo
t_ok "sysvinit: the swap disk is in use: 64 MiB" t_wait 20 swap_in_use "$g"
t_wait_log "$T_LOGDIR/$g.log" 'login:' 30
t_has "sysvinit: a login prompt on the console" "login:" "$(cat "$T_LOGDIR/$g.log")"
t_exit 0 "sysvinit: rc-service stop" rc-service "uml.$g" stop
stopped_gracefully "$g"
t_ok "sysvinit: clean after the stop" e2fsck -fn "$T_UMLDIR/$g/root.loop"
t_done
