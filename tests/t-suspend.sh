#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Suspend and resume (issue 27): a real guest that keeps acknowledging
# records on its console (mkguest.sh --records) is suspended with umlctl
# and with rc-service; while suspended it writes nothing, status says
# `suspended' and exits 10 (OpenRC's status: started), list says so, the
# record says so, and hang detection (HANG_TIMEOUT=2) does not call it
# hung; its console socket stays; resumed, it writes again.  A suspended
# guest stops gracefully (resumed first).  Refusals: not running (exit 3),
# also when the record says suspended but its supervisor was killed;
# twice is no error.  status --json and metrics say suspended too.  A
# backup of the guest started by rc-service leaves the service started and
# the guest running; rc-service stop shows that it waited for one.
# shellcheck source=SCRIPTDIR/lib.sh
. "${0%/*}/lib.sh"
t_init
t_need_umlctl
[ -x "$REALKERNEL" ] || t_skip_all "$REALKERNEL missing"
command -v rc-service >/dev/null || t_skip_all "rc-service missing (apt-get install openrc)"

g=$(t_name p)
t_root_image "$g" --records
t_real_conf "$g" READY=guest HANG_TIMEOUT=2 KERNEL_ARGS="round=1"
log=$T_LOGDIR/$g.log
acks() {
	grep -c '^ack ' "$log"
}

t_exit 3 "suspend of a guest not running exits 3" t_umlctl suspend "$g"
t_exit 3 "resume of a guest not running exits 3" t_umlctl resume "$g"
t_exit 0 "start" t_umlctl start "$g"
t_ok "records are acknowledged" t_wait_log "$log" '^ack 1 5[[:space:]]*$' 30

t_exit 0 "suspend exits 0" t_umlctl suspend "$g"
t_eq "suspend says so" "$g: suspended" "$t_out"
t_has "the record says so" "suspended=" "$(grep -v '^suspended=0$' "/run/uml/$g/state")"
n1=$(acks)
sleep 5
t_eq "suspended: no record acknowledged for 5 s" "$n1" "$(acks)"
t_exit 10 "status exits 10" t_umlctl status "$g"
t_match "status says suspended" "^$g: suspended for [0-9]+ s, kernel pid [0-9]+" "$t_out"
t_exit 10 "status --json exits 10" t_umlctl status --json "$g"
t_has "status --json says suspended" '"state":"suspended",' "$t_out"
t_exit 0 "metrics exits 0" t_umlctl metrics
t_has "metrics: its state is suspended" "umlctl_guest_state{guest=\"$g\",state=\"suspended\"} 1" "$t_out"
t_has "metrics: it is up" "umlctl_guest_up{guest=\"$g\"} 1" "$t_out"
t_nomatch "not called hung after more than HANG_TIMEOUT" 'hung' "$(cat "$log")"
t_exit 0 "list exits 0" t_umlctl list
t_match "list says suspended" "^$g +suspended +[0-9]" "$t_out"
t_ok "its console socket stays" test -S "/run/uml/$g/console"
t_exit 0 "suspend again: no error" t_umlctl suspend "$g"
t_eq "it says so" "$g: already suspended" "$t_out"
t_exit 0 "resume exits 0" t_umlctl resume "$g"
t_eq "resume says so" "$g: resumed" "$t_out"
t_ok "resumed: records are acknowledged again" t_wait 20 sh -c "[ \$(grep -c '^ack ' '$log') -gt $n1 ]"
t_exit 0 "status: running again" t_umlctl status "$g"
t_match "status says running" "^$g: running" "$t_out"
t_exit 0 "resume again: no error" t_umlctl resume "$g"

# Stop of a suspended guest: resumed, then a graceful stop.
t_exit 0 "suspend before stop" t_umlctl suspend "$g"
t_exit 0 "stop of the suspended guest exits 0" t_umlctl stop "$g"
t_has "it stopped gracefully" "graceful" "$t_out"
t_has "the log says it was resumed first" "resumed it" "$(cat "$log")"
t_no_leftovers "$g"
t_ok "its image is clean" e2fsck -fn "$T_UMLDIR/$g/root.loop"

