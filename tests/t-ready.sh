#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# READY: with "mconsole" (the default) start returns once the kernel
# answers on its mconsole; with "guest" only once the guest's init wrote a
# line to /proc/mconsole (MCONSOLE_USER_NOTIFY), or it fails at
# START_TIMEOUT with exit 1 and leaves nothing.  Meanwhile status says
# starting (exit 7).  A kernel that dies first fails the start with exit
# 4 in both modes.  Fake kernel (fake.guest_ready), then the real one,
# whose test guest writes `ready' once its init is up, and an image with
# no init at all, whose kernel dies 0.2 s after its mconsole answered.
# shellcheck source=SCRIPTDIR/lib.sh
. "${0%/*}/lib.sh"
t_init
t_need_umlctl
t_need_fake

# READY="guest": start returns after the guest said so.
g=$(t_name g)
t_fake_conf "$g" READY=guest KERNEL_ARGS="fake.record=$T_REC/$g fake.guest_ready=1500"
t_exit 0 "guest: show says READY='guest'" t_umlctl show "$g"
t_has "guest: show prints READY" "READY='guest'" "$t_out"
"$UMLCTL" -c "$T_CONF" start "$g" >"$T_TMP/g.out" 2>&1 </dev/null &
starter=$!
t_ok "guest: status exits 7 (starting) while the guest is not up" \
	t_wait 10 t_status_is 7 t_umlctl status "$g"
t_match "guest: status says starting" "^$g: starting$" "$(t_umlctl status "$g")"
wait "$starter"
t_eq "guest: start exits 0" 0 "$?"
t_has "guest: when start returned, the guest had said it is up" \
	"guest says: ready" "$(t_console "$T_LOGDIR/$g.log")"
t_exit 0 "guest: status exits 0" t_umlctl status "$g"
t_exit 0 "guest: stop" t_umlctl stop "$g"
t_no_leftovers "$g"

# A guest that never says it: start fails at START_TIMEOUT, nothing left.
g=$(t_name n)
t_fake_conf "$g" READY=guest START_TIMEOUT=2
t_exit 1 "silent guest: start exits 1 at START_TIMEOUT" t_umlctl start "$g"
t_has "silent guest: start says why" \
	'did not say it is up (a line written to /proc/mconsole, READY="guest") within START_TIMEOUT (2 s)' "$t_out"
t_exit 3 "silent guest: status exits 3" t_umlctl status "$g"
t_no_leftovers "$g"

# A kernel that dies before it is ready: exit 4 in both modes, with why.
for mode in mconsole guest; do
	g=$(t_name "d$mode" | cut -c1-14)
	t_fake_conf "$g" READY="$mode" \
		KERNEL_ARGS="fake.record=$T_REC/$g fake.noready fake.panic_after=200 fake.panic_kind=noinit"
	t_exit 4 "$mode: a kernel dying first: start exits 4" t_umlctl start "$g"
	t_has "$mode: start names the cause" "no init in the root image" "$t_out"
	t_no_leftovers "$g"
done

# READY="mconsole": start does not wait for the guest.
g=$(t_name m)
t_fake_conf "$g" KERNEL_ARGS="fake.record=$T_REC/$g fake.guest_ready=3000"
t_exit 0 "mconsole: start exits 0" t_umlctl start "$g"
t_nomatch "mconsole: start returned before the guest said it is up" \
	"guest says: ready" "$(t_console "$T_LOGDIR/$g.log")"
t_exit 0 "mconsole: stop" t_umlctl stop "$g"

# The real kernel: the test guest's init writes `ready' when it is up.
if [ -x "$REALKERNEL" ]; then
	g=$(t_name r)
	t_root_image "$g"
	t_real_conf "$g" READY=guest
	t_exit 0 "real: start exits 0" t_umlctl start "$g"
	t_has "real: the guest's init was up when start returned" \
		"guest: up" "$(t_console "$T_LOGDIR/$g.log")"
	t_exit 0 "real: stop exits 0" t_umlctl stop "$g"
	t_no_leftovers "$g"

	# An image with no init: the real kernel panics once it looks for
	# one; with READY="guest" start waits for that, and names the cause.
	g=$(t_name i)
	t_guest_dir "$g"
	mke2fs -q -t ext2 "$T_UMLDIR/$g/root.loop" 32M || t_bail "mke2fs"
	chown "$T_USER:" "$T_UMLDIR/$g/root.loop"
	chmod 0600 "$T_UMLDIR/$g/root.loop"
	t_real_conf "$g" READY=guest
	t_exit 4 "no init: start exits 4" t_umlctl start "$g"
	t_has "no init: start names the cause" "no init in the root image" "$t_out"
	t_exit 3 "no init: status exits 3 (the start failed)" t_umlctl status "$g"
	t_no_leftovers "$g"
fi
t_done
