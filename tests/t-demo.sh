#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# demo.sh's set-up (issue 26): tests/deps.sh splits its packages into what
# running, building umlctl, building a kernel and testing need, the four
# together being what CI installs; demo.sh installs only running and
# building, and builds a kernel (installing what that needs) only when
# Debian's cannot run a guest here (tests/tools/kprobe.sh decides, for
# real, once, here).  The real demo.sh runs in a mount namespace of its
# own (tmpfs over /etc/conf.d, /etc/init.d, /usr/local, /var/log,
# /run/openrc and /var/lib/uml) with stand-ins first on PATH for apt-get,
# dpkg-query (says nothing is installed), make, useradd, rc-service,
# rc-update and the umlctl `make install' puts in place, and over
# tests/tools/kprobe.sh (says what the real one said), each recording its
# argv: with DEMO_PLAN=1 (it says what it would do and does nothing),
# whole, and whole again with a kprobe.sh that says Debian's kernel
# cannot run a guest.
# shellcheck source=SCRIPTDIR/lib.sh disable=SC2016
. "${0%/*}/lib.sh"
t_init
deps=$T_DIR/deps.sh

lst() { sh "$deps" --list "$@" | sort | tr '\n' ' '; }
t_ok "deps.sh --list exits 0" sh "$deps" --list
all=$(lst)
t_eq "all groups are run, build, kernel and test together" "$all" \
	"$(sh "$deps" --list run build kernel test | sort -u | tr '\n' ' ')"
t_eq "without a group: all of them" "$all" "$(lst run build kernel test)"
t_eq "test has kernel's packages (the tests build a kernel)" "$(lst kernel test)" "$(lst test)"
for p in openrc user-mode-linux mmdebstrap openssh-client libcap-dev \
	libext2fs-dev flex bison clang libcmocka-dev valgrind lintian debhelper \
	shellcheck strace; do
	t_has "the full list (CI's) has $p" " $p " " $all"
done
t_exit 100 "deps.sh with an unknown group: exit 100" sh "$deps" nosuch
run_build=$(lst run build)
for p in $(sh "$deps" --list kernel test); do
	t_nomatch "run and build have no test or kernel build tool: $p" " $p " " $run_build"
done

# --- demo.sh, with stand-ins ------------------------------------------------
command -v unshare >/dev/null || t_skip_all "no unshare (util-linux)"
# kprobe's word on Debian's kernel, once (a real boot): demo.sh's runs get
# a stand-in kprobe.sh that repeats it (or, for the run "cannot", says no).
debian_runs=
if [ ! -x /usr/bin/linux.uml ]; then
	verdict="no /usr/bin/linux.uml"
elif verdict=$(sh "$T_DIR/tools/kprobe.sh" /usr/bin/linux.uml); then
	debian_runs=1
fi
t_log "kprobe: $verdict"
bin=$T_TMP/bin
mkdir -p "$bin" || t_bail "mkdir $bin"
# The stand-in: records its argv in $DEMO_REC/NAME and succeeds; make
# install puts umlctl's in place, make kernel prints the stand-in kernel,
# kprobe.sh says $DEMO_KPROBE.
printf '%s\n' '#!/bin/sh' 'n=${0##*/}' \
	'printf "%s\n" "$n $*" >>"$DEMO_REC/$n"' \
	'case $n in' \
	'dpkg-query) exit 1 ;;' \
	'make)' \
	'	p=$(printf "%s\n" "$@" | sed -n "s/^PREFIX=//p")' \
	'	case " $* " in' \
	'	*" install "*) [ "$p" = /usr/local ] && mkdir -p "$p/sbin" &&' \
	'		ln -s "$DEMO_BIN/umlctl" "$p/sbin/umlctl" ;;' \
	'	*" kernel "*) echo "$DEMO_BIN/linux" ;;' \
	'	esac ;;' \
	'umlctl) [ "$1" != create ] || echo "# made by \`umlctl create'"'"'" >/etc/conf.d/uml.demo ;;' \
	'linux) echo 0.0-standin ;;' \
	'kprobe.sh) [ "$DEMO_KPROBE" = ok ] && echo ok && exit 0' \
	'	echo "$DEMO_KPROBE"; exit 1 ;;' \
	'esac' \
	'exit 0' >"$bin/standin"
chmod 0755 "$bin/standin"
for n in apt-get dpkg-query make useradd rc-service rc-update umlctl linux kprobe.sh; do
	ln -s standin "$bin/$n"
done

