#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# umlctl remove NAME [--images] (issue 26): a running guest is refused and
# keeps everything; a stopped one loses its conf.d file, init.d link,
# runlevel entries (rc-update del, in a runlevel the test makes), NAME.last
# and console log with its older parts, each removal printed; its disks
# only with --images (else named, to delete by hand), and never
# BASE_IMAGE.  A guest whose conf.d file was deleted by hand loses its
# link, runlevel entries and records, and keeps its disks, saying so.
# Real files, real OpenRC.
# shellcheck source=SCRIPTDIR/lib.sh
. "${0%/*}/lib.sh"
t_init
t_need_umlctl
t_need_fake
command -v rc-update >/dev/null || t_skip_all "no rc-update (OpenRC)"

rl=t$$rm
mkdir "/etc/runlevels/$rl" || t_bail "mkdir /etc/runlevels/$rl"
t_defer "rm -rf /etc/runlevels/$rl"
ec=/etc/conf.d
# "$UMLCTL" without -c: the system's conf.d, whose services the runlevels name.

# --- a guest under OpenRC, with swap, a runlevel entry and old logs --------
g=$(t_name g)
t_fake_conf "$g"
dd if=/dev/zero of="$T_UMLDIR/$g/swap.loop" bs=1M count=1 2>/dev/null
chown "$T_USER:" "$T_UMLDIR/$g/swap.loop"
chmod 0600 "$T_UMLDIR/$g/swap.loop"
t_rc_install "$g"
t_ok "rc-update add uml.$g $rl" rc-update add "uml.$g" "$rl"
t_ok "start $g" "$UMLCTL" start "$g"

t_exit 5 "remove a running guest: exits 5" "$UMLCTL" remove "$g"
t_has "remove a running guest: says to stop it" "stop it first" "$t_out"
t_ok "... its conf.d file stays" test -e "$ec/uml.$g"
t_ok "... its link stays" test -L "/etc/init.d/uml.$g"
t_ok "... its runlevel entry stays" test -L "/etc/runlevels/$rl/uml.$g"
t_ok "... its console log stays" test -e "$T_LOGDIR/$g.log"
t_exit 5 "remove --images of a running guest: exits 5" "$UMLCTL" remove "$g" --images
t_ok "... its root image stays" test -e "$T_UMLDIR/$g/root.loop"
t_exit 0 "status: still running" "$UMLCTL" status "$g"

t_ok "stop $g" "$UMLCTL" stop "$g"
t_ok "a NAME.last is there" test -e "/run/uml/$g.last"
echo old >"$T_LOGDIR/$g.log.old"
echo one >"$T_LOGDIR/$g.log.1"
echo two | gzip >"$T_LOGDIR/$g.log.2.gz"
echo other >"$T_LOGDIR/${g}x.log"

t_exit 0 "remove $g: exits 0" "$UMLCTL" remove "$g"
out=$t_out
t_ok "the conf.d file is gone" test ! -e "$ec/uml.$g"
t_ok "the init.d link is gone" test ! -e "/etc/init.d/uml.$g"
t_ok "the runlevel entry is gone" test ! -e "/etc/runlevels/$rl/uml.$g"
t_ok "NAME.last is gone" test ! -e "/run/uml/$g.last"
t_eq "nothing of $g under /run/uml" "" "$(ls -d "/run/uml/$g" "/run/uml/$g".* 2>/dev/null)"
for f in "$g.log" "$g.log.old" "$g.log.1" "$g.log.2.gz"; do
	t_ok "$f is gone" test ! -e "$T_LOGDIR/$f"
	t_has "says it removed $f" "$g: removed $T_LOGDIR/$f" "$out"
done
t_ok "another guest's log stays" test -e "$T_LOGDIR/${g}x.log"
t_has "says it removed the conf.d file" "$g: removed $ec/uml.$g" "$out"
t_has "says it removed the link" "$g: removed /etc/init.d/uml.$g" "$out"
t_has "says it left the runlevel" "$g: removed uml.$g from runlevel $rl (rc-update del)" "$out"
t_has "says it removed NAME.last" "$g: removed /run/uml/$g.last" "$out"
t_ok "without --images: the root image stays" test -e "$T_UMLDIR/$g/root.loop"
t_ok "without --images: the swap image stays" test -e "$T_UMLDIR/$g/swap.loop"
t_has "names the disks kept, to delete by hand" \
	"$g: kept its disks, which nothing names now; to delete them too: rm $T_UMLDIR/$g/root.loop $T_UMLDIR/$g/swap.loop" "$out"
t_nomatch "no advice that cannot be followed now" "--images" "$out"
t_exit 9 "remove $g again: exits 9 (no such guest)" "$UMLCTL" remove "$g"

# --- its conf.d file deleted by hand: the rest goes, the disks stay ---------
# (The records and the service are all that is left to go by; the disks
# and the log only the conf.d file named.)
o=$(t_name o)
t_fake_conf "$o"
t_rc_install "$o"
t_ok "rc-update add uml.$o $rl" rc-update add "uml.$o" "$rl"
t_ok "start $o" "$UMLCTL" start "$o"
t_ok "stop $o" "$UMLCTL" stop "$o"
rm -f "$ec/uml.$o"
t_exit 0 "remove without its conf.d file: exits 0" "$UMLCTL" remove "$o"
out=$t_out
t_ok "... the init.d link is gone" test ! -e "/etc/init.d/uml.$o"
t_ok "... the runlevel entry is gone" test ! -e "/etc/runlevels/$rl/uml.$o"
t_ok "... NAME.last is gone" test ! -e "/run/uml/$o.last"
t_eq "... nothing of $o under /run/uml" "" "$(ls -d "/run/uml/$o" "/run/uml/$o".* 2>/dev/null)"
t_has "... says it removed the link" "$o: removed /etc/init.d/uml.$o" "$out"
t_has "... says it left the runlevel" "$o: removed uml.$o from runlevel $rl (rc-update del)" "$out"
t_ok "... the disk stays" test -e "$T_UMLDIR/$o/root.loop"
t_has "... says what stays and why" \
	"$o: no $ec/uml.$o: its disks and console log, which only that file named, stay where they are" "$out"
