#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# The test guests themselves, booted with the real kernel and no umlctl:
# mkguest.sh's images power off, ignore or reboot on cad as asked, and the
# data-safety probe (--write) really tells a clean stop from a halt.  If
# this test fails, the umlctl tests that use these images mean nothing.
# SC2317: the predicates below are called through t_wait, which shellcheck
# does not follow.
# shellcheck source=SCRIPTDIR/lib.sh disable=SC2317
. "${0%/*}/lib.sh"
t_init
[ -x "$REALKERNEL" ] || t_skip_all "$REALKERNEL missing"

# boot NAME IMAGE [KERNEL WORDS...]: run the kernel as $T_USER in the
# background; its pid in $kpid, its console in $T_TMP/NAME.log.
boot() {
	_n=$1
	_img=$2
	shift 2
	mkdir -p "$T_TMP/$_n/u"
	chown -R "$T_USER:" "$T_TMP/$_n" "$_img"
	setpriv --reuid="$T_USER" --regid="$T_USER" --init-groups -- \
		env -i PATH=/usr/bin:/bin HOME=/nonexistent TMPDIR=/dev/shm \
		"$REALKERNEL" mem=64M "umid=$_n" "uml_dir=$T_TMP/$_n/u" "ubd0=$_img" \
		root=/dev/ubda con=null con0=fd:0,fd:1 ssl=null "$@" \
		</dev/null >"$T_TMP/$_n.log" 2>&1 &
	kpid=$!
	t_defer "kill -KILL $kpid"
}

mc() {
	_m=$T_TMP/$1/u/$1/mconsole
	shift
	timeout 5 uml_mconsole "$_m" "$@" 2>/dev/null
}

gone() {
	! kill -0 "$1" 2>/dev/null
}

# The kernel's main process is our child: reap it, then make sure that no
# helper of it is left (they are all $T_USER's).
reap() {
	t_wait 15 gone "$1"
	wait "$1" 2>/dev/null
	t_wait 5 t_user_gone "$T_USER"
	for _p in $(ps -u "$T_USER" -o pid=); do kill -KILL "$_p"; done
}

img=$T_TMP/img
mkdir -p "$img"
t_ok "mkguest.sh --cad poweroff --write" "$MKGUEST" "$img/p.img" --cad poweroff --write
t_ok "mkguest.sh --cad ignore --write" "$MKGUEST" "$img/i.img" --cad ignore --write
t_ok "mkguest.sh --cad reboot" "$MKGUEST" "$img/r.img" --cad reboot
t_ok "mkguest.sh --write (for halt)" "$MKGUEST" "$img/h.img" --write
t_ok "a fresh image is clean" e2fsck -fn "$img/p.img"
t_exit 100 "mkguest.sh refuses a bad --cad" "$MKGUEST" "$img/x.img" --cad explode

# 1. Power off on cad: the file written without sync survives.
g=$(t_name p)
boot "$g" "$img/p.img" token=tp1
t_ok "poweroff guest: wrote its data" t_wait_log "$T_TMP/$g.log" 'guest: wrote /data.txt token=tp1' 30
t_ok "poweroff guest: up" t_wait_log "$T_TMP/$g.log" '^guest: up' 10
t_match "poweroff guest: version" '^OK Linux' "$(mc "$g" version)"
mc "$g" cad >/dev/null
t_ok "poweroff guest: exits after cad" t_wait 15 gone "$kpid"
reap "$kpid"
t_match "poweroff guest: console says halted" 'System halted|Power down' "$(t_console "$T_TMP/$g.log")"
t_ok "poweroff guest: image clean" e2fsck -fn "$img/p.img"
t_eq "poweroff guest: data intact" "$(t_data_expected tp1 | cksum)" \
	"$(t_image_cat "$img/p.img" /data.txt | cksum)"

