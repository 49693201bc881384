#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# rc_need names services that must exist (issue 15): OpenRC finds a missing
# one only at start ("needs non existent service"), after checkconfig said
# OK.  Now check, start and the runscript's checkconfig refuse it, exit 2,
# naming rc_need and the service, with nothing done; a script in
# /etc/init.d and a virtual name another service provides (OpenRC's
# deptree) both pass; a word that cannot be a service is a config error.
# shellcheck source=SCRIPTDIR/lib.sh
. "${0%/*}/lib.sh"
t_init
t_need_umlctl
t_need_fake
command -v rc-service >/dev/null || t_skip_all "no OpenRC"
t_openrc_ready

g=$(t_name m)
t_fake_conf "$g" rc_need="umltnosuch$$"
t_refused "rc_need: a missing service" "$g" 'rc_need: "umltnosuch'"$$"'": no such OpenRC service' "/etc/init.d/umltnosuch$$"

g=$(t_name b)
t_fake_conf "$g" rc_need="../etc"
t_refused "rc_need: not a service name" "$g" 'rc_need="../etc"' "starts with '.'"

# A service of the test's own that provides a virtual name.
prov=/etc/init.d/umltprov$$
printf '#!/sbin/openrc-run\ndepend() {\n\tprovide umltvirt%s\n}\n' "$$" >"$prov"
chmod 0755 "$prov"
t_defer "rc-update -u"
t_defer "rm -f $prov"
rc-update -u >/dev/null 2>&1
g=$(t_name p)
t_fake_conf "$g" rc_need="umltprov$$ umltvirt$$"
t_exit 0 "rc_need: a script and a virtual it provides pass check" t_umlctl check "$g"

# Through the runscript: checkconfig says what OpenRC would only find at start.
g=$(t_name r)
t_fake_conf "$g" rc_need="umltnosuch$$"
t_rc_install "$g"
t_exit 2 "rc-service checkconfig fails with umlctl's status 2" rc-service "uml.$g" checkconfig
t_has "rc-service checkconfig says why" "rc_need: \"umltnosuch$$\": no such OpenRC service" "$t_out"
t_done
