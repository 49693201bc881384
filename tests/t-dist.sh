#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Versions and releases (issue 12): VERSION is the one version, the top of
# NEWS names it with its date, the man pages carry that date, umlctl
# --version prints it; `make dist' of a clean clone gives the same bytes
# twice, holds exactly the files git tracks, and its unpacked tree builds
# and passes the unit tests, the layer check and the linters.  (The whole
# `make check' of the same files is what CI runs on the clone itself.)
# shellcheck source=SCRIPTDIR/lib.sh
. "${0%/*}/lib.sh"
t_init
t_need_umlctl
command -v git >/dev/null || t_skip_all "no git"
git -C "$T_ROOT" rev-parse --git-dir >/dev/null 2>&1 || t_skip_all "$T_ROOT is not a git checkout"

v=$(cat "$T_ROOT/VERSION")
top=$(sed -n 's/^## \([0-9][0-9.]*\) (\([0-9-]*\))$/\1 \2/p' "$T_ROOT/NEWS" | head -1)
t_eq "NEWS starts with VERSION" "$v" "${top% *}"
for m in umlctl.8 uml.8; do
	dd=$(sed -n 's/^\.Dd //p' "$T_ROOT/man/$m")
	t_eq "$m is dated as NEWS's $v" "${top#* }" "$(date -d "$dd" +%Y-%m-%d)"
done
t_eq "umlctl --version" "umlctl $v" "$("$UMLCTL" --version)"

src=$T_TMP/src
git clone -q "$T_ROOT" "$src" || t_bail "git clone"
t_exit 0 "make dist" make -s -C "$src" dist
mv "$src/umlctl-$v.tar.gz" "$T_TMP/first.tar.gz"
sleep 1
t_exit 0 "make dist again" make -s -C "$src" dist
t_ok "the same bytes twice" cmp "$T_TMP/first.tar.gz" "$src/umlctl-$v.tar.gz"
t_eq "exactly the files git tracks" \
	"$(git -C "$src" ls-files | sed "s|^|umlctl-$v/|" | sort)" \
	"$(tar -tzf "$T_TMP/first.tar.gz" | sort)"
mkdir -p "$T_TMP/u"
tar -C "$T_TMP/u" -xzf "$T_TMP/first.tar.gz"
u=$T_TMP/u/umlctl-$v
t_exit 0 "the unpacked tarball builds" make -s -C "$u"
t_eq "and says its version" "umlctl $v" "$("$u/build/umlctl" --version)"
t_exit 0 "its unit tests, layers and linters pass" make -s -C "$u" unit layers lint
t_done
