#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# The Gentoo ebuild and the Alpine APKBUILD (issue 12): their syntax (bash
# -n, xmllint for metadata.xml), their version (VERSION's), and what they
# install: run with stand-ins for the few helpers of Portage and abuild
# they use (emake, tc-getCC; amove, default_doc, default_bashcomp), each
# installs exactly the files `make install DESTDIR= PREFIX=/usr' does, the
# APKBUILD split into the main package, -openrc (etc/init.d, etc/conf.d),
# -doc (the man pages) and -bash-completion.
# shellcheck source=SCRIPTDIR/lib.sh
. "${0%/*}/lib.sh"
t_init
v=$(cat "$T_ROOT/VERSION")
eb=$T_ROOT/contrib/gentoo/app-emulation/umlctl/umlctl-$v.ebuild
apk=$T_ROOT/contrib/alpine/APKBUILD

t_ok "the ebuild is named for VERSION ($v)" test -f "$eb"
t_ok "the ebuild parses (bash -n)" bash -n "$eb"
t_ok "the APKBUILD parses (bash -n)" bash -n "$apk"
t_eq "the APKBUILD's pkgver is VERSION" "$v" "$(sed -n 's/^pkgver=//p' "$apk")"
# No public home yet: no URL at all; the source is `make dist`'s tarball,
# which the ebuild (fetch-restricted) tells the user to put in DISTDIR.
t_nomatch "the ebuild names no URL" '://' "$(cat "$eb")"
t_nomatch "the APKBUILD names no URL" '://' "$(cat "$apk")"
# shellcheck disable=SC2016 # expanded by the inner bash
t_eq "the ebuild's source is make dist's tarball, fetched by nobody" \
    "umlctl-$v.tar.gz fetch test" "$(bash -c '
	P=umlctl-$1 PV=$1
	inherit() { :; }
	. "$2"
	echo "$SRC_URI $RESTRICT"' sh "$v" "$eb")"
# shellcheck disable=SC2016
t_match "its pkg_nofetch says where the tarball goes" \
    "umlctl-$v\\.tar\\.gz .*make dist.*DISTDIR" "$(bash -c '
	P=umlctl-$1 PV=$1
	inherit() { :; }
	einfo() { printf "%s " "$*"; }
	. "$2"
	pkg_nofetch' sh "$v" "$eb")"
# shellcheck disable=SC2016
t_eq "the APKBUILD's source is make dist's tarball, its url the name" \
    "umlctl-$v.tar.gz umlctl" "$(bash -c '. "$1"; echo "$source $url"' sh "$apk")"
if command -v xmllint >/dev/null; then
	t_ok "metadata.xml is well-formed" xmllint --noout "${eb%/*}/metadata.xml"
fi

# files DIR: every file and link under DIR, relative, sorted.
files() {
	(cd "$1" && find . ! -type d | sed 's|^\./||' | sort)
}

# The reference, from a copy of the tree so that nothing is built in it.
src=$T_TMP/src
mkdir -p "$src"
(cd "$T_ROOT" && tar --exclude=./build -cf - .) | (cd "$src" && tar -xf -)
make -s -C "$src" install DESTDIR="$T_TMP/ref" PREFIX=/usr SYSCONFDIR=/etc >/dev/null ||
	t_bail "make install"
ref=$(files "$T_TMP/ref")
t_ok "make install installs something" test -n "$ref"

# The ebuild: src_compile and src_install, with Portage's helpers played.
# shellcheck disable=SC2016 # expanded by the inner bash
t_exit 0 "the ebuild's src_compile and src_install run" bash -c '
	set -e
	S=$1 D=$2 P=umlctl-$3 PV=$3
	inherit() { :; }
	tc-getCC() { echo cc; }
	emake() { make -s -C "$S" "$@"; }
	elog() { :; }
	. "$4"
	src_compile
	src_install' sh "$src" "$T_TMP/ebuild" "$v" "$eb"
t_eq "the ebuild installs exactly what make install does" "$ref" "$(files "$T_TMP/ebuild")"

# The APKBUILD: build, package, then each subpackage's split function.
# shellcheck disable=SC2016 # expanded by the inner bash
t_exit 0 "the APKBUILD's build, package and splits run" bash -c '
	set -e
	builddir=$1 pkgdir=$2/umlctl base=$2
	amove() {
		for p in "$@"; do
			[ -e "$pkgdir/$p" ] || continue
			mkdir -p "$subpkgdir/${p%/*}"
			mv "$pkgdir/$p" "$subpkgdir/$p"
		done
	}
	default_doc() { amove usr/share/man usr/share/doc; }
	default_bashcomp() { amove usr/share/bash-completion; }
	. "$3"
	cd "$builddir"
	build >/dev/null
	package >/dev/null
	for sp in $subpackages; do
		name=${sp%%:*}
		fn=$(printf "%s" "$sp" | cut -s -d: -f2)
		[ -n "$fn" ] || fn=${name##*-}
		subpkgdir=$base/$name
		mkdir -p "$subpkgdir"
		if command -v "$fn" >/dev/null 2>&1 && [ "$(type -t "$fn")" = function ]; then
			"$fn"
		else
			"default_$fn"
		fi
	done' sh "$src" "$T_TMP/apk" "$apk"
t_eq "the APKBUILD's packages together hold exactly what make install does" "$ref" \
	"$(for d in "$T_TMP"/apk/*; do files "$d"; done | sort)"
t_eq "umlctl-openrc holds the runscript and the defaults" "etc/conf.d/uml etc/init.d/uml" \
	"$(files "$T_TMP/apk/umlctl-openrc" | tr '\n' ' ' | sed 's/ $//')"
t_eq "umlctl-doc holds the man pages" "usr/share/man/man8/uml.8 usr/share/man/man8/umlctl.8" \
	"$(files "$T_TMP/apk/umlctl-doc" | tr '\n' ' ' | sed 's/ $//')"
t_eq "umlctl-bash-completion holds the completion" "usr/share/bash-completion/completions/umlctl" \
	"$(files "$T_TMP/apk/umlctl-bash-completion")"
t_has "umlctl holds the program" "usr/sbin/umlctl" "$(files "$T_TMP/apk/umlctl")"
t_done
