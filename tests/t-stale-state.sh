#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Runtime state left by a host crash, naming live processes that have
# nothing to do with the guest, is neither believed nor acted on:
# 1. /run/uml/NAME/ left behind, its u/NAME/pid naming a live `sleep' of
#    another user (UML would take that umid as in use and silently pick a
#    random one), NAME.pid naming it too, NAME.lock left unlocked: status
#    says crashed, stop removes the leftovers (exit 4) and signals nothing,
#    start succeeds with umid NAME (the
#    mconsole answers at /run/uml/NAME/u/NAME/mconsole), and the sleep is
#    untouched.  With the fake kernel and with the real one.
# 2. /run/uml/NAME/state (root's, as umlctl writes it) naming a live process
#    group leader that is not the old kernel: its pid was reused, it started
#    after the recorded kernel.  Of another user, of USER itself, of root:
#    start succeeds and does not kill it.
# SC2317: is_leader is called through t_wait, which shellcheck does not follow.
# shellcheck source=SCRIPTDIR/lib.sh disable=SC2317
. "${0%/*}/lib.sh"
t_init
t_need_umlctl
t_need_fake

# bystander USER: a `sleep' of USER, leader of its own process group, in
# $by; killed when the test exits.
bystander() {
	setpriv --reuid="$1" --regid="$(id -g "$1")" --init-groups -- \
		setsid sleep 600 </dev/null >/dev/null 2>&1 &
	by=$!
	t_defer "kill -KILL $by"
	t_wait 5 is_leader "$by" ||
		t_bail "the bystander $by of $1 did not become a group leader"
	by_start=$(starttime "$by")
}

# is_leader PID: PID leads its process group.
is_leader() {
	[ "$(ps -o pgid= -p "$1" | tr -d ' ')" = "$1" ]
}

# starttime PID: field 22 of /proc/PID/stat (clock ticks since boot).
starttime() {
	sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f20
}

# untouched DESC: the bystander lives, the same process as before.
untouched() {
	t_ok "$1: the bystander $by is alive" kill -0 "$by"
	t_eq "$1: and is the same process (start time)" "$by_start" "$(starttime "$by")"
}

# leftover NAME USER PID: /run/uml/NAME/ as a crash leaves it, u/NAME/pid
# and /run/uml/NAME.pid naming PID, an unlocked NAME.lock.
leftover() {
	mkdir -p "/run/uml/$1/u/$1"
	chmod 0711 "/run/uml/$1"
	chmod 0700 "/run/uml/$1/u"
	echo "$3" >"/run/uml/$1/u/$1/pid"
	chown -R "$2:" "/run/uml/$1/u"
	echo "$3" >"/run/uml/$1.pid"
	chmod 0644 "/run/uml/$1.pid"
	: >"/run/uml/$1.lock"
	chmod 0600 "/run/uml/$1.lock"
}

# 1. A stale uml_dir naming a live process of another user.
for k in fake real; do
	g=$(t_name "u$k")
	if [ "$k" = fake ]; then
		t_fake_conf "$g"
	else
		[ -x "$REALKERNEL" ] || continue
		t_root_image "$g"
		t_real_conf "$g"
	fi
	bystander "$T_USER2"
	leftover "$g" "$T_USER" "$by"
	t_exit 4 "$k: status of the leftover exits 4" t_umlctl status "$g"
	t_match "$k: status says crashed" "^$g: crashed" "$t_out"
	t_exit 4 "$k: stop exits 4 (crashed), cleaning up" t_umlctl stop "$g"
	t_match "$k: stop says it cleaned up" "^$g: crashed: .*cleaned up after it" "$t_out"
	t_ok "$k: stop removed /run/uml/$g" test ! -e "/run/uml/$g"
	untouched "$k: after status and stop"
	t_exit 0 "$k: start exits 0" t_umlctl start "$g"
	t_ok "$k: the mconsole is at /run/uml/$g/u/$g/mconsole" test -S "/run/uml/$g/u/$g/mconsole"
	t_exit 0 "$k: mconsole version answers" t_umlctl mconsole "$g" version
	t_match "$k: with a kernel version" 'Linux' "$t_out"
	t_nomatch "$k: the kernel kept its umid" 'falling back|in use' "$(t_console "$T_LOGDIR/$g.log")"
	t_eq "$k: u/ holds only the umid $g" "$g" "$(ls -A "/run/uml/$g/u")"
	untouched "$k: after start"
	# A real guest stopped while it boots would be forced (exit 6).
	[ "$k" = fake ] || t_ok "$k: the guest is up" t_wait_up "$g" 1
	t_exit 0 "$k: stop exits 0" t_umlctl stop "$g"
	untouched "$k: after stop"
	kill -KILL "$by" 2>/dev/null
	t_no_leftovers "$g"
done

# 2. A state file whose kernel pid now belongs to somebody else.
g=$(t_name s)
t_fake_conf "$g"
for who in "$T_USER2" "$T_USER" root; do
	bystander "$who"
	mkdir -p "/run/uml/$g"
	chmod 0711 "/run/uml/$g"
	# As write_state() records a kernel: pid, start time, uid; this one
	# started a second before the bystander, and ran as USER.
	printf '%s %s %s\ntaps:\n' "$by" "$((by_start - 100))" "$(id -u "$T_USER")" \
		>"/run/uml/$g/state"
	chmod 0600 "/run/uml/$g/state"
	t_exit 0 "state naming $who's $by: start exits 0" t_umlctl start "$g"
	t_nomatch "state naming $who's $by: start killed nothing" 'killed' "$t_out"
	untouched "state naming $who's $by"
	t_exit 0 "state naming $who's $by: stop exits 0" t_umlctl stop "$g"
	kill -KILL "$by" 2>/dev/null
	t_no_leftovers "$g"
done
t_done
