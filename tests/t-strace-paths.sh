#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Root never resolves a path through a directory USER controls, and ignores
# what USER plants there.  Every umlctl run (start, and the supervisor it
# leaves until the stop; status; mconsole; stop) is traced with
#   strace -f -qq -y -e trace=%file,chown,fchown,fchownat,chmod,fchmod,
#     fchmodat,unlink,unlinkat,rename,renameat,renameat2 (+ clone, fork,
#     setuid, setreuid, setresuid)
# and every path-based call made as root is checked: a process is root's
# until it changes its uid to another (the kernel child's drop to USER,
# after which it opens the paths of its Landlock domain as USER) or execs
# the kernel:
# - a path (absolute, or relative to the cwd) must not lie below UMLDIR/NAME
#   (chowned to USER here, as it may be), USER's home, or /run/uml/NAME/u;
#   the only exceptions are the host check's stat/lstat of the images
#   ROOT=UMLDIR/NAME/root.loop and the default SWAP=UMLDIR/NAME/swap.loop
#   (they only read metadata, and the image is then opened by the kernel,
#   as USER);
# - a call relative to a directory fd below those must name one component
#   and not follow it: openat with O_NOFOLLOW, *stat*/fchownat/fchmodat with
#   AT_SYMLINK_NOFOLLOW, or unlinkat, mkdirat, renameat.
# While the guest runs, USER plants links in /run/uml/NAME/u/NAME/: the
# mconsole socket replaced by a link to a socket USER owns and the test
# listens on, links and a directory of links to root's canary files, then
# u/NAME itself replaced by a link to the listener's directory.  status and
# mconsole must not talk to the planted socket (it receives nothing), and
# the teardown must leave the canaries alone.
# SC2317: running is called through t_wait, which shellcheck does not follow.
# shellcheck source=SCRIPTDIR/lib.sh disable=SC2317
. "${0%/*}/lib.sh"
t_init
t_need_umlctl
t_need_fake
command -v strace >/dev/null || t_skip_all "strace missing (apt-get install strace)"

g=$(t_name s)
t_fake_conf "$g"
chown "$T_USER:" "$T_UMLDIR/$g"
home=$(getent passwd "$T_USER" | cut -d: -f6)
d=/run/uml/$g/u/$g

TRACE=%file,chown,fchown,fchownat,chmod,fchmod,fchmodat,unlink,unlinkat,rename,renameat,renameat2,clone,clone3,fork,vfork,setuid,setreuid,setresuid

# traced NAME CMD...: run CMD under strace into $T_TMP/NAME.trace; its exit
# status in $T_TMP/NAME.st, its output in $T_TMP/NAME.out.
traced() {
	_n=$1
	shift
	# shellcheck disable=SC2016 # expanded by the inner sh
	strace -f -qq -y -e trace="$TRACE" -o "$T_TMP/$_n.trace" \
		sh -c '"$@" >"$0.out" 2>&1; echo $? >"$0.st"' "$T_TMP/$_n" "$@"
}

asuser() {
	setpriv --reuid="$T_USER" --regid="$(id -g "$T_USER")" --init-groups -- "$@"
}

running() {
	"$UMLCTL" -c "$T_CONF" status "$g" 2>/dev/null | grep -q "^$g: running"
}

# Root's canaries, and a listener of USER's own: only O_NOFOLLOW (not the
# owner check) keeps root from talking to it through a link.
mkdir -p "$T_TMP/canary/dir"
echo keep >"$T_TMP/canary/keep"
chmod 0600 "$T_TMP/canary/keep"
chmod 0700 "$T_TMP/canary/dir"
canary() {
	find "$T_TMP/canary" -printf '%p %u %m %s\n' | sort
}
before=$(canary)
mkdir -p "$T_TMP/planted"
chown "$T_USER:" "$T_TMP/planted"
setpriv --reuid="$T_USER" --regid="$(id -g "$T_USER")" --init-groups -- \
	"$T_FAKE" umid=x "uml_dir=$T_TMP/planted" >"$T_TMP/planted.log" 2>&1 &
