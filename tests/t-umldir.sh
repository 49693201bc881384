#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# UMLDIR holds the guest's kernel and images (KERNEL and ROOT default to
# files under it): one that others can write, or a symbolic link, is
# refused like any bad input (exit 2, naming UMLDIR and its value, nothing
# done).  See tests/t-badinput.sh for the other variables.
# shellcheck source=SCRIPTDIR/lib.sh
. "${0%/*}/lib.sh"
t_init
t_need_umlctl
t_need_fake

# refused DESC NAME: check and start exit 2 naming UMLDIR and $umldir, and
# nothing is done.
refused() {
	t_refused "$1" "$2" UMLDIR "$umldir"
	t_guest_cleanup "$2" >/dev/null 2>&1	# if it did start, for the next case
}

# The good image to copy.
t_root_dummy "$(t_name x)"
img=$T_UMLDIR/$(t_name x)/root.loop

g=$(t_name w)
umldir=$T_TMP/wwdir
mkdir -p "$umldir/$g"
chmod 0777 "$umldir"
cp --sparse=always "$img" "$umldir/$g/root.loop"
chown "$T_USER:" "$umldir/$g/root.loop"
t_fake_conf "$g" UMLDIR="$umldir"
t_defer "t_guest_cleanup $g"
refused "UMLDIR world-writable" "$g"

g=$(t_name l)
umldir=$T_TMP/umldir-link
ln -s "$T_UMLDIR" "$umldir"
t_root_dummy "$g"
t_fake_conf "$g" UMLDIR="$umldir"
refused "UMLDIR a symlink" "$g"
t_done
