#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Guest names and runlevels (issue 26): OpenRC sources conf.d/uml.LEVEL in
# place of conf.d/uml for every uml.* service in runlevel LEVEL, so a
# guest named after a runlevel (OpenRC's own, or one in /etc/runlevels)
# is refused by create, check and start before anything is made, and a
# stray conf.d/uml.LEVEL is what check of any other guest names, with
# advice that can be followed, and what list shows as refused, not a
# guest (list --json: its config_error).  The stray files live in the test's own
# conf dir: one in /etc/conf.d would break every other guest on the host.
# shellcheck source=SCRIPTDIR/lib.sh
. "${0%/*}/lib.sh"
t_init
t_need_umlctl
t_need_fake

# create makes the link init.d/uml.NAME when init.d/uml is beside confdir.
mkdir -p "$T_TMP/init.d"
: >"$T_TMP/init.d/uml"
echo "UMLDIR=$(t_q "$T_UMLDIR")" >"$T_CONF/uml"

# A runlevel of the test's own, as an admin's /etc/runlevels/LEVEL.
rl=t$$rl
[ -d /etc/runlevels ] || t_skip_all "no /etc/runlevels (OpenRC not installed)"
mkdir "/etc/runlevels/$rl" || t_bail "mkdir /etc/runlevels/$rl"
t_defer "rmdir /etc/runlevels/$rl"

# nothing_made DESC NAME: no disk, directory, conf.d file or link of NAME.
nothing_made() {
	t_ok "$1: no $T_UMLDIR/$2" test ! -e "$T_UMLDIR/$2"
	t_ok "$1: no conf.d file" test ! -e "$T_CONF/uml.$2"
	t_ok "$1: no init.d link" test ! -e "$T_TMP/init.d/uml.$2"
}

for name in default sysinit boot shutdown nonetwork single "$rl"; do
	t_exit 2 "create $name: exits 2" t_umlctl create -u "$T_USER" -s 32M "$name"
	t_has "create $name: says it is a runlevel" "\"$name\" is an OpenRC runlevel" "$t_out"
	t_has "create $name: says why" \
		"OpenRC would read $T_CONF/uml.$name in place of $T_CONF/uml for every uml.* service" \
		"$t_out"
	nothing_made "create $name" "$name"
done

# check and start refuse the name before they read anything: even with
# a conf.d file that would be good for another name.
t_fake_conf default
for c in check start; do
	t_exit 2 "$c default: exits 2" t_umlctl "$c" default
	t_has "$c default: says it is a runlevel" '"default" is an OpenRC runlevel' "$t_out"
done
t_nothing_done "start default" default
t_fake_conf "$rl"
t_exit 2 "start $rl (a runlevel in /etc/runlevels): exits 2" t_umlctl start "$rl"
t_has "start $rl: says it is a runlevel" "\"$rl\" is an OpenRC runlevel" "$t_out"
t_nothing_done "start $rl" "$rl"

# A stray uml.default (made before names were checked, say) is what
# check of another, good guest names: not "merge it into" itself.
g=$(t_name g)
t_fake_conf "$g"
rm -f "$T_CONF/uml.$rl"
t_exit 2 "check $g with a stray uml.default: exits 2" t_umlctl check "$g"
t_has "check $g: names the stray file and why" \
	"$T_CONF/uml.default: OpenRC reads this file in place of $T_CONF/uml for every uml.* service in runlevel default" \
	"$t_out"
t_has "check $g: says where its settings go" "move the settings into $T_CONF/uml.NAME" "$t_out"
t_nomatch "check $g: no advice to merge it into itself" "merge it into" "$t_out"
t_has "check $g: says how a guest's is removed" "umlctl remove default" "$t_out"
t_eq "check $g: one message" 1 "$(printf '%s\n' "$t_out" | wc -l)"
t_exit 2 "start $g with a stray uml.default: exits 2" t_umlctl start "$g"
t_nothing_done "start $g" "$g"
# list shows it as what it is: refused, not a guest; --json says why.
t_exit 0 "list with a stray uml.default: exits 0" t_umlctl list
t_match "list: uml.default refused, not a guest" \
	"^default +refused +- .* not a guest: a runlevel's name" "$t_out"
t_match "list: $g an ordinary stopped guest" "^$g +stopped " "$t_out"
t_exit 0 "list --json with a stray uml.default: exits 0" t_umlctl list --json
t_has "list --json: its config_error says it is a runlevel" \
	'"default" is an OpenRC runlevel' \
	"$(printf '%s\n' "$t_out" | jq -r '.[] | select(.name == "default") | .config_error')"
t_eq "list --json: $g has none" null \
	"$(printf '%s\n' "$t_out" | jq -r --arg g "$g" '.[] | select(.name == $g) | .config_error')"
rm -f "$T_CONF/uml.default"

# The same for the runlevel the test made.
t_fake_conf "$rl"
t_exit 2 "check $g with a stray uml.$rl: exits 2" t_umlctl check "$g"
t_has "check $g: names uml.$rl" "$T_CONF/uml.$rl: OpenRC reads this file" "$t_out"
rm -f "$T_CONF/uml.$rl"

# A guest's own runlevel-specific file: merging it is the right advice.
t_conf "$g.default" MEMORY=128M
t_exit 2 "check $g with uml.$g.default: exits 2" t_umlctl check "$g"
t_has "check $g: merge uml.$g.default into uml.$g" \
	"$T_CONF/uml.$g.default: runlevel-specific conf.d files are not supported" "$t_out"
t_has "check $g: ... into its own file" "merge it into $T_CONF/uml.$g" "$t_out"
rm -f "$T_CONF/uml.$g.default"

t_exit 0 "check $g without stray files: exits 0" t_umlctl check "$g"
t_has "check $g: OK" "$g: configuration and host OK" "$t_out"
t_done
