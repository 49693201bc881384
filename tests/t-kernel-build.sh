#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# kernel/build.sh (make kernel): the kernel the tests run was built with
# every option of kernel/umlctl.config; a second run rebuilds nothing, also
# when the same tree is named with KSRC; a bad KSRC and an option the
# kernel cannot have fail loudly with exit 2 and install nothing.
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
