#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# HOSTFS (issue 23, item 3): the guest gets one host directory, the root of
# its hostfs mounts, and nothing above it.  hostfs's own root is no
# boundary (a guest's root mounts "DIR/.." or a link in DIR); the kernel's
# Landlock domain is.  The stand-in kernel, started as umlctl starts the
# real one, tries to reach past the share through "..", through a link the
# host put in it and a link to a file: confined every way is refused,
# with CONFINE="no" each one reaches its target (so the test can tell),
# and without HOSTFS not even the share is reached.  Bad values, a share
# above or inside the guest's files, another guest's or the host's system
# trees, a kernel without hostfs, and (confined) a host without Landlock
# are refused (exit 2, nothing done).  With a
# kernel that has hostfs, a real busybox guest mounts the share, reads
# the host's file, writes one the host sees, and fails to get out.
# shellcheck source=SCRIPTDIR/lib.sh
. "${0%/*}/lib.sh"
t_init
t_need_umlctl
t_need_fake
# The kernel's directory is no place for a share: its own, apart from hf.
mkdir -m 0755 "$T_TMP/kb" "$T_TMP/kb/bin"
mv "$T_FAKE" "$T_TMP/kb/bin/"
T_FAKE=$T_TMP/kb/bin/fakekernel

# The host's side: root's directory hf holding a file USER may read
# (secret), a directory USER may write (udir), and the share, USER's,
# with a file of the host's and links out (to hf, to secret).
hf=$T_TMP/hf
share=$hf/share
mkdir -m 0755 "$hf" "$share" "$hf/udir" "$hf/ro"
echo "the host's secret" >"$hf/secret"
chmod 0644 "$hf/secret"
echo "hello from the host" >"$share/from-host"
ln -s "$hf" "$share/out"
ln -s "$hf/secret" "$share/lnfile"
chown -R "$T_USER:" "$share" "$hf/udir"
chown -h "$T_USER:" "$share/out" "$share/lnfile"

outside="read:$share/../secret read:$share/out/secret read:$share/lnfile
create:$share/../udir create:$share/out/udir chmod:$share/../udir
utime:$share/out/udir"
inside="read:$share/from-host create:$share"
# Modes, owners and times by path are refused even in the share (kfilter.c).
bypath="chmod:$share/from-host utime:$share/from-host"

# words TRY...: fake.try= words for KERNEL_ARGS.
words() {
	for _t in "$@"; do
		printf 'fake.try=%s ' "$_t"
	done
}

# attack NAME CONFINE [VAR=VALUE...]: the stand-in runs every try; its
# console is in $log, check's output in $check_out.
attack() {
	_ag=$1
	_cf=$2
	shift 2
	# shellcheck disable=SC2086 # one try a word
	t_fake_conf "$_ag" CONFINE="$_cf" \
		KERNEL_ARGS="$(words $inside $bypath $outside)" "$@"
	t_exit 0 "$_ag (CONFINE=$_cf): check passes" t_umlctl check "$_ag"
	check_out=$t_out
	t_exit 0 "$_ag: show" t_umlctl show "$_ag"
	show_out=$t_out
	t_exit 0 "$_ag (CONFINE=$_cf) starts" t_umlctl start "$_ag"
	t_ok "$_ag: every try was made" t_wait 10 grep -q "attack utime:$share/out/udir:" \
		"$T_LOGDIR/$_ag.log"
	t_exit 0 "$_ag: stops" t_umlctl stop "$_ag"
	log=$(t_console "$T_LOGDIR/$_ag.log")
}

a=$(t_name a)
attack "$a" yes HOSTFS="$share"
t_has "$a: the kernel is told hostfs=$share" "argv[" "$show_out"
t_has "$a: show's argv has hostfs=" "] hostfs=$share" "$show_out"
t_has "$a: show says HOSTFS" "HOSTFS='$share'" "$show_out"
t_has "$a: show says the kernel has hostfs" "# kernel: hostfs yes" "$show_out"
t_has "$a: check names the share" "$a: hostfs: the guest may mount HOSTFS=\"$share\"" "$check_out"
t_nomatch "$a: check has no hostfs warning" 'warning: HOSTFS' "$check_out"
for t in $inside; do
	t_has "$a, confined: $t is reached (the share)" "attack $t: reached" "$log"
done
for t in $outside; do
	t_has "$a, confined: $t is refused" "attack $t: refused" "$log"
done
for t in $bypath; do
	t_has "$a, confined: $t is refused (by path)" "attack $t: refused (Operation not permitted)" "$log"
done

a=$(t_name n)
attack "$a" no HOSTFS="$share"
t_has "$a: check warns that nothing bounds hostfs" \
	"$a: warning: HOSTFS=\"$share\" without a Landlock domain" "$check_out"
for t in $inside $bypath $outside; do
	t_has "$a, CONFINE=no: $t is reached" "attack $t: reached" "$log"
done

