#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# kernel/build.sh: build a User Mode Linux kernel that fits umlctl, and
# install it.  Run as root by `make kernel'; see README.md (Which kernel)
# and uml(8) (KERNELS).
#
#   KSRC=DIR       build from this kernel tree (left untouched: the build
#                  goes to KCACHE, and kernel/patches/*.patch are applied
#                  to a copy of it there, made once, of hard links).
#                  Unset: Debian's newest linux-source-X.Y
#                  (X.Y >= 6.13) that the host's own mirror serves, fetched
#                  with a private apt configuration, unpacked under KCACHE
#                  and built from there as a KSRC.
#   KFETCH=1       look for a newer linux-source package even when one is
#                  cached already (otherwise a cached source is reused).
#   KERNELDIR=DIR  where the kernel is installed (default /usr/local/lib/uml):
#                  linux-RELEASE, config-RELEASE, and the link `linux'.
#   KCACHE=DIR     sources and build trees (default /var/cache/umlctl/kernel).
#   KCONFIG_EXTRA=FILE  more options, applied after kernel/umlctl.config.
#   JOBS=N         parallel jobs (default: the number of CPUs).
#
# kernel/patches/*.patch (in name order, each saying why in its header) fix
# what umlctl needs fixed in the kernel until the fix is upstream; a patch
# already in the source is skipped, one that does not apply stops the build.
#
# The last line printed on success is the installed kernel's path.  A second
# run with the same source tree, kernel version, options (the fragments'
# comments do not count), patches and compiler rebuilds nothing (it says
# "up to date").
# Exit status: 0 built or up to date; 1 the build failed; 2 bad input
# (KSRC not a kernel tree, no linux-source >= 6.13 reachable, a patch that
# does not apply, a required option missing from the result).
set -eu

here=$(cd "$(dirname "$0")" && pwd -P)
fragment=$here/umlctl.config
patchdir=$here/patches
KERNELDIR=${KERNELDIR:-/usr/local/lib/uml}
KCACHE=${KCACHE:-/var/cache/umlctl/kernel}
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 2)}
# The first UML release that restores the FPU state with the host's own
# XSAVE size (commit 3f17fed21491): older ones cannot run on AMX hosts.
min_major=6
min_minor=13
# The files a fresh build of linux-source-7.3 with umlctl.config compiles
# (kbuild's "  CC" lines), for the progress line of a first build; each
# build remembers its own count in $KCACHE/compiles for the next.
compiles_estimate=760

say() { printf 'kernel: %s\n' "$*" >&2; }
die() { say "$1"; exit "${2:-1}"; }

# --- fetching Debian's source -----------------------------------------------

