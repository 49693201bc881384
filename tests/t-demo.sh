#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# demo.sh's set-up (issue 26): tests/deps.sh splits its packages into what
# running, building and testing need, the three together being what CI
# installs; demo.sh installs only running and building, and builds a
# kernel only when Debian's cannot run a guest here (tests/tools/kprobe.sh
# decides, for real).  DEMO_PLAN=1 makes demo.sh say so and change nothing.
# shellcheck source=SCRIPTDIR/lib.sh
. "${0%/*}/lib.sh"
t_init
deps=$T_DIR/deps.sh

lst() { sh "$deps" --list "$@" | sort | tr '\n' ' '; }
t_ok "deps.sh --list exits 0" sh "$deps" --list
all=$(lst)
t_eq "all groups are run, build and test together" "$all" \
	"$(sh "$deps" --list run build test | sort -u | tr '\n' ' ')"
t_eq "without a group: all of them" "$all" "$(lst run build test)"
for p in openrc user-mode-linux mmdebstrap libcap-dev libext2fs-dev flex \
	clang libcmocka-dev valgrind lintian debhelper shellcheck strace; do
	t_has "the full list (CI's) has $p" " $p " " $all"
done
t_exit 100 "deps.sh with an unknown group: exit 100" sh "$deps" nosuch
run_build=$(lst run build)
for p in $(sh "$deps" --list test); do
	t_nomatch "run and build have no test tool: $p" " $p " " $run_build"
done

cd "$T_ROOT" || t_bail "cd $T_ROOT"
t_exit 0 "DEMO_PLAN=1 sh demo.sh exits 0" env DEMO_PLAN=1 sh demo.sh
plan=$t_out
t_has "the demo installs run and build only" \
	"demo.sh: would install: $(sh "$deps" --list run build | tr '\n' ' ')" "$plan"
if [ -x /usr/bin/linux.uml ] && sh "$T_DIR/tools/kprobe.sh" /usr/bin/linux.uml >/dev/null; then
	t_has "Debian's kernel runs here: no kernel build" \
		"kernel: /usr/bin/linux.uml (no kernel build)" "$plan"
else
	t_has "Debian's kernel cannot run here: make kernel" "kernel: make kernel" "$plan"
fi
t_nomatch "the plan builds nothing" "test-kernel|make kernel:" "$plan"
t_done