a=$(t_name o)
attack "$a" yes
t_nomatch "$a: without HOSTFS no hostfs= for the kernel" 'hostfs=' "$show_out"
t_nomatch "$a: nor a hostfs line in check" 'hostfs:' "$check_out"
for t in $inside $bypath $outside; do
	t_has "$a, confined, no HOSTFS: $t is refused" "attack $t: refused" "$log"
done

# Bad values: exit 2, the variable and the value named, nothing done.
mkdir -m 0777 "$T_TMP/ww"
mkdir -m 0755 "$T_TMP/ww/share" "$share/sub"
chown "$T_USER:" "$T_TMP/ww/share" "$share/sub"
ln -s "$share" "$hf/link"
n=0
refused() {
	_v=$1
	shift
	n=$((n + 1))
	_g=$(t_name "b$n")
	t_fake_conf "$_g" HOSTFS="$_v"
	t_refused "HOSTFS=\"$_v\"" "$_g" "HOSTFS=\"$_v\"" "$@"
}
refused share "not an absolute path"
refused "$share/" "not a plain path"
refused "$hf/../hf/share" "not a plain path"
refused "$hf/./share" "not a plain path"
refused "$T_TMP//hf/share" "not a plain path"
refused / "the whole host"
refused "$share,append" "contains ','"
refused "$T_TMP" "holds UMLDIR"
refused "$hf/nothere" "No such file"
refused "$hf/secret" "not a directory"
refused "$hf/link" "symbolic link"
refused "$T_TMP/ww/share" "root's and writable only by root"
refused "$share/sub" "root's and writable only by root"
refused "$hf/ro" "USER cannot read, write and search it"
# Apart from what umlctl runs or keeps (hostfs.c), by the paths' spelling:
# refused_with VALUE "VAR=VALUE..." TEXT...
refused_with() {
	_v=$1
	_vars=$2
	shift 2
	n=$((n + 1))
	_g=$(t_name "b$n")
	# shellcheck disable=SC2086 # one assignment a word
	t_fake_conf "$_g" HOSTFS="$_v" $_vars
	t_refused "HOSTFS=\"$_v\" with $_vars" "$_g" "HOSTFS=\"$_v\"" "$@"
}
refused_with "$share" "ROOT=$share/d/../root.img" "holds ROOT (\"$share/root.img\")"
refused_with "$share" "SWAP=$share/swap.img" "holds SWAP"
refused_with "$share" "MEMORY_DIR=$hf" "is inside MEMORY_DIR (\"$hf\")"
refused_with "$share" "MEMORY_DIR=$share/mem" "holds MEMORY_DIR"
refused_with "$share" "BASE_IMAGE=$share/base.img" "is BASE_IMAGE's directory"
refused_with "$hf" "BASE_IMAGE=$share/base.img" "holds BASE_IMAGE's directory"
refused "${T_FAKE%/*}/share" "is inside KERNEL's directory (\"${T_FAKE%/*}\")"
refused "$T_TMP/kb" "holds KERNEL's directory (\"$T_TMP/kb/bin\")"
# The host's trees: not inside programs, configuration, kernel interfaces
# and logs (RUNDIR is inside /run), not a tree of others' files whole.
refused /run/uml/share "is inside the host's /run"
refused /etc/share "is inside the host's /etc"
refused /usr/local/share "is inside the host's /usr"
refused /var/log/uml "is inside the host's /var/log"
refused /home "is the host's /home"
refused /tmp "is the host's /tmp"
# Another guest (any file in conf.d): its UMLDIR, its directory, its disks.
o=$(t_name o2)
mkdir -m 0755 "$T_TMP/ou" "$hf/od"
t_conf "$o" USER="$T_USER" UMLDIR="$T_TMP/ou" KERNEL="$T_FAKE" \
	SWAP="$hf/od/o.swap"
refused "$T_TMP/ou" "is guest $o's UMLDIR"
refused "$T_TMP/ou/$o/share" "is inside guest $o's directory (\"$T_TMP/ou/$o\")"
refused "$hf/od" "holds guest $o's SWAP (\"$hf/od/o.swap\")"
rm -f "$T_CONF/uml.$o"
# hostfs= is HOSTFS's, never a KERNEL_ARGS word.
g=$(t_name k)
t_fake_conf "$g" KERNEL_ARGS="hostfs=$share"
t_refused "KERNEL_ARGS hostfs=" "$g" KERNEL_ARGS "set HOSTFS instead"
# A kernel without hostfs (its config text has no CONFIG_HOSTFS=y).
mkdir -m 0755 "$T_TMP/k"
printf 'Linux version 7.3.4 (b) #1\n# CONFIG_HOSTFS is not set\n' >"$T_TMP/k/linux"
chmod 0755 "$T_TMP/k/linux"
g=$(t_name h)
t_fake_conf "$g" HOSTFS="$share" KERNEL="$T_TMP/k/linux"
t_refused "a kernel without hostfs" "$g" "HOSTFS=\"$share\"" "has no hostfs (CONFIG_HOSTFS"
t_fake_conf "$g" KERNEL="$T_TMP/k/linux"
t_exit 0 "the same kernel without HOSTFS passes check" t_umlctl check "$g"