listener=$!
t_defer "kill -KILL $listener"
t_ok "the planted listener is up" t_wait 5 test -S "$T_TMP/planted/x/mconsole"

# Start; strace follows the supervisor until it exits.
traced start "$UMLCTL" -c "$T_CONF" start "$g" &
tracer=$!
t_defer "kill $tracer"
t_ok "start: the guest runs" t_wait 10 running "$g"
t_ok "start exited 0" t_wait 10 grep -qx 0 "$T_TMP/start.st"

# 1. Links in u/NAME/.
t_ok "$T_USER plants links in $d" asuser sh -c "
	mv '$d/mconsole' '$d/mconsole.real' &&
	ln -s '$T_TMP/planted/x/mconsole' '$d/mconsole' &&
	rm -f '$d/pid' && ln -s '$T_TMP/canary/keep' '$d/pid' &&
	ln -s '$T_TMP/canary' '$d/evil' &&
	ln -s '$T_TMP/canary/keep' '$d/evil2' &&
	mkdir '$d/sub' && ln -s '$T_TMP/canary' '$d/sub/link' &&
	ln -s '$T_TMP/canary' '/run/uml/$g/u/other'"
traced status1 "$UMLCTL" -c "$T_CONF" status "$g"
t_eq "links: status exits 0" 0 "$(cat "$T_TMP/status1.st")"
t_match "links: status says running, without a version" "^$g: running.*no answer" \
	"$(cat "$T_TMP/status1.out")"
traced mconsole1 "$UMLCTL" -c "$T_CONF" mconsole "$g" version
t_ok "links: mconsole version fails" test "$(cat "$T_TMP/mconsole1.st")" -ne 0
t_log "links: mconsole said: $(cat "$T_TMP/mconsole1.out")"
t_nomatch "links: the planted socket received nothing" 'mconsole: ' "$(cat "$T_TMP/planted.log")"

# 2. u/NAME itself a link to the listener's directory.
t_ok "$T_USER replaces $d by a link" asuser sh -c "
	mv '$d' '$d.real' && ln -s '$T_TMP/planted/x' '$d'"
traced status2 "$UMLCTL" -c "$T_CONF" status "$g"
t_eq "dir link: status exits 0" 0 "$(cat "$T_TMP/status2.st")"
t_match "dir link: status says running, without a version" "^$g: running.*no answer" \
	"$(cat "$T_TMP/status2.out")"
traced mconsole2 "$UMLCTL" -c "$T_CONF" mconsole "$g" version
t_ok "dir link: mconsole version fails" test "$(cat "$T_TMP/mconsole2.st")" -ne 0
t_nomatch "dir link: the planted socket received nothing" 'mconsole: ' "$(cat "$T_TMP/planted.log")"

# Stop (the supervisor still talks to the kernel it connected to at start).
traced stop "$UMLCTL" -c "$T_CONF" stop "$g"
t_eq "stop exits 0" 0 "$(cat "$T_TMP/stop.st")"
t_log "stop said: $(cat "$T_TMP/stop.out")"
wait "$tracer"
t_ok "the supervisor is gone" test ! -e "/run/uml/$g.pid"
t_eq "the canaries are untouched" "$before" "$(canary)"
t_nomatch "the planted socket received nothing at all" 'mconsole: ' "$(cat "$T_TMP/planted.log")"
kill -KILL "$listener"
wait "$listener" 2>/dev/null
t_no_leftovers "$g"

