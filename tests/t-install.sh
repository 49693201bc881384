#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# make install and uninstall into a DESTDIR: every file lands where the
# docs say, the runscript names the installed umlctl, an existing
# conf.d/uml is never overwritten, and uninstall removes what install put
# (but keeps the configuration).  Also: OpenRC refuses to run the bare
# base script, with the hint to make a uml.NAME link.
# shellcheck source=SCRIPTDIR/lib.sh
. "${0%/*}/lib.sh"
t_init
t_need_umlctl

d=$T_TMP/dest
t_exit 0 "make install DESTDIR PREFIX=/usr exits 0" \
	make -s -C "$T_ROOT" install DESTDIR="$d" PREFIX=/usr
for f in usr/sbin/umlctl etc/init.d/uml etc/conf.d/uml \
	usr/share/man/man8/umlctl.8 usr/share/man/man8/uml.8 etc/logrotate.d/uml \
	usr/share/bash-completion/completions/umlctl; do
	t_ok "installs /$f" test -f "$d/$f"
done
t_has "the logrotate file runs the installed umlctl" "/usr/sbin/umlctl reopen" \
	"$(cat "$d/etc/logrotate.d/uml")"
t_ok "umlctl is executable" test -x "$d/usr/sbin/umlctl"
t_ok "the runscript is executable" test -x "$d/etc/init.d/uml"
t_has "the runscript runs the installed umlctl" "command=/usr/sbin/umlctl" \
	"$(cat "$d/etc/init.d/uml")"
t_nomatch "no @...@ placeholder is left" '@[A-Z_]+@' "$(cat "$d/etc/init.d/uml")"
t_ok "conf.d/uml is the shipped one" cmp -s "$T_ROOT/conf.d/uml" "$d/etc/conf.d/uml"

echo 'USER="someone" # edited by the admin' >>"$d/etc/conf.d/uml"
cp "$d/etc/conf.d/uml" "$T_TMP/edited"
t_exit 0 "make install again exits 0" \
	make -s -C "$T_ROOT" install DESTDIR="$d" PREFIX=/usr
t_ok "an existing conf.d/uml is kept" cmp -s "$T_TMP/edited" "$d/etc/conf.d/uml"

t_exit 0 "make uninstall exits 0" \
	make -s -C "$T_ROOT" uninstall DESTDIR="$d" PREFIX=/usr
for f in usr/sbin/umlctl etc/init.d/uml usr/share/man/man8/umlctl.8 \
	usr/share/man/man8/uml.8 etc/logrotate.d/uml \
	usr/share/bash-completion/completions/umlctl; do
	t_ok "uninstall removes /$f" test ! -e "$d/$f"
done
t_ok "uninstall keeps conf.d/uml" test -f "$d/etc/conf.d/uml"

# The base script itself, under OpenRC: refused with the ln -s hint.
g=$(t_name i)
t_fake_conf "$g"
t_rc_install "$g"
base=$(readlink "/etc/init.d/uml.$g")
t_ok "the base script is installed" test -f "/etc/init.d/$base"
rc-service "$base" start >"$T_TMP/base.out" 2>&1
st=$?
t_ok "rc-service on the base script fails" test "$st" -ne 0
t_has "it says to make a uml.NAME link" "ln -s uml /etc/init.d/uml.NAME" \
	"$(cat "$T_TMP/base.out")"
t_ok "and nothing was started" test -z "$(t_user_procs "$T_USER")"
t_done