t_exit 9 "remove $o again: exits 9 (no such guest)" "$UMLCTL" remove "$o"
# Only the link left (never started): that goes too.
t_fake_conf "$o"
t_rc_install "$o"
rm -f "$ec/uml.$o"
t_exit 0 "remove with only its link left: exits 0" "$UMLCTL" remove "$o"
t_ok "... the link is gone" test ! -e "/etc/init.d/uml.$o"
t_exit 9 "... then no such guest" "$UMLCTL" remove "$o"
# An admin's own script at init.d/uml.NAME (a file, not create's link):
# refused (exit 2), nothing removed, with or without a conf.d file.
printf '#!/sbin/openrc-run\n' >"/etc/init.d/uml.$o"
chmod 0755 "/etc/init.d/uml.$o"
t_defer "rm -f /etc/init.d/uml.$o"
t_exit 2 "only a file at init.d/uml.NAME: refused" "$UMLCTL" remove "$o"
t_has "... says why" "$o: /etc/init.d/uml.$o is not a link to the uml runscript" "$t_out"
t_ok "... the file stays" test -f "/etc/init.d/uml.$o"
t_fake_conf "$o"
cp "$T_CONF/uml.$o" "$ec/uml.$o"
t_ok "rc-update add uml.$o $rl (the own script)" rc-update add "uml.$o" "$rl"
t_exit 2 "a file at init.d/uml.NAME, with a conf.d file: refused" "$UMLCTL" remove "$o"
t_has "... nothing removed" "nothing removed" "$t_out"
t_ok "... the file stays" test -f "/etc/init.d/uml.$o"
t_ok "... the conf.d file stays" test -e "$ec/uml.$o"
t_ok "... its runlevel entry stays" test -L "/etc/runlevels/$rl/uml.$o"
rc-update del "uml.$o" "$rl" >/dev/null 2>&1
rm -f "$ec/uml.$o"
rm -f "/etc/init.d/uml.$o"
# A running guest whose conf.d file went is refused, as any running one.
t_fake_conf "$o"
t_rc_install "$o"
t_ok "start $o again" "$UMLCTL" start "$o"
mv "$ec/uml.$o" "$T_TMP/uml.$o.away"
t_exit 5 "remove a running guest without its conf.d file: exits 5" "$UMLCTL" remove "$o"
t_ok "... its link stays" test -L "/etc/init.d/uml.$o"
mv "$T_TMP/uml.$o.away" "$ec/uml.$o"
t_ok "stop $o" "$UMLCTL" stop "$o"

# --- --images, over a base: the COW file and swap go, the base stays -------
b=$(t_name b)
mkdir -p "$T_TMP/base"
head -c 1M /dev/zero >"$T_TMP/base/x.img"
chmod 0644 "$T_TMP/base/x.img"
t_guest_dir "$b"
chown "$T_USER:" "$T_UMLDIR/$b"
for f in root.cow swap.loop; do
	head -c 64k /dev/zero >"$T_UMLDIR/$b/$f"
	chown "$T_USER:" "$T_UMLDIR/$b/$f"
done
t_conf "$b" USER="$T_USER" UMLDIR="$T_UMLDIR" BASE_IMAGE="$T_TMP/base/x.img" \
	CONSOLE_LOG="$T_LOGDIR/$b.log"
# A link USER planted in its own directory is removed, never followed.
ln -s "$T_TMP/base/x.img" "$T_UMLDIR/$b/swap.loop.lnk"
t_conf_add "$b" SWAP="$T_UMLDIR/$b/swap.loop.lnk"
t_exit 0 "remove --images $b: exits 0" t_umlctl remove --images "$b"
out=$t_out
t_ok "the COW file is gone" test ! -e "$T_UMLDIR/$b/root.cow"
t_ok "SWAP, a link, is gone" test ! -L "$T_UMLDIR/$b/swap.loop.lnk"
t_ok "BASE_IMAGE stays" test -s "$T_TMP/base/x.img"
t_has "says it kept BASE_IMAGE" "kept BASE_IMAGE $T_TMP/base/x.img" "$out"
t_has "says it removed the COW file" "$b: removed $T_UMLDIR/$b/root.cow" "$out"
t_ok "the guest's directory stays while it holds something" test -e "$T_UMLDIR/$b/swap.loop"
rm -f "$T_UMLDIR/$b/swap.loop"
t_conf "$b" USER="$T_USER" UMLDIR="$T_UMLDIR" BASE_IMAGE="$T_TMP/base/x.img"
t_exit 0 "remove --images, nothing but the conf.d file left: exits 0" t_umlctl remove "$b" --images
t_has "says it removed the directory" "$b: removed $T_UMLDIR/$b/" "$t_out"
t_ok "an empty guest directory goes" test ! -e "$T_UMLDIR/$b"

# --- a guest made before runlevel names were refused can be removed --------
t_fake_conf default
t_exit 0 "remove default (a stray uml.default): exits 0" t_umlctl remove default --images
t_ok "uml.default is gone" test ! -e "$T_CONF/uml.default"
t_ok "its image is gone" test ! -e "$T_UMLDIR/default/root.loop"
t_exit 100 "remove with two names: usage" t_umlctl remove a b
t_exit 100 "remove --imagez: usage" t_umlctl remove a --imagez
t_done