# 2. Ignore cad; sysrq s + u, wait for ro, halt: the data survives.
g=$(t_name i)
boot "$g" "$img/i.img" token=ti1
t_ok "ignore guest: wrote its data" t_wait_log "$T_TMP/$g.log" 'guest: wrote /data.txt token=ti1' 30
t_wait_log "$T_TMP/$g.log" '^guest: up' 10
mc "$g" cad >/dev/null
sleep 2
t_ok "ignore guest: still running 2 s after cad" kill -0 "$kpid"
t_match "ignore guest: sysrq s" 'Emergency Sync' "$(mc "$g" sysrq s)"
t_match "ignore guest: sysrq u" 'Emergency Remount' "$(mc "$g" sysrq u)"
rootro() {
	mc "$1" proc 1/mounts | grep -Eq '^(OK )?/dev/root / [a-z0-9]+ ro[, ]'
}
t_ok "ignore guest: / read-only after sysrq u" t_wait 5 rootro "$g"
mc "$g" halt >/dev/null
t_ok "ignore guest: exits on halt" t_wait 15 gone "$kpid"
reap "$kpid"
t_ok "ignore guest: image clean" e2fsck -fn "$img/i.img"
t_eq "ignore guest: data intact" "$(t_data_expected ti1 | cksum)" \
	"$(t_image_cat "$img/i.img" /data.txt | cksum)"

# 3. A bare halt loses the data: the probe can fail.
g=$(t_name h)
boot "$g" "$img/h.img" token=th1
t_ok "halt guest: wrote its data" t_wait_log "$T_TMP/$g.log" 'guest: wrote /data.txt token=th1' 30
t_wait_log "$T_TMP/$g.log" '^guest: up' 10
mc "$g" halt >/dev/null
t_ok "halt guest: exits on halt" t_wait 15 gone "$kpid"
reap "$kpid"
t_nomatch "halt guest: the unsynced data is lost (the probe works)" 'line 1999' \
	"$(t_image_cat "$img/h.img" /data.txt)"

# 4. Reboot on cad: a second boot, same pid.
g=$(t_name r)
boot "$g" "$img/r.img"
t_ok "reboot guest: up" t_wait_log "$T_TMP/$g.log" '^guest: up' 30
mc "$g" cad >/dev/null
upcount() {
	[ "$(grep -c '^guest: up' "$T_TMP/$1.log")" -ge 2 ]
}
t_ok "reboot guest: boots again after cad" t_wait 20 upcount "$g"
t_match "reboot guest: console says restarting" 'reboot: Restarting system' "$(t_console "$T_TMP/$g.log")"
t_ok "reboot guest: same pid" kill -0 "$kpid"
kill -TERM "$kpid"
t_ok "reboot guest: exits on SIGTERM" t_wait 15 gone "$kpid"
reap "$kpid"

# 5. Networking inside a namespace of our own: MAC line, ping.
ns=$(t_name n)
t_netns "$ns"
ip -n "$ns" tuntap add dev umltap0 mode tap user "$T_USER"
ip -n "$ns" link set umltap0 up
ip -n "$ns" addr add 10.199.0.1/24 dev umltap0
t_ok "mkguest.sh --net" "$MKGUEST" "$img/n.img" --net 'vec0=10.199.0.2/24'
g=$(t_name n)
mkdir -p "$T_TMP/$g/u"
chown -R "$T_USER:" "$T_TMP/$g" "$img/n.img"
ip netns exec "$ns" setpriv --reuid="$T_USER" --regid="$T_USER" --init-groups -- \
	env -i PATH=/usr/bin:/bin HOME=/nonexistent TMPDIR=/dev/shm \
	"$REALKERNEL" mem=64M "umid=$g" "uml_dir=$T_TMP/$g/u" "ubd0=$img/n.img" \
	root=/dev/ubda con=null con0=fd:0,fd:1 ssl=null \
	vec0:transport=tap,ifname=umltap0,mac=52:54:00:12:34:56 \
	</dev/null >"$T_TMP/$g.log" 2>&1 &
kpid=$!
t_defer "kill -KILL $kpid"
t_ok "net guest: up" t_wait_log "$T_TMP/$g.log" '^guest: up' 30
t_match "net guest: MAC line" '^MAC vec0 52:54:00:12:34:56$' "$(t_console "$T_TMP/$g.log")"
t_ok "net guest: answers ping in the namespace" ip netns exec "$ns" ping -c 1 -W 3 10.199.0.2
mc "$g" cad >/dev/null
t_ok "net guest: exits after cad" t_wait 15 gone "$kpid"
reap "$kpid"
t_no_leftovers "$g"
t_done