# The Debian archive URI the host's own apt uses (sources.list or deb822).
host_mirror() {
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
		/etc/apt/sources.list.d/*.sources; do
		[ -r "$f" ] || continue
		awk '/^deb[ \t]/ { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z+]+:\/\//) { print $i; break } }
		     /^URIs:/ { print $2 }' "$f"
	done | grep -E '/debian/?$' | grep -v security | head -n 1
}

# apt-get/apt-cache with a private state under $KCACHE/apt: the host's lists,
# sources and preferences are neither read nor changed.  apt checks the
# Release signatures (the host's archive keyring) and every file's hash.
apt_private() {
	_tool=$1
	shift
	"$_tool" -q -o Dir::Etc::SourceList="$KCACHE/apt/sources.list" \
		-o Dir::Etc::SourceParts=/nonexistent \
		-o Dir::Etc::Preferences=/dev/null \
		-o Dir::Etc::PreferencesParts="$KCACHE/apt/empty" \
		-o APT::Sandbox::User=root \
		-o Dir::State::Lists="$KCACHE/apt/lists" \
		-o Dir::State::status=/dev/null \
		-o Dir::Cache="$KCACHE/apt/cache" \
		-o Debug::NoLocking=1 "$@"
}

# newest FILE...: the existing FILE with the highest version in its name.
newest() {
	for _f in "$@"; do
		[ -e "$_f" ] && printf '%s\n' "$_f"
	done | sort -V | tail -n 1
}

# fetch_source: print the path of a cached linux-source-X.Y.tar.xz, fetching
# the newest X.Y >= 6.13 from stable backports, testing or unstable.
fetch_source() {
	_have=$(newest "$KCACHE"/src/linux-source-*.tar.xz)
	if [ -n "$_have" ] && [ -z "${KFETCH:-}" ]; then
		printf '%s\n' "$_have"
		return
	fi
	_mirror=$(host_mirror)
	[ -n "$_mirror" ] || die "no Debian mirror in /etc/apt/sources.list*; set KSRC" 2
	_stable=$(sed -n 's/^VERSION_CODENAME=//p' /etc/os-release 2>/dev/null)
	mkdir -p "$KCACHE/apt/empty" "$KCACHE/apt/lists/partial" "$KCACHE/apt/cache/archives/partial" "$KCACHE/src"
	{
		[ -z "$_stable" ] || echo "deb $_mirror $_stable-backports main"
		echo "deb $_mirror stable-backports main"
		echo "deb $_mirror testing main"
		echo "deb $_mirror unstable main"
	} >"$KCACHE/apt/sources.list"
	say "looking for linux-source >= $min_major.$min_minor at $_mirror"
	apt_private apt-get update >"$KCACHE/apt/update.log" 2>&1 ||
		die "apt-get update failed; see $KCACHE/apt/update.log"
	_pkg=$(apt_private apt-cache pkgnames linux-source- |
		awk -F- -v M="$min_major" -v m="$min_minor" '
			$3 ~ /^[0-9]+\.[0-9]+$/ { split($3, v, ".")
				if (v[1] > M || (v[1] == M && v[2] >= m)) print }' |
		sort -V | tail -n 1)
	[ -n "$_pkg" ] || die "no linux-source >= $min_major.$min_minor at $_mirror; set KSRC" 2
	say "downloading $_pkg (about 170 MB)"
	(cd "$KCACHE/src" && apt_private apt-get download "$_pkg" >/dev/null) ||
		die "apt-get download $_pkg failed"
	_deb=$(newest "$KCACHE/src/${_pkg}"_*.deb)
	_tar=$KCACHE/src/$_pkg.tar.xz
	dpkg-deb --fsys-tarfile "$_deb" | tar -xO "./usr/src/$_pkg.tar.xz" >"$_tar.tmp" ||
		die "$_deb holds no usr/src/$_pkg.tar.xz"
	mv "$_tar.tmp" "$_tar"
	rm -f "$_deb"
	printf '%s\n' "$_tar"
}

# unpack TARBALL: print the tree it unpacks to, unpacking once.
unpack() {
	_t=$KCACHE/tree/$(basename "$1" .tar.xz)
	if [ ! -f "$_t/.unpacked" ]; then
		say "unpacking $(basename "$1")"
		rm -rf "$_t"
		mkdir -p "$_t"
		tar -xJf "$1" -C "$_t" --strip-components=1
		: >"$_t/.unpacked"
	fi
	printf '%s\n' "$_t"
}

# options FRAGMENT...: the fragments' option lines (for the build key: a
# comment changed in a fragment rebuilds nothing).
options() {
	grep -hE '^(CONFIG_[A-Z0-9_]+=|# CONFIG_[A-Z0-9_]+ is not set$)' "$@" || :
}

# --- patching ----------------------------------------------------------------

# patches: the patches of $patchdir, in name order, one a line.
patches() {
	for _p in "$patchdir"/*.patch; do
		[ -f "$_p" ] && printf '%s\n' "$_p"
	done
	return 0
}

# apply_patch TREE PATCH: apply PATCH (-p1, no fuzz) to TREE, a copy of hard
# links: each file it changes is first replaced by a copy of its own, so the
# tree it was linked from is never written.  A patch TREE already has is
# skipped.  Fails if it applies neither way.
apply_patch() {
	sed -n 's|^+++ b/\([^	 ]*\).*|\1|p' "$2" | while IFS= read -r _f; do
		[ -f "$1/$_f" ] || continue
		cp -p "$1/$_f" "$1/$_f.unlinked" && mv -f "$1/$_f.unlinked" "$1/$_f" || exit 1
	done || return 1
	if patch -d "$1" -p1 -N -F0 -t -s --dry-run <"$2" >/dev/null 2>&1; then
		patch -d "$1" -p1 -N -F0 -t -s --no-backup-if-mismatch <"$2" >&2
	elif patch -d "$1" -p1 -R -F0 -t -s --dry-run <"$2" >/dev/null 2>&1; then
		say "$(basename "$2"): already in this source, skipped"
	else
		return 1
	fi
}

# patched SRC: print the tree to build, SRC with the patches applied:
# $KCACHE/patched/KEY (KEY: SRC's path and the patches), made once, of hard
# links where SRC is on the same file system, else a full copy.  SRC itself
# if there are no patches.
patched() {
	if [ -z "$(patches)" ]; then
		printf '%s\n' "$1"
		return
	fi
	# shellcheck disable=SC2046 # patch paths are kernel/patches/NNNN-*.patch
	_pt=$KCACHE/patched/$(printf '%s\n' "$1" "$(cat $(patches))" | cksum | cut -d' ' -f1)
	if [ ! -f "$_pt/.patched" ]; then
		command -v patch >/dev/null || die "patch(1) is missing (apt-get install patch)" 2
		say "patching a copy of $1 in $_pt"
		rm -rf "$_pt" "$_pt.tmp"
		mkdir -p "$KCACHE/patched"
		cp -al "$1" "$_pt.tmp" 2>/dev/null || { rm -rf "$_pt.tmp"; cp -a "$1" "$_pt.tmp"; } ||
			die "cannot copy $1 to $_pt.tmp"
		for _p in $(patches); do
			apply_patch "$_pt.tmp" "$_p" || {
				rm -rf "$_pt.tmp"
				die "kernel/patches/$(basename "$_p") does not apply to $1 (Linux $(make -s -C "$1" kernelversion)): update the patch, or drop it if the source has the fix" 2
			}
		done
		: >"$_pt.tmp/.patched"
		mv "$_pt.tmp" "$_pt"
	fi
	printf '%s\n' "$_pt"
}

# --- configuring and building -------------------------------------------------

# check_config DOTCONFIG FRAGMENT...: every option of the fragments is in
# .config exactly as the fragment says.
check_config() {
	_cfg=$1
	shift
	_bad=$(awk '
		FNR == NR { have[$0] = 1; if ($0 ~ /^CONFIG_/) { split($0, kv, "="); set[kv[1]] = 1 }; next }
		/^CONFIG_[A-Z0-9_]+=/ { if (!($0 in have)) print "  wanted " $0; next }
		/^# CONFIG_[A-Z0-9_]+ is not set$/ { if ($2 in set) print "  wanted " $0 }
	' "$_cfg" "$@")
	[ -z "$_bad" ] && return 0
	say "these options of the fragment are not in $_cfg:"
	printf '%s\n' "$_bad" >&2
	return 1
}

# compiled LOG MARK: the files compiled so far (kbuild's "  CC" lines after
# line MARK of LOG).
compiled() {
	# grep -c prints 0 and exits 1 when nothing matched: not an error here.
	tail -n "+$(($2 + 1))" "$1" | grep -c '^  CC ' || :
}

# elapsed T0: minutes and seconds since the epoch second T0, as M:SS.
elapsed() {
	_s=$(($(date +%s) - $1))
	printf '%d:%02d' $((_s / 60)) $((_s % 60))
}

# cpu_secs TIMESFILE: the CPU seconds (user + system) of the children line
# of the output of the shell's `times' (which must run in the shell itself,
# not in a $(...), to see the shell's children).
cpu_secs() {
	awk 'NR == 2 { t = 0
		for (i = 1; i <= 2; i++) { split($i, a, "m"); sub(/s$/, "", a[2]); t += a[1] * 60 + a[2] }
		printf "%d\n", t }' "$1"
}

# progress LOG MARK TOTAL T0: one line, so that a CI log shows the build
# moving: files compiled of about TOTAL (the last full build's count in this
# cache, or the estimate), the percentage, and the time so far.
progress() {
	_c=$(compiled "$1" "$2")
	_p=$((_c * 100 / $3))
	[ "$_p" -le 99 ] || _p=99
	say "  ... $_c of about $3 files compiled ($_p%), $(elapsed "$4") elapsed"
}

# kmake ARG...: make for kbuild without the flags of a make that runs this
# script: `make -s test-kernel' (tests/deps.sh) exports MAKEFLAGS=s, which
# silences kbuild's "  CC" lines that compiled() counts.
kmake() {
	MAKEFLAGS='' MFLAGS='' make "$@"
}

# build SRC OUT: configure and build in OUT (out of tree).
build() {
	_log=$2/build.log
	say "configuring in $2 (defconfig + $(basename "$fragment"))"
	make -s -C "$1" O="$2" ARCH=um defconfig >"$_log" 2>&1 ||
		die "defconfig failed; see $_log"
	"$1/scripts/kconfig/merge_config.sh" -m -O "$2" "$2/.config" "$fragment" \
		${KCONFIG_EXTRA:+"$KCONFIG_EXTRA"} >>"$_log" 2>&1 ||
		die "merge_config.sh failed; see $_log"
	make -s -C "$1" O="$2" ARCH=um olddefconfig >>"$_log" 2>&1 ||
		die "olddefconfig failed; see $_log"
	check_config "$2/.config" "$fragment" ${KCONFIG_EXTRA:+"$KCONFIG_EXTRA"} ||
		die "the kernel's configuration lacks required options" 2
	say "building with $JOBS jobs (a few minutes; log: $_log)"
	_t0=$(date +%s)
	_mark=$(wc -l <"$_log")
	_total=$(cat "$KCACHE/compiles" 2>/dev/null || echo "$compiles_estimate")
	( while sleep 60; do progress "$_log" "$_mark" "$_total" "$_t0"; done ) &
	_ticker=$!
	_st=0
	times >"$2/times.before"
	kmake -C "$1" O="$2" ARCH=um -j"$JOBS" linux >>"$_log" 2>&1 || _st=$?
	times >"$2/times.after"
	kill "$_ticker" 2>/dev/null || :
	wait "$_ticker" 2>/dev/null || :
	[ "$_st" -eq 0 ] || { tail -n 30 "$_log" >&2; die "make linux failed; see $_log"; }
	_n=$(compiled "$_log" "$_mark")
	_cpu=$(($(cpu_secs "$2/times.after") - $(cpu_secs "$2/times.before")))
	# The CPU time over JOBS is how long the build takes on idle CPUs.
	say "built: $_n files compiled in $(elapsed "$_t0"), $_cpu s of CPU time (user + system)"
	# The next build from a fresh tree counts against this one.
	[ "$_n" -lt 100 ] || printf '%s\n' "$_n" >"$KCACHE/compiles"
}

# install_kernel OUT KEY: linux-RELEASE, config-RELEASE and the link linux,
# each replaced atomically.
install_kernel() {
	_rel=$(cat "$1/include/config/kernel.release")
	mkdir -p "$KERNELDIR"
	# Stripped: 6 MB instead of 90, and umlctl reads the file at every
	# start (kfacts.c).  The symbols stay in the build tree ($1/linux).
	install -m 0755 -s "$1/linux" "$KERNELDIR/.linux-$_rel.new"
	install -m 0644 "$1/.config" "$KERNELDIR/.config-$_rel.new"
	mv "$KERNELDIR/.linux-$_rel.new" "$KERNELDIR/linux-$_rel"
	mv "$KERNELDIR/.config-$_rel.new" "$KERNELDIR/config-$_rel"
	ln -sfn "linux-$_rel" "$KERNELDIR/.linux.new"
	mv -T "$KERNELDIR/.linux.new" "$KERNELDIR/linux"
	printf '%s\n' "$2" >"$KERNELDIR/.build-key"
	say "installed $KERNELDIR/linux-$_rel"
}

# build_key SRC: what the installed kernel was built from, as a number:
# the source tree, its version, the options, the patches, the compiler.
build_key() {
	# shellcheck disable=SC2046 # patch paths are kernel/patches/NNNN-*.patch
	printf '%s\n' "$1" "$(make -s -C "$1" kernelversion)" \
		"$(options "$fragment" ${KCONFIG_EXTRA:+"$KCONFIG_EXTRA"})" \
		"$(cat /dev/null $(patches))" \
		"$(${CC:-gcc} --version | head -n 1)" "installed stripped" |
		cksum | cut -d' ' -f1
}

main() {
	[ -f "$fragment" ] || die "$fragment missing" 2
	[ -z "${KCONFIG_EXTRA:-}" ] || [ -f "$KCONFIG_EXTRA" ] ||
		die "KCONFIG_EXTRA=\"$KCONFIG_EXTRA\": no such file" 2
	mkdir -p "$KCACHE"
	# A fetched source is unpacked once and then built like a KSRC.
	[ -n "${KSRC:-}" ] || KSRC=$(unpack "$(fetch_source)")
	if [ ! -f "$KSRC/Makefile" ] || [ ! -d "$KSRC/arch/um" ]; then
		die "KSRC=\"$KSRC\": not a Linux source tree (no Makefile or arch/um)" 2
	fi
	src=$(cd "$KSRC" && pwd -P)
	key=$(build_key "$src")
	if [ -x "$KERNELDIR/linux" ] && [ "$(cat "$KERNELDIR/.build-key" 2>/dev/null)" = "$key" ]; then
		say "up to date: $KERNELDIR/linux -> $(readlink "$KERNELDIR/linux")"
		printf '%s\n' "$KERNELDIR/linux"
		return 0
	fi
	tree=$(patched "$src")
	out=$KCACHE/build/$key
	mkdir -p "$out"
	build "$tree" "$out"
	install_kernel "$out" "$key"
	printf '%s\n' "$KERNELDIR/linux"
}

# KBUILD_FUNCTIONS=1: only define the functions (t-kernel-build tests them).
[ "${KBUILD_FUNCTIONS:-}" = 1 ] || main
