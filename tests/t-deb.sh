#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# The Debian package (issue 12): built from a clean clone with
# dpkg-buildpackage -b -us -uc, lintian-clean (the OpenRC runscript's
# sysvinit tags are overridden, with the reason, in debian/), installed
# with apt, a guest run with rc-service through the installed
# /etc/init.d/uml and /usr/sbin/umlctl, then purged: nothing of the
# package is left, and the admin's guest files are untouched.  An admin's
# /etc/conf.d/uml is kept as it was.  The host's own /etc/init.d/uml,
# /etc/conf.d/uml and /etc/logrotate.d/uml, if any, are put aside and back.
# shellcheck source=SCRIPTDIR/lib.sh
. "${0%/*}/lib.sh"
t_init
t_need_fake
command -v dpkg-buildpackage >/dev/null || t_skip_all "no dpkg-buildpackage (apt-get install dpkg-dev debhelper)"
command -v git >/dev/null || t_skip_all "no git"
git -C "$T_ROOT" rev-parse --git-dir >/dev/null 2>&1 || t_skip_all "$T_ROOT is not a git checkout"
dpkg-query -W -f='${Status}' umlctl 2>/dev/null | grep -q 'install ok' &&
	t_skip_all "the umlctl package is installed on this host already"
t_openrc_ready

v=$(cat "$T_ROOT/VERSION")
git clone -q "$T_ROOT" "$T_TMP/src" || t_bail "git clone"
t_exit 0 "dpkg-buildpackage -b -us -uc in a clean clone" \
	sh -c "cd '$T_TMP/src' && dpkg-buildpackage -b -us -uc"
deb=$T_TMP/umlctl_${v}_amd64.deb
t_ok "the .deb is there" test -f "$deb"
t_exit 0 "lintian: no tag left" lintian --allow-root "$deb"
t_eq "lintian: nothing reported" "" "$t_out"

# The host's files of these names, aside and back.
for f in /etc/init.d/uml /etc/conf.d/uml /etc/logrotate.d/uml; do
	if [ -e "$f" ]; then
		mv "$f" "$f.t-deb.$$"
		t_defer "mv -f $f.t-deb.$$ $f"
	fi
done
mkdir -p /etc/conf.d
# The admin's: a default file of their own, and a guest.
printf '# the admin wrote this\nSHUTDOWN_TIMEOUT=7\n' >/etc/conf.d/uml
t_defer "rm -f /etc/conf.d/uml"
g=$(t_name d)
t_fake_conf "$g"
cp "$T_CONF/uml.$g" "/etc/conf.d/uml.$g"
t_defer "rm -f /etc/conf.d/uml.$g /etc/init.d/uml.$g"
t_defer "dpkg --purge umlctl >/dev/null 2>&1"

t_exit 0 "apt-get install ./umlctl_${v}_amd64.deb" env DEBIAN_FRONTEND=noninteractive \
	apt-get install -y -q -o Dpkg::Options::=--force-confold "$deb"
t_eq "the admin's /etc/conf.d/uml is kept" "$(printf '# the admin wrote this\nSHUTDOWN_TIMEOUT=7')" \
	"$(cat /etc/conf.d/uml)"
t_ok "/usr/sbin/umlctl is the package's" test "$(dpkg -S /usr/sbin/umlctl | cut -d: -f1)" = umlctl
t_has "the runscript runs /usr/sbin/umlctl" "command=/usr/sbin/umlctl" "$(cat /etc/init.d/uml)"
files=$(dpkg -L umlctl | sort)

ln -s uml "/etc/init.d/uml.$g"
t_exit 0 "rc-service start through the package" rc-service "uml.$g" start
t_exit 0 "rc-service status" rc-service "uml.$g" status
t_exit 0 "/usr/sbin/umlctl status" /usr/sbin/umlctl status "$g"
t_exit 0 "rc-service stop" rc-service "uml.$g" stop
t_no_leftovers "$g"

t_exit 0 "apt-get purge umlctl" env DEBIAN_FRONTEND=noninteractive apt-get purge -y -q umlctl
left=
for f in $files; do
	[ -d "$f" ] || { [ -e "$f" ] && left="$left $f"; }
done
t_eq "purge: nothing of the package's files is left" "" "$left"
t_ok "purge: the admin's guest file is kept" test -f "/etc/conf.d/uml.$g"
t_ok "purge: the admin's guest link is kept" test -L "/etc/init.d/uml.$g"
t_ok "purge: the guest's image is kept" test -f "$T_UMLDIR/$g/root.loop"
t_done