# A suspended guest whose supervisor was killed: its record still says
# suspended, but nothing holds it; suspend and resume say so (exit 3).
t_exit 0 "orphan: start" t_umlctl start "$g"
t_exit 0 "orphan: suspend" t_umlctl suspend "$g"
sup=$(cat "/run/uml/$g.pid")
kill -KILL "$sup"
t_ok "orphan: its supervisor ($sup) is gone" t_wait 10 sh -c "! kill -0 $sup 2>/dev/null"
t_has "orphan: its record still says suspended" "suspended=" "$(grep -v '^suspended=0$' "/run/uml/$g/state")"
t_exit 3 "orphan: suspend exits 3" t_umlctl suspend "$g"
t_nomatch "orphan: suspend does not say already suspended" 'already' "$t_out"
t_has "orphan: suspend says the supervisor was killed" "$g: not suspended: its umlctl supervisor was killed" "$t_out"
t_exit 3 "orphan: resume exits 3" t_umlctl resume "$g"
t_has "orphan: resume says the supervisor was killed" "$g: not resumed: its umlctl supervisor was killed" "$t_out"
t_exit 4 "orphan: stop cleans up (exit 4: crashed)" t_umlctl stop "$g"
t_no_leftovers "$g"

# Under OpenRC.
t_rc_install "$g"
t_exit 0 "rc-service start" rc-service "uml.$g" start
t_exit 0 "rc-service suspend exits 0" rc-service "uml.$g" suspend
t_exit 10 "umlctl status: suspended" "$UMLCTL" status "$g"
t_exit 0 "rc-service status: started (OpenRC has no paused state)" rc-service "uml.$g" status
t_has "rc-service status shows umlctl's word" "suspended" "$t_out"
t_exit 0 "rc-service resume exits 0" rc-service "uml.$g" resume
t_exit 0 "umlctl status: running" "$UMLCTL" status "$g"
# A backup of the guest OpenRC started: the service stays started and
# the guest runs on.
mkdir -m 0700 "$T_TMP/bk"
t_exit 0 "backup of the rc-service guest exits 0" t_umlctl backup "$g" "$T_TMP/bk"
t_match "backup: it says how long the guest was paused" "^$g: .*; paused for [0-9]+ ms$" "$t_out"
t_ok "backup: the copy is there" test -s "$T_TMP/bk/$g-root.img"
t_exit 0 "backup: rc-service status: started" rc-service "uml.$g" status
t_ok "backup: OpenRC says started" test -e "/run/openrc/started/uml.$g"
n1=$(acks)
t_ok "backup: the guest runs on: records are acknowledged" t_wait 20 sh -c "[ \$(grep -c '^ack ' '$log') -gt $n1 ]"
t_exit 0 "rc-service suspend again" rc-service "uml.$g" suspend
t_exit 0 "rc-service stop of the suspended guest" rc-service "uml.$g" stop
t_ok "umlctl: stopped gracefully" sh -c "'$UMLCTL' status '$g' | grep -q graceful"
t_exit 1 "rc-service suspend of a stopped service fails" rc-service "uml.$g" suspend
# A stop that waits for a backup's hold (a process of ours that holds the
# guest until a file appears, made once umlctl stop has run 2 s, eight of
# its looks): rc-service shows umlctl's warning, graceful or not.
t_exit 0 "rc-service start again" rc-service "uml.$g" start
bash -c 'kill -s RTMIN+1 "$1" && while [ ! -e "$2" ]; do sleep 0.1; done' \
	sh "$(cat "/run/uml/$g.pid")" "$T_TMP/letgo" &
holder=$!
t_ok "held for pid $holder" t_wait 20 sh -c "sed -n 's/^backup=//p' /run/uml/$g/state | grep -q '^$holder 2 '"
(t_wait 60 pgrep -f "umlctl -c [^ ]* stop $g\$" && sleep 2; touch "$T_TMP/letgo") &
t_exit 0 "rc-service stop while held exits 0" rc-service "uml.$g" stop
t_has "rc-service stop shows that it waited for the backup" "held by a backup (pid $holder): the stop waits" "$t_out"
wait "$holder"
t_ok "umlctl: stopped gracefully after the hold" sh -c "'$UMLCTL' status '$g' | grep -q graceful"
t_no_leftovers "$g"

t_done