# The traces.
prefixes="$T_UMLDIR/$g/|/run/uml/$g/u/"
[ "$home" != / ] && [ -n "$home" ] && prefixes="$prefixes|$home/"
images="$T_UMLDIR/$g/root.loop|$T_UMLDIR/$g/swap.loop"
cat >"$T_TMP/check.awk" <<'EOF'
# Input: strace -f -y output.  K: the kernel's path; P: prefixes of
# USER-controlled directories, |-separated; I: paths root may stat there.
function under(p,   i) {
	for (i = 1; i <= np; i++)
		if (substr(p, 1, length(pre[i])) == pre[i])
			return 1
	return 0
}
function bad(why) {
	printf "%s: %s: %s\n", FILENAME, why, $0
	nbad++
}
BEGIN {
	np = split(P, pre, "|")
	ni = split(I, img, "|")
	for (i = 1; i <= ni; i++)
		okstat[img[i]] = 1
}
{
	pid = $1
	s = $0
	sub(/^[0-9]+ +/, "", s)
	if (s ~ /^<\.\.\. (clone|clone3|fork|vfork) resumed>/) {
		if (post[pid] && match(s, /= [0-9]+$/))
			post[substr(s, RSTART + 2)] = 1
		next
	}
	if (s ~ /^(<\.\.\.|\+\+\+|---)/)
		next
	name = s
	sub(/\(.*/, "", name)
	args = substr(s, length(name) + 2)
	if (name ~ /^(clone|clone3|fork|vfork)$/) {
		if (post[pid] && match(s, /= [0-9]+$/))
			post[substr(s, RSTART + 2)] = 1
		next
	}
	if (post[pid])
		next
	# The drop to USER: from here on this process is not root.
	if (name ~ /^set(res|re)?uid$/) {
		if (args ~ /^[1-9][0-9]*[,)]/ && s ~ /= 0$/)
			post[pid] = 1
		next
	}
	if (name == "execve") {
		if (match(args, /^"[^"]*"/) && substr(args, 2, RLENGTH - 2) == K)
			post[pid] = 1
		next
	}
	stat = name ~ /^(newfstatat|fstatat64|stat|lstat|statx|statfs)$/
	# A path alone: chdir, mkdir, unlink, stat, statfs...
	if (match(args, /^"[^"]*"/)) {
		p = substr(args, 2, RLENGTH - 2)
		if (p !~ /^\//)
			p = "./" p
		if (under(p) && !(stat && okstat[p]))
			bad("path under a USER directory")
		else if (under(p))
			allowed[p " (" name ")"] = 1
	}
	# Directory fd and path pairs: openat, *at...
	rest = args
	while (match(rest, /(AT_FDCWD|[0-9]+)<[^>]*>, "[^"]*"/)) {
		pair = substr(rest, RSTART, RLENGTH)
		rest = substr(rest, RSTART + RLENGTH)
		dir = pair
		sub(/^[^<]*</, "", dir)
		sub(/>, ".*/, "", dir)
		p = pair
		sub(/^[^"]*"/, "", p)
		sub(/"$/, "", p)
		if (p == "")
			continue			# AT_EMPTY_PATH: the fd itself
		if (pair ~ /^AT_FDCWD/ || p ~ /^\//) {
			if (p !~ /^\//)
				p = dir "/" p
			if (under(p) && !(stat && okstat[p]))
				bad("path under a USER directory")
			else if (under(p))
				allowed[p " (" name ")"] = 1
			continue
		}
		if (!under(dir "/"))
			continue
		if (p ~ /\//)
			bad("several components below a USER directory")
		else if (name ~ /^(unlinkat|mkdirat|renameat|renameat2)$/)
			;
		else if (name == "openat" && args ~ /O_NOFOLLOW/)
			;
		else if (name ~ /^(newfstatat|statx|fchownat|fchmodat|utimensat)$/ && args ~ /AT_SYMLINK_NOFOLLOW/)
			;
		else
			bad("may follow a link below a USER directory")
	}
}
END {
	for (a in allowed)
		printf "allowed: %s\n", a
	exit (nbad > 0)
}
EOF
result=$(awk -v K="$T_FAKE" -v P="$prefixes" -v I="$images" -f "$T_TMP/check.awk" \
	"$T_TMP"/*.trace)
t_log "traced calls: $(cat "$T_TMP"/*.trace | wc -l)"
printf '%s\n' "$result" | grep '^allowed: ' | sed 's/^/# /'
t_eq "no path resolved through a USER directory by root" "" \
	"$(printf '%s\n' "$result" | grep -v '^allowed: ')"
t_ok "the traces cover the teardown of u/" grep -q "unlinkat(.*</run/uml/$g>, \"u\", AT_REMOVEDIR" "$T_TMP/start.trace"
t_ok "the traces cover the kernel's exec" grep -q "execve(\"$T_FAKE\"" "$T_TMP/start.trace"
t_done
