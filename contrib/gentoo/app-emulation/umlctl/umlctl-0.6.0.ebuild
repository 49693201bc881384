# SPDX-License-Identifier: BSD-2-Clause
# umlctl's ebuild; copy it into a local overlay as
# app-emulation/umlctl/umlctl-VERSION.ebuild.

EAPI=8

inherit toolchain-funcs

DESCRIPTION="Run User Mode Linux guests as OpenRC services"
# The project has no public home yet, so no HOMEPAGE (optional in PMS) and
# no URL to fetch from: the source is the tarball `make dist' makes, put in
# DISTDIR by hand (pkg_nofetch says so).  Set both when it has one.
SRC_URI="${P}.tar.gz"

# LICENSE in the source: BSD-2-Clause.
LICENSE="BSD-2"
RESTRICT="fetch test"
SLOT="0"
KEYWORDS="~amd64"

DEPEND="
	net-libs/libmnl
	sys-fs/e2fsprogs
	sys-libs/libcap
	sys-libs/libseccomp
"
RDEPEND="${DEPEND}
	sys-apps/iproute2
	sys-apps/openrc
"

pkg_nofetch() {
	einfo "${P}.tar.gz has no public home to be fetched from: make it with"
	einfo "\`make dist' in umlctl's source tree and put it in your DISTDIR."
}

src_compile() {
	emake CC="$(tc-getCC)" PREFIX=/usr SYSCONFDIR=/etc
}

src_install() {
	emake DESTDIR="${D}" PREFIX=/usr SYSCONFDIR=/etc install
}

pkg_postinst() {
	elog "Each guest is a link /etc/init.d/uml.NAME -> uml with its settings in"
	elog "/etc/conf.d/uml.NAME; see uml(8).  A UML kernel >= 6.13 is needed on"
	elog "hosts with AMX: \`make kernel' in the source tree builds one."
}
