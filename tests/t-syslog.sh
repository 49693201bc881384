#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# umlctl's own lines about a guest (started, ready, each stop step, how it
# ended, errors) also go to syslog, facility daemon, tagged uml.NAME with
# the supervisor's pid (issue 11); the console's bytes do not.  A syslog
# daemon of the test's own stands on /dev/log (fakekernel --syslog); on a
# host where /dev/log exists already the test is skipped.
# shellcheck source=SCRIPTDIR/lib.sh
. "${0%/*}/lib.sh"
t_init
t_need_umlctl
t_need_fake
[ ! -e /dev/log ] || t_skip_all "/dev/log exists (a syslog daemon runs): not replaced"

out=$T_TMP/syslog
"$T_FAKE" --syslog /dev/log "$out" 120 &
t_defer "kill $! 2>/dev/null; rm -f /dev/log"
t_ok "the test's syslog listens" t_wait 5 test -S /dev/log

g=$(t_name s)
t_fake_conf "$g" KERNEL_ARGS="fake.record=$T_REC/$g fake.guest_ready=0"
t_exit 0 "start" t_umlctl start "$g"
t_exit 0 "stop" t_umlctl stop "$g"
c=$(t_name c)
t_fake_conf "$c" KERNEL_ARGS="fake.record=$T_REC/$c fake.panic_after=300"
t_exit 0 "crash: start" t_umlctl start "$c"
t_ok "crash: status says crashed" t_wait 10 t_status_is 4 t_umlctl status "$c"
t_ok "the messages arrived" t_wait 5 grep -q "$c: crashed" "$out"
log=$(cat "$out")
t_log "syslog: $log"
# daemon.info is <30>, daemon.warning <28> (RFC 3164: facility 3 * 8 + severity).
t_match "ready, at daemon.info, tagged uml.NAME[pid]" "^<30>.* uml\\.$g\\[[0-9]+\\]: $g: ready" "$log"
t_match "the stop's steps" "^<30>.* uml\\.$g\\[[0-9]+\\]: $g: stop: ctrl-alt-del" "$log"
t_match "how it ended" "^<30>.* uml\\.$g\\[[0-9]+\\]: $g: stopped, graceful" "$log"
t_match "the crash, with its panic" "^<30>.* uml\\.$c\\[[0-9]+\\]: $c: crashed: panic: fake panic" "$log"
t_nomatch "no console line" 'fakekernel: booting' "$log"

# An error at start (its tap cannot be made: no such namespace is caught by
# check, so a kernel that cannot be executed) is a warning there too.
b=$(t_name b)
t_fake_conf "$b" KERNEL_ARGS="fake.record=$T_REC/$b fake.noready" START_TIMEOUT=1
t_exit 1 "a start that times out exits 1" t_umlctl start "$b"
t_ok "its failure reached syslog" t_wait 5 grep -q "uml\\.$b\\[[0-9]*\\]: $b: did not answer" "$out"
t_match "as a warning" "^<28>.* uml\\.$b\\[[0-9]+\\]: $b: did not answer" "$(cat "$out")"
t_done
