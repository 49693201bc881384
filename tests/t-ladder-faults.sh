#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Supervision against a misbehaving kernel (the fake one): cad ignored,
# kernel hung, panics, never ready, malformed mconsole replies, slow boot,
# reboot on cad, a stale uml_dir left by a crash, SIGTERM to the supervisor.
# shellcheck source=SCRIPTDIR/lib.sh
. "${0%/*}/lib.sh"
t_init
t_need_umlctl
t_need_fake

elapsed() {
	echo $(($(date +%s) - $1))
}

# 1. cad ignored: sync, remount read-only, wait until / is ro, then halt.
g=$(t_name i)
t_fake_conf "$g" SHUTDOWN_TIMEOUT=2 KERNEL_ARGS="fake.record=$T_REC/$g fake.cad=ignore"
t_exit 0 "ignore: start" t_umlctl start "$g"
t0=$(date +%s)
t_exit 6 "ignore: stop exits 6 (stopped, forced)" t_umlctl stop "$g"
t_ok "ignore: stop took less than SHUTDOWN_TIMEOUT + 20 s" test "$(elapsed "$t0")" -lt 22
t_exit 3 "ignore: status exits 3" t_umlctl status "$g"
t_match "ignore: status says forced" 'stopped.*forced' "$t_out"
t_ok "ignore: cad, sysrq s, sysrq u, / read-only, then halt" t_in_order "$T_LOGDIR/$g.log" \
	'mconsole: cad$' 'mconsole: sysrq s$' 'mconsole: sysrq u$' \
	'Emergency Remount complete' 'mconsole: proc 1/mounts$' 'mconsole: halt$'
t_no_leftovers "$g"

# 2. Hung kernel (answers nothing, ignores SIGTERM): killed in bounded time.
g=$(t_name h)
t_fake_conf "$g" SHUTDOWN_TIMEOUT=2 KERNEL_ARGS="fake.record=$T_REC/$g fake.cad=hang"
t_exit 0 "hang: start" t_umlctl start "$g"
t0=$(date +%s)
t_run t_umlctl stop "$g"
t_log "hang: stop exited $t_status after $(elapsed "$t0") s: $t_out"
t_ok "hang: stop took less than SHUTDOWN_TIMEOUT + 20 s" test "$(elapsed "$t0")" -lt 22
t_exit 3 "hang: status exits 3" t_umlctl status "$g"
t_match "hang: status says forced" 'stopped.*forced' "$t_out"
t_no_leftovers "$g"

# 3. Panic while running: crashed, with the panic text; a new start works.
g=$(t_name p)
t_fake_conf "$g" KERNEL_ARGS="fake.record=$T_REC/$g fake.panic_after=500"
t_exit 0 "panic: start" t_umlctl start "$g"
t_ok "panic: status exits 4 within 5 s" t_wait 5 t_status_is 4 t_umlctl status "$g"
t_exit 4 "panic: status exits 4" t_umlctl status "$g"
t_match "panic: status says crashed" "^$g: crashed" "$t_out"
t_has "panic: status gives the panic text" "fake panic" "$t_out"
t_ok "panic: the kernel is gone" t_wait 5 t_user_gone "$T_USER"
t_fake_conf "$g"
t_exit 0 "panic: a new start exits 0" t_umlctl start "$g"
t_exit 0 "panic: stop" t_umlctl stop "$g"
t_no_leftovers "$g"

# 4. Never ready, or replies umlctl cannot use: start times out (1) and
# leaves nothing behind.
for k in fake.noready fake.reply=garbage fake.reply=short fake.reply=biglen; do
	g=$(t_name "n${k#fake.}")
	g=$(printf '%s' "$g" | tr -c 'A-Za-z0-9\n' x)
	t_fake_conf "$g" START_TIMEOUT=2 KERNEL_ARGS="fake.record=$T_REC/$g $k"
	t0=$(date +%s)
	t_exit 1 "$k: start exits 1 (timed out)" t_umlctl start "$g"
	t_has "$k: start says it timed out" START_TIMEOUT "$t_out"
	t_match "$k: start leads with the reason" "^umlctl: $g: did not answer" "$t_out"
	t_has "$k: start shows the console log's last lines" \
		"last lines of the console log" "$t_out"
	t_ok "$k: start gave up within START_TIMEOUT + 10 s" test "$(elapsed "$t0")" -lt 12
	t_no_leftovers "$g"
	t_exit 3 "$k: status exits 3" t_umlctl status "$g"
