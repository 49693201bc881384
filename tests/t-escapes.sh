#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# What a guest chooses never reaches the admin's terminal raw (issue 16):
# its hostname in the version reply, panic and notify text, console lines
# all carry terminal escapes here (fake.evil).  status, list, stop,
# mconsole, a failed start's reason and console tail, and the runscript's
# messages show them as \xHH text; no ESC or BEL byte gets through.
# shellcheck source=SCRIPTDIR/lib.sh
. "${0%/*}/lib.sh"
t_init
t_need_umlctl
t_need_fake

# raw_free DESC TEXT: TEXT holds no ESC (0x1b) and no BEL (0x07) byte.
raw_free() {
	if printf '%s' "$2" | LC_ALL=C grep -q "$(printf '[\033\007]')"; then
		t_fail "$1: a raw escape got through" "$(printf '%s' "$2" | od -c | head -5)"
	else
		t_pass "$1: no raw ESC or BEL"
	fi
}

g=$(t_name e)
t_fake_conf "$g" KERNEL_ARGS="fake.record=$T_REC/$g fake.evil fake.guest_ready=0 fake.panic_after=1500"
t_exit 0 "start" t_umlctl start "$g"
t_exit 0 "status" t_umlctl status "$g"
raw_free status "$t_out"
t_has "status shows the escapes as text" '\x1b]0;owned\x07' "$t_out"
t_exit 0 "mconsole version" t_umlctl mconsole "$g" version
raw_free "mconsole version" "$t_out"
t_has "mconsole version shows them as text" '\x1b[2J' "$t_out"
t_ok "the guest's panic ends it" t_wait 10 t_status_is 4 t_umlctl status "$g"
t_exit 4 "status of the crashed guest" t_umlctl status "$g"
raw_free "crashed status" "$t_out"
t_has "crashed status shows the panic text escaped" 'panic: fake panic \x1b]0;owned' "$t_out"
t_exit 0 "list" t_umlctl list
raw_free list "$t_out"
t_run t_umlctl stop "$g"
raw_free stop "$t_out"
log=$(cat "$T_LOGDIR/$g.log")
t_has "umlctl's own log lines carry the notify text escaped" \
	'guest says: ready \x1b]0;owned' "$log"

# A start that fails: its reason and the console tail it prints.
g=$(t_name f)
t_fake_conf "$g" KERNEL_ARGS="fake.record=$T_REC/$g fake.evil fake.noready fake.panic_after=0"
t_exit 4 "failed start exits 4" t_umlctl start "$g"
raw_free "failed start" "$t_out"
t_has "failed start: the console tail is there, escaped" 'console line \x1b]0;owned' "$t_out"

# The runscript passes umlctl's words on.
if command -v rc-service >/dev/null; then
	g=$(t_name r)
	t_fake_conf "$g" KERNEL_ARGS="fake.record=$T_REC/$g fake.evil"
	t_rc_install "$g"
	t_exit 0 "rc-service start" rc-service "uml.$g" start
	t_exit 0 "rc-service status" rc-service "uml.$g" status
	raw_free "rc-service status" "$t_out"
	t_exit 0 "rc-service stop" rc-service "uml.$g" stop
	raw_free "rc-service stop" "$t_out"
fi
t_done