# demo RUN KPROBE [VAR=VALUE...]: sh demo.sh (with VAR=VALUE in its
# environment) in a mount namespace of its own, with the stand-ins,
# recording in $T_TMP/RUN, kprobe.sh saying KPROBE.
demo() {
	mkdir -p "$T_TMP/$1"
	_r=$1
	_k=$2
	shift 2
	t_exit 0 "$_r: demo.sh with stand-ins exits 0" env PATH="$bin:$PATH" \
		DEMO_REC="$T_TMP/$_r" DEMO_BIN="$bin" DEMO_KPROBE="$_k" "$@" \
		unshare -m --propagation private sh -c '
		for d in /etc/conf.d /etc/init.d /usr/local /var/log /run/openrc /var/lib/uml; do
			[ ! -d "$d" ] || mount -t tmpfs demo "$d" || exit 99
		done
		mkdir /var/log/uml && : >/var/log/uml/demo.log || exit 99
		mount --bind "$DEMO_BIN/kprobe.sh" "$1/tests/tools/kprobe.sh" || exit 99
		exec sh "$1/demo.sh"' - "$T_ROOT"
}
# installed RUN: the packages apt-get was told to install, sorted.
installed() {
	sed -n 's/^apt-get .*install //p' "$T_TMP/$1/apt-get" 2>/dev/null |
		tr ' ' '\n' | sed '/^$/d' | sort | tr '\n' ' '
}
# asked RUN PROGRAM: the argv PROGRAM was run with, one run a line.
asked() { cat "$T_TMP/$1/$2" 2>/dev/null; }

demo plan "$verdict" DEMO_PLAN=1
plan=$t_out
t_has "plan: the demo installs run and build only" \
	"demo.sh: would install: $(sh "$deps" --list run build | tr '\n' ' ')" "$plan"
if [ -n "$debian_runs" ]; then
	t_has "plan: Debian's kernel runs here: no kernel build" \
		"kernel: /usr/bin/linux.uml (no kernel build)" "$plan"
	t_nomatch "plan: ... nor its tools" "install for it" "$plan"
else
	t_has "plan: Debian's kernel cannot run here: make kernel" "kernel: make kernel" "$plan"
	t_has "plan: ... and its tools" \
		"would install for it: $(sh "$deps" --list kernel | tr '\n' ' ')" "$plan"
fi
t_nomatch "plan: builds nothing" "test-kernel|make kernel:" "$plan"
t_eq "plan: nothing installed, made or started" "kprobe.sh" "$(ls "$T_TMP/plan")"

demo plain "$verdict"
t_has "plain: kprobe asked about Debian's kernel" "kprobe.sh /usr/bin/linux.uml" \
	"$(asked plain kprobe.sh)"
if [ -n "$debian_runs" ]; then
	t_eq "plain: apt-get installs run and build only" "$(lst run build)" "$(installed plain)"
	for p in $(sh "$deps" --list kernel test); do
		t_nomatch "plain: no test or kernel build tool installed: $p" " $p " " $(installed plain)"
	done
	t_nomatch "plain: neither make kernel nor make test-kernel" \
		"(^| )(test-)?kernel( |$)" "$(asked plain make)"
	t_has "plain: the guest's kernel is /usr/bin/linux.uml" \
		"create -u umldemo -k /usr/bin/linux.uml demo" "$(asked plain umlctl)"
else
	t_log "SKIP plain's no-build checks: Debian's kernel cannot run here"
fi
t_has "plain: umlctl built and installed" "make -s install PREFIX=/usr/local" "$(asked plain make)"
t_has "plain: the guest started with rc-service" "rc-service uml.demo start" \
	"$(asked plain rc-service)"

demo cannot "/usr/bin/linux.uml cannot run a guest here: a stand-in"
t_has "cannot: it says why" "cannot run a guest here: a stand-in" "$t_out"
t_eq "cannot: apt-get installs run, build and kernel" "$(lst run build kernel)" "$(installed cannot)"
t_has "cannot: the kernel's tools in an install of their own" \
	"install $(sh "$deps" --list kernel | tr '\n' ' ' | sed 's/ $//')" "$(asked cannot apt-get)"
t_has "cannot: make kernel ran" "make -s kernel PREFIX=/usr/local" "$(asked cannot make)"
t_nomatch "cannot: not make test-kernel" "test-kernel" "$(asked cannot make)"
t_has "cannot: the guest's kernel is the one built" "create -u umldemo -k $bin/linux demo" \
	"$(asked cannot umlctl)"
t_done