done

# A guest that powers itself off (its own `poweroff') is stopped, not
# crashed, and its supervisor cleans up.
g=$(t_name p)
t_fake_conf "$g" KERNEL_ARGS="fake.record=$T_REC/$g fake.poweroff_after=300"
t_exit 0 "self-poweroff: start" t_umlctl start "$g"
t_ok "self-poweroff: status exits 3 within 5 s" t_wait 5 t_status_is 3 t_umlctl status "$g"
t_exit 3 "self-poweroff: status exits 3" t_umlctl status "$g"
t_match "self-poweroff: status says it powered off by itself" \
	"^$g: stopped: the guest powered off by itself" "$t_out"
t_no_leftovers "$g"

# A first `version' answered after the mconsole timeout (a loaded host):
# start keeps asking until START_TIMEOUT instead of giving up on the guest.
g=$(t_name v)
t_fake_conf "$g" START_TIMEOUT=6 KERNEL_ARGS="fake.record=$T_REC/$g fake.slow_version=1500"
t_exit 0 "slow version: start exits 0" t_umlctl start "$g"
t_exit 0 "slow version: status exits 0" t_umlctl status "$g"
t_exit 0 "slow version: stop" t_umlctl stop "$g"
t_no_leftovers "$g"

# 5. Slow boot within START_TIMEOUT.
g=$(t_name d)
t_fake_conf "$g" START_TIMEOUT=5 KERNEL_ARGS="fake.record=$T_REC/$g fake.delay_ready=1500"
t0=$(date +%s)
t_exit 0 "delay: start exits 0" t_umlctl start "$g"
t_exit 0 "delay: status exits 0" t_umlctl status "$g"
t_exit 0 "delay: stop" t_umlctl stop "$g"
t_no_leftovers "$g"

# 6. Reboot on cad: noticed, logged, and the guest still stops.
g=$(t_name r)
t_fake_conf "$g" SHUTDOWN_TIMEOUT=3 KERNEL_ARGS="fake.record=$T_REC/$g fake.cad=reboot"
t_exit 0 "reboot: start" t_umlctl start "$g"
t0=$(date +%s)
t_exit 6 "reboot: stop exits 6 (stopped, forced)" t_umlctl stop "$g"
t_ok "reboot: stop took less than SHUTDOWN_TIMEOUT + 20 s" test "$(elapsed "$t0")" -lt 23
t_match "reboot: umlctl logged the reboot" '^umlctl: .*reboot' "$(t_console "$T_LOGDIR/$g.log")"
t_exit 3 "reboot: status exits 3" t_umlctl status "$g"
t_no_leftovers "$g"

# 7. umlctl and the kernel both killed: /run/uml/NAME/ is left behind with
# u/NAME/pid naming a live process (UML would then silently take a random
# umid).  status says crashed; the next start cleans up and works.
g=$(t_name s)
t_fake_conf "$g"
t_exit 0 "stale: start" t_umlctl start "$g"
sup=$(cat "/run/uml/$g.pid" 2>/dev/null)
kp=$(t_kernel_pid "$g")
t_ok "stale: supervisor and kernel found" test -n "$sup" -a -n "$kp"
[ -n "$sup" ] && kill -KILL "$sup"
[ -n "$kp" ] && kill -KILL "-$kp"
t_wait 5 t_user_gone "$T_USER"
t_ok "stale: the kernel's uml_dir is left behind" test -e "/run/uml/$g/u/$g/pid"
echo 1 >"/run/uml/$g/u/$g/pid"
t_exit 4 "stale: status exits 4" t_umlctl status "$g"
t_match "stale: status says crashed" "^$g: crashed" "$t_out"
t_exit 0 "stale: a new start exits 0" t_umlctl start "$g"
t_nomatch "stale: the kernel kept its umid" 'falling back' "$(t_console "$T_LOGDIR/$g.log")"
t_exit 0 "stale: mconsole version works" t_umlctl mconsole "$g" version
t_has "stale: mconsole version answers" "Linux fakekernel 1.0" "$t_out"
t_exit 0 "stale: stop" t_umlctl stop "$g"
t_no_leftovers "$g"

