#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# kernel/build.sh (make kernel): the kernel the tests run was built with
# every option of kernel/umlctl.config and from a copy of the source with
# kernel/patches applied (the source itself untouched); a second run
# rebuilds nothing, also when the same tree is named with KSRC, nor after a
# comment of the fragment changed, but does after a patch changed; a bad
# KSRC, a patch that does not apply and an option the kernel cannot have
# fail loudly with exit 2 and install nothing; a patch the source already
# has is skipped.
#   T_KBUILT=KCACHE/bin/linux sh tests/t-kernel-build.sh checks the kernel
# of another KCACHE.
# shellcheck source=SCRIPTDIR/lib.sh
. "${0%/*}/lib.sh"
t_init
[ -x "$T_KBUILT" ] || t_skip_all "$T_KBUILT missing: run make test-kernel"
kcache=${T_KBUILT%/bin/linux}
frag=$T_ROOT/kernel/umlctl.config
# shellcheck disable=SC2317 # called through t_ok and t_exit
build() {
	env KCACHE="$kcache" "$@" sh "$T_ROOT/kernel/build.sh"
}

rel=$("$T_KBUILT" --version)
t_match "the built kernel says its release" '^[0-9]+\.[0-9]+' "$rel"
cfg=${T_KBUILT%/linux}/config-$rel
t_ok "its .config is installed beside it as config-$rel" test -f "$cfg"
t_eq "linux links to linux-$rel" "linux-$rel" "$(readlink "$T_KBUILT")"
n=0
while IFS= read -r line; do
	case $line in
	CONFIG_*=*)
		n=$((n + 1))
		grep -qxF -- "$line" "$cfg" || t_fail "config-$rel has $line"
		;;
	"# CONFIG_"*" is not set")
		n=$((n + 1))
		opt=${line#\# }
		opt=${opt%% *}
		grep -q "^$opt=" "$cfg" && t_fail "config-$rel leaves $opt unset"
		;;
	esac
done <"$frag"
t_ok "the fragment has options ($n)" test "$n" -gt 20
t_eq "no option of the fragment is missing from config-$rel" 0 "$t_nfail"

# Nothing to do the second time, by the fetched source or by KSRC.
t_ok "a second build succeeds" build KERNELDIR="${T_KBUILT%/linux}"
t_has "a second build is up to date" "up to date" "$t_out"
t_eq "it prints the kernel's path last" "$T_KBUILT" "$(printf '%s\n' "$t_out" | tail -n 1)"
tree=
for d in "$kcache"/tree/linux-source-*; do
	[ -d "$d" ] && tree=$d
done
if [ -n "$tree" ]; then
	t_ok "KSRC=the same tree succeeds" build KERNELDIR="${T_KBUILT%/linux}" KSRC="$tree"
	t_has "KSRC=the same tree is up to date" "up to date" "$t_out"
fi

# kernel/patches: the kernel was built from a patched copy of the tree.
npatch=$(find "$T_ROOT/kernel/patches" -name '*.patch' | wc -l)
t_ok "kernel/patches has patches" test "$npatch" -ge 1
vk=arch/um/drivers/vector_kern.c
# The installed kernel's build tree links to the source it was built from.
ptree=$(readlink "$kcache/build/$(cat "${T_KBUILT%/linux}/.build-key")/source")
t_match "the kernel was built from a copy in $kcache/patched" "^$kcache/patched/[0-9]+\$" "$ptree"
t_ok "the copy is complete (.patched)" test -f "$ptree/.patched"
t_ok "the copy has the vector fix" grep -q vector_queue_lock "$ptree/$vk"
[ -z "$tree" ] || t_eq "the source tree itself is not patched" 0 \
	"$(grep -c vector_queue_lock "$tree/$vk")"
# The functions on a small tree: a patch that applies, one already in the
# source, one that does not apply; the build key.
# kb FUNCTION ARGS...: run a build.sh function with this test's cache.
# shellcheck disable=SC2317 # called through t_ok and t_exit
kb() {
	# shellcheck disable=SC2016 # expanded by the inner sh
	env KCACHE="$T_TMP/kc" sh -c 'KBUILD_FUNCTIONS=1 . "$1"; patchdir=$2; shift 2; "$@"' \
		sh "$T_ROOT/kernel/build.sh" "${PD:-$T_ROOT/kernel/patches}" "$@"
}
mkdir -p "$T_TMP/src/arch/um/drivers"
printf 'all:\nkernelversion:\n\t@echo 7.3.4\n' >"$T_TMP/src/Makefile"
orig=$T_TMP/vector_kern.orig
if [ -n "$tree" ]; then
	cp "$tree/$vk" "$orig"
	cp "$orig" "$T_TMP/src/$vk"
	t_ok "patched: applies the patches to a copy" kb patched "$T_TMP/src"
	p=$(printf '%s\n' "$t_out" | tail -n 1)
	t_ok "patched: the copy has the fix" grep -q vector_queue_lock "$p/$vk"
	t_ok "patched: the source has not" cmp -s "$orig" "$T_TMP/src/$vk"
	t_eq "patched: the changed file is a file of its own" 1 "$(stat -c %h "$T_TMP/src/$vk")"
	t_ok "patched: a second call reuses the copy" kb patched "$T_TMP/src"
	t_nomatch "patched: without patching again" 'patching' "$t_out"
	cp "$p/$vk" "$T_TMP/src/$vk"
	rm -rf "$T_TMP/kc"
	t_ok "patched: a source that has the fix builds" kb patched "$T_TMP/src"
	t_has "patched: the patch is skipped, said so" "already in this source, skipped" "$t_out"
fi
echo 'int nothing;' >"$T_TMP/src/$vk"
rm -rf "$T_TMP/kc"
t_exit 2 "patched: a patch that does not apply: exit 2" kb patched "$T_TMP/src"
t_match "patched: the patch and the source are named" \
	'kernel/patches/0001-[^ ]*\.patch does not apply to [^ ]*/src \(Linux 7\.3\.4\)' "$t_out"
t_eq "patched: no copy is left" "" "$(ls "$T_TMP/kc/patched" 2>/dev/null)"
mkdir -p "$T_TMP/nopatches"
PD=$T_TMP/nopatches kb patched "$T_TMP/src" >"$T_TMP/np" 2>&1
t_eq "patched: with no patches it is the source itself" "$T_TMP/src" "$(tail -n 1 "$T_TMP/np")"
# The build key: options and patches count, comments do not.
# kkey DIR: build_key of the small tree by DIR/build.sh (its fragment and
# patches).
kkey() {
	# shellcheck disable=SC2016 # expanded by the inner sh
	env KCACHE="$T_TMP/kc" sh -c 'KBUILD_FUNCTIONS=1 . "$1"; patchdir=${1%/*}/patches; fragment=${1%/*}/umlctl.config; build_key "$2"' \
		sh "$1/build.sh" "$T_TMP/src" 2>/dev/null
}
k0=$(kkey "$T_ROOT/kernel")
t_match "build_key is a number" '^[0-9]+$' "$k0"
mkdir -p "$T_TMP/kdir2"
cp -R "$T_ROOT/kernel/." "$T_TMP/kdir2/"
echo '# one more comment' >>"$T_TMP/kdir2/umlctl.config"
k1=$(kkey "$T_TMP/kdir2")
t_eq "a comment of the fragment does not change the key" "$k0" "$k1"
echo '# a note' >>"$T_TMP/kdir2/patches/0001-um-vector-no-queue-locks-without-queues.patch"
k2=$(kkey "$T_TMP/kdir2")
t_ok "a changed patch changes the key" test "$k0" != "$k2"

# The progress line: files compiled of the total, the percentage, the time.
if [ -e "$kcache/compiles" ]; then
	t_ok "the build remembered how many files it compiled" \
		grep -Eqx '[0-9]{3,}' "$kcache/compiles"
else
	t_log "$kcache was built by a build.sh that did not count its files"
fi
{
	echo '  SYNC    include/config/auto.conf'
	echo '  CC      init/main.o'
	echo '  CC      kernel/fork.o'
	echo '  AR      kernel/built-in.a'
	echo '  CC      mm/slub.o'
} >"$T_TMP/build.log"
# shellcheck disable=SC2016 # expanded by the inner sh
t_ok "progress works" sh -c 'KBUILD_FUNCTIONS=1 . "$1"; progress "$2" 1 20 $(($(date +%s) - 75))' \
	sh "$T_ROOT/kernel/build.sh" "$T_TMP/build.log"
t_match "progress counts the files compiled after the mark, of the total, with the time" \
	'^kernel:   \.\.\. 3 of about 20 files compiled \(15%\), 1:1[5-9] elapsed$' "$t_out"

# A build whose log has no "  CC" line (a quiet make) is not a failed build:
# compiled says 0 and succeeds (set -e in build.sh stopped the first CI
# run of 0.7 here, after a successful make linux, with nothing installed).
printf '  LINK    linux\n' >"$T_TMP/quiet.log"
# shellcheck disable=SC2016 # expanded by the inner sh
t_ok "compiled succeeds on a log without CC lines" \
	sh -c 'KBUILD_FUNCTIONS=1 . "$1"; compiled "$2" 0' sh "$T_ROOT/kernel/build.sh" "$T_TMP/quiet.log"
t_eq "and counts 0" 0 "$t_out"
# tests/deps.sh runs `make -s test-kernel': kbuild must not inherit the -s.
# shellcheck disable=SC2016 # a make variable
printf 'all:\n\t@echo "flags=$(MAKEFLAGS)"\n' >"$T_TMP/flags.mk"
# shellcheck disable=SC2016 # expanded by the inner sh
t_ok "kmake runs make" env MAKEFLAGS=s MFLAGS=-s \
	sh -c 'KBUILD_FUNCTIONS=1 . "$1"; kmake -f "$2"' sh "$T_ROOT/kernel/build.sh" "$T_TMP/flags.mk"
t_match "kmake's make does not inherit an outer make's -s" '^flags=[^s]*$' "$t_out"
t_ok "(the check can see an inherited -s)" env MAKEFLAGS=s make -f "$T_TMP/flags.mk"
t_match "(an inherited -s shows as s)" '^flags=.*s' "$t_out"

# Loud failures, nothing installed.
out=$T_TMP/kdir
t_exit 2 "KSRC not a kernel tree: exit 2" build KERNELDIR="$out" KSRC="$T_TMP"
t_has "KSRC not a kernel tree: named" "KSRC=\"$T_TMP\": not a Linux source tree" "$t_out"
if [ -n "$tree" ]; then
	printf 'CONFIG_UMLCTL_NO_SUCH_OPTION=y\n' >"$T_TMP/extra.config"
	t_exit 2 "an option the kernel cannot have: exit 2" \
		build KERNELDIR="$out" KSRC="$tree" KCONFIG_EXTRA="$T_TMP/extra.config"
	t_has "the missing option is named" "wanted CONFIG_UMLCTL_NO_SUCH_OPTION=y" "$t_out"
	t_ok "nothing was installed" test ! -e "$out/linux"
	# Its configure-only build tree is not worth keeping.
	for d in "$kcache"/build/*; do
		[ -f "$d/linux" ] || rm -rf "$d"
	done
fi
t_done