# Confined, HOSTFS needs Landlock (ABI 1 or later): without it hostfs's
# root is no boundary.  A host without it is played by the ASan build's
# UMLCTL_TEST_LANDLOCK_ABI, which can only lower the ABI the checks see.
asan=$T_ROOT/build/asan/umlctl
[ -x "$asan" ] || t_bail "$asan missing: run make build/asan/umlctl"
g=$(t_name l)
t_fake_conf "$g" HOSTFS="$share"
for row in "0|this host's kernel has no Landlock" "-1|this host's Landlock ABI is unknown"; do
	abi=${row%%|*}
	for cmd in check start; do
		t_exit 2 "Landlock ABI $abi: $cmd exits 2" \
			env UMLCTL_TEST_LANDLOCK_ABI="$abi" "$asan" -c "$T_CONF" "$cmd" "$g"
		t_has "Landlock ABI $abi: $cmd names HOSTFS" "$g: HOSTFS=\"$share\": ${row#*|}" "$t_out"
		t_has "Landlock ABI $abi: $cmd says how to debug" 'CONFINE="no" allows it, for debugging only' "$t_out"
	done
	t_nothing_done "Landlock ABI $abi" "$g"
done
t_exit 0 "Landlock ABI 1: check passes" \
	env UMLCTL_TEST_LANDLOCK_ABI=1 "$asan" -c "$T_CONF" check "$g"
t_has "Landlock ABI 1: check says ABI 1" "$g: confinement: Landlock ABI 1 (files)" "$t_out"
t_exit 0 "a higher ABI is not believed" \
	env UMLCTL_TEST_LANDLOCK_ABI=99 "$asan" -c "$T_CONF" check "$g"
t_nomatch "the checks see the host's ABI, not 99" "Landlock ABI 99" "$t_out"
t_exit 0 "the production build ignores UMLCTL_TEST_LANDLOCK_ABI" \
	env UMLCTL_TEST_LANDLOCK_ABI=0 "$UMLCTL" -c "$T_CONF" check "$g"
t_fake_conf "$g" HOSTFS="$share" CONFINE=no
t_exit 0 "no Landlock, CONFINE=no: check passes" \
	env UMLCTL_TEST_LANDLOCK_ABI=0 "$asan" -c "$T_CONF" check "$g"
t_has "no Landlock, CONFINE=no: it warns about hostfs" \
	"$g: warning: HOSTFS=\"$share\" without a Landlock domain" "$t_out"
t_has "no Landlock, CONFINE=no: and about CONFINE" "$g: warning: CONFINE=\"no\"" "$t_out"

# The real kernel.
if ! "$REALKERNEL" --showconfig 2>/dev/null | grep -qx 'CONFIG_HOSTFS=y'; then
	t_log "SKIP the real guest: $REALKERNEL has no CONFIG_HOSTFS (a kernel built from kernel/umlctl.config has it)"
	t_done
fi
rm -f "$share/mine" "$share/from-guest"
# real NAME CONFINE: a busybox guest with the share; its console in $log.
real() {
	t_root_image "$1" --hostfs
	t_real_conf "$1" HOSTFS="$share" CONFINE="$2" KERNEL_ARGS="hfout=$hf"
	t_exit 0 "$1 (CONFINE=$2) starts" t_umlctl start "$1"
	t_ok "$1: its init is done with the share" \
		t_wait 60 grep -q '^guest: hostfs done' "$T_LOGDIR/$1.log"
	log=$(t_console "$T_LOGDIR/$1.log")
	t_exit 0 "$1 stops" t_umlctl stop "$1"
}
g=$(t_name r)
real "$g" yes
t_has "$g: the guest read the host's file" "guest: hostfs read hello from the host" "$log"
t_has "$g: the guest wrote a file" "guest: hostfs wrote" "$log"
t_eq "$g: the host sees it" "from the guest" "$(cat "$share/from-guest" 2>&1)"
t_eq "$g: it is USER's" "$T_USER" "$(stat -c %U "$share/from-guest" 2>&1)"
t_ok "$g: the guest made its link in the share" test -L "$share/mine"
# A mode is changed by path (kfilter.c): not even in the share.
t_has "$g: it cannot change its file's mode" "guest: hostfs chmod own: refused" "$log"
for w in dotdot hostlink guestlink chmod; do
	t_has "$g, confined: out by $w is refused" "guest: hostfs $w: refused" "$log"
done
t_eq "$g: udir's mode is unchanged" 755 "$(stat -c %a "$hf/udir")"
rm -f "$share/mine" "$share/from-guest"
g=$(t_name s)
real "$g" no
for w in dotdot hostlink guestlink chmod; do
	t_has "$g, CONFINE=no: out by $w reaches its target" "guest: hostfs $w: reached" "$log"
done
t_eq "$g: udir's mode was changed" 700 "$(stat -c %a "$hf/udir")"
t_has "$g, CONFINE=no: it changes its file's mode" "guest: hostfs chmod own: done" "$log"
t_eq "$g: the host sees the mode" 640 "$(stat -c %a "$share/from-guest" 2>&1)"
t_done