# 8. SIGTERM to the supervisor (what start-stop-daemon sends) is a stop.
g=$(t_name t)
t_fake_conf "$g"
t_exit 0 "sigterm: start" t_umlctl start "$g"
sup=$(cat "/run/uml/$g.pid" 2>/dev/null)
t_ok "sigterm: the pid file names a umlctl" sh -c "tr '\\0' ' ' </proc/$sup/cmdline | grep -q umlctl"
kill -TERM "$sup"
t_ok "sigterm: the supervisor exits" t_wait 10 sh -c "! kill -0 $sup 2>/dev/null"
t_exit 3 "sigterm: status exits 3" t_umlctl status "$g"
t_match "sigterm: status says graceful" 'stopped.*graceful' "$t_out"
t_no_leftovers "$g"

# 9. mconsole passthrough.
g=$(t_name m)
t_fake_conf "$g"
t_exit 0 "mconsole: start" t_umlctl start "$g"
t_exit 0 "mconsole: proc mounts" t_umlctl mconsole "$g" proc mounts
t_has "mconsole: proc mounts answers" "/dev/root / ext2 rw" "$t_out"
t_run t_umlctl mconsole "$g" nosuchcommand
out=$t_out
t_ok "mconsole: an unknown command fails" test "$t_status" -ne 0
t_has "mconsole: and names it" nosuchcommand "$out"
t_exit 0 "mconsole: stop" t_umlctl stop "$g"
t_exit 3 "mconsole: on a stopped guest exits 3" t_umlctl mconsole "$g" version
t_no_leftovers "$g"

# cad_panic LETTER KIND STOP STATUS WHAT RE: a guest whose kernel panics
# at ctrl-alt-del, after KIND's console lines (fake.panic_kind; "" none):
# stop exits STOP, status STATUS, and NAME.last matches RE.
cad_panic() {
	g=$(t_name "$1")
	t_fake_conf "$g" KERNEL_ARGS="fake.record=$T_REC/$g fake.cad=crash${2:+ fake.panic_kind=$2}"
	t_exit 0 "$5: start" t_umlctl start "$g"
	t_exit "$3" "$5: stop exits $3" t_umlctl stop "$g"
	t_exit "$4" "$5: status exits $4" t_umlctl status "$g"
	t_match "$5: the outcome" "$6" "$(cat "/run/uml/$g.last")"
	t_no_leftovers "$g"
}

# 10. A panic at ctrl-alt-del (init killed when the host process behind it
# had been SIGKILLed, RELIABILITY.md finding 18) is a crash, not a graceful
# stop: init did not shut the guest down and may have died before any sync.
cad_panic p "" 4 4 "panic at cad" '^crashed.*fake panic.*after ctrl-alt-del'

# 11. A panic right after the kernel said "reboot: System halted" is the
# kernel's last steps failing after the guest's own shutdown (6.1's fault
# in its halt path; RELIABILITY.md, finding 22): at cad a graceful stop, by
# itself a power-off, neither a crash nor a respawn; the panic is still
# named.  Another line between the two, and it is a crash again.
cad_panic x halt 0 3 "panic after halt at cad" \
	'^graceful.*Kernel mode fault.*after ctrl-alt-del'
cad_panic z haltlate 4 4 "a line between halt and panic" \
	'^crashed.*Kernel mode fault.*after ctrl-alt-del'
g=$(t_name y)
t_fake_conf "$g" RESPAWN=yes \
	KERNEL_ARGS="fake.record=$T_REC/$g fake.panic_after=300 fake.panic_kind=halt"
t_exit 0 "panic after halt by itself: start" t_umlctl start "$g"
t_ok "panic after halt by itself: status exits 3 within 5 s" \
	t_wait 5 t_status_is 3 t_umlctl status "$g"
t_exit 3 "panic after halt by itself: status exits 3" t_umlctl status "$g"
t_match "panic after halt by itself: a power-off, with the panic" \
	"^$g: stopped: the guest halted by itself, then the kernel's panic: Kernel mode fault" "$t_out"
t_nomatch "panic after halt by itself: no respawn" respawning \
	"$(cat "$T_LOGDIR/$g.log")"
t_no_leftovers "$g"
t_done
