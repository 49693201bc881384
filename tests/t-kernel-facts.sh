#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# What umlctl reads from the kernel file, and the refusals it bases on it
# (issue 13): a kernel older than 6.13 on a host whose XSAVE area is too
# large for it (an AMX host, played by the ASan build's UMLCTL_TEST_XSAVE),
# the legacy transport on a kernel without it, a NIC on a kernel without
# the vector driver, a file with no release banner.  Each refusal: exit 2,
# a message naming KERNEL, the version and the fix, and nothing done.
# KERNEL_CHECK="no" lets such a kernel start.  CPUS and USERSPACE against
# the kernel's release, SMP and NR_CPUS, and the host's Yama (issue 24).
# shellcheck source=SCRIPTDIR/lib.sh
. "${0%/*}/lib.sh"
t_init
t_need_umlctl
t_need_fake
asan=$T_ROOT/build/asan/umlctl
[ -x "$asan" ] || t_bail "$asan missing: run make build/asan/umlctl"
UMLCTL=$asan
export UMLCTL

ns=$(t_name n)
t_netns "$ns"

# kfile NAME TEXT: a kernel file for the checks (they refuse before exec).
kfile() {
	printf '\177ELF fake\n%b\n' "$2" >"$T_TMP/$1"
	chmod 0755 "$T_TMP/$1"
	printf '%s\n' "$T_TMP/$1"
}
vec='vec[0-9]+:<option>=<value>,<option>=<value>'
eth='eth[0-9]+=<transport>,<options>'
k61=$(kfile k61 "Linux version 6.1.176 (buildd@x) #1\n$vec\n$eth")
k612=$(kfile k612 "Linux version 6.12.9-um (b) #1\n$vec\n$eth")
k613=$(kfile k613 "Linux version 6.13.0 (b) #1\n$vec\n$eth")
k72=$(kfile k72 "Linux version 7.2.13 (b) #1\n$vec")
k72novec=$(kfile k72novec "Linux version 7.2.13 (b) #1")
knone=$(kfile knone "not a kernel")

# --- show: the facts ---------------------------------------------------
g=$(t_name s)
t_fake_conf "$g" KERNEL="$k61"
t_ok "show works" t_umlctl show "$g"
t_match "show prints the kernel's release and drivers" \
	'^# kernel: Linux 6\.1\.176, vector driver yes \(fd transport no\), legacy transports yes; host XSAVE area [0-9]+ bytes$' "$t_out"
t_conf_add "$g" KERNEL="$T_FAKE"
t_ok "show works with the fake kernel" t_umlctl show "$g"
t_has "show reads the fake kernel's banner" "# kernel: Linux 7.2.0-fake, vector driver yes (fd transport yes)" "$t_out"

# --- the host's XSAVE size against the release -------------------------
UMLCTL_TEST_XSAVE=11008
export UMLCTL_TEST_XSAVE
for k in "$k61:6.1.176" "$k612:6.12.9-um"; do
	g=$(t_name "x${k##*:}" | tr -d .-)
	t_fake_conf "$g" KERNEL="${k%%:*}"
	t_refused "Linux ${k##*:} on an AMX host" "$g" "KERNEL=\"${k%%:*}\"" \
		"Linux ${k##*:} cannot run guests on this host" \
		"XSAVE area is 11008 bytes" "make kernel" 'KERNEL_CHECK="no"'
done
g=$(t_name x613)
t_fake_conf "$g" KERNEL="$k613"
t_ok "Linux 6.13 passes check on an AMX host" t_umlctl check "$g"
UMLCTL_TEST_XSAVE=2696
t_ok "Linux 6.1 passes check on a host with a 2696-byte XSAVE area" \
	t_umlctl check "$(t_name x61176)"
UMLCTL_TEST_XSAVE=11008

# The override: KERNEL_CHECK="no" lets it start (the fake kernel runs;
# the file checked is a copy of it whose banner says 6.1).
g=$(t_name ov)
sed 's/Linux version 7\.2\.0-fake/Linux version 6.1.0-fake/' "$T_FAKE" >"$T_TMP/fake61"
chmod 0755 "$T_TMP/fake61"
t_fake_conf "$g" KERNEL="$T_TMP/fake61"
t_exit 2 "the fake kernel posing as 6.1 is refused on an AMX host" t_umlctl check "$g"
t_conf_add "$g" KERNEL_CHECK=no
t_ok "KERNEL_CHECK=no: check passes" t_umlctl check "$g"
t_ok "KERNEL_CHECK=no: start works" t_umlctl start "$g"
t_ok "KERNEL_CHECK=no: stop works" t_umlctl stop "$g"
t_conf_add "$g" KERNEL_CHECK=maybe
t_exit 2 "KERNEL_CHECK=maybe is refused" t_umlctl check "$g"
t_has "the refusal names KERNEL_CHECK and its value" 'KERNEL_CHECK="maybe"' "$t_out"
unset UMLCTL_TEST_XSAVE

# --- transports --------------------------------------------------------
g=$(t_name tt)
t_fake_conf "$g" KERNEL="$k72" NETNS="$ns" NET=kf$$ NET_TRANSPORT=tuntap
t_refused "tuntap on 7.2" "$g" 'NET_TRANSPORT="tuntap"' "Linux 7.2.13" \
	"no legacy network transports" 'use NET_TRANSPORT="vector"'
t_ok "tuntap on 7.2: no tap made" sh -c "! ip -n '$ns' link show dev kf$$ 2>/dev/null"
g=$(t_name tv)
t_fake_conf "$g" KERNEL="$k72novec" NETNS="$ns" NET=kf$$
t_refused "a NIC on a kernel without the vector driver" "$g" \
	'NET_TRANSPORT="fd"' "has no vector network driver" "make kernel"
# The fd transport (the default) needs the vector driver's transport=fd.
g=$(t_name tf)
t_fake_conf "$g" KERNEL="$k72" NETNS="$ns" NET=kf$$
t_refused "fd transport on a vector driver without it" "$g" \
	'NET_TRANSPORT="fd"' "has no fd transport" 'use NET_TRANSPORT="vector"'
t_ok "fd transport refused: no tap made" sh -c "! ip -n '$ns' link show dev kf$$ 2>/dev/null"
g=$(t_name tw)
t_fake_conf "$g" KERNEL="$k72" NETNS="$ns" NET=kf$$ NET_TRANSPORT=vector
t_ok "the same kernel with NET_TRANSPORT=vector passes" t_umlctl check "$g"
g=$(t_name t0)
t_fake_conf "$g" KERNEL="$k72novec"
t_ok "no NIC: a kernel without the vector driver passes" t_umlctl check "$g"
g=$(t_name t61)
t_fake_conf "$g" KERNEL="$k61" NETNS="$ns" NET=kf$$ NET_TRANSPORT=tuntap
t_ok "tuntap on 6.1 passes" t_umlctl check "$g"

# --- a known cause on the console --------------------------------------
# A kernel that dies before it answers, printing what a pre-6.13 kernel
# prints on an AMX host: start names the cause and the fix.
g=$(t_name cf)
t_fake_conf "$g" KERNEL_ARGS="fake.record=$T_REC/$g fake.noready fake.panic_after=0 fake.panic_kind=fpu"
t_exit 4 "fpu at boot: start exits 4" t_umlctl start "$g"
t_log "fpu at boot: $(printf '%s\n' "$t_out" | head -n 1)"
t_has "fpu at boot: start names the panic" "panic: Attempted to kill init!" "$t_out"
t_has "fpu at boot: start names the cause" "cause: the kernel cannot restore FPU state on this CPU" "$t_out"
t_has "fpu at boot: start names the fix" "make kernel" "$t_out"
t_exit 3 "fpu at boot: status exits 3" t_umlctl status "$g"
t_has "fpu at boot: status names the cause" "cause: the kernel cannot restore FPU state" "$t_out"
t_no_leftovers "$g"

# The same once running: status says crashed, with the cause.
g=$(t_name cr)
t_fake_conf "$g" KERNEL_ARGS="fake.record=$T_REC/$g fake.panic_after=300 fake.panic_kind=fpu"
t_ok "fpu later: start exits 0" t_umlctl start "$g"
t_ok "fpu later: status exits 4 (crashed)" t_wait 10 t_status_is 4 t_umlctl status "$g"
t_exit 4 "fpu later: status exits 4" t_umlctl status "$g"
t_log "fpu later: $t_out"
t_match "fpu later: status says crashed, with the cause and the fix" \
	"^$g: crashed: panic: Attempted to kill init!.*cause: the kernel cannot restore FPU state.*make kernel" "$t_out"
t_no_leftovers "$g"

# Causes are matched only in what this run printed: an old run's panic
# in the same console log is not this run's cause.
g=$(t_name co)
printf 'Out of memory and no killable processes...\n' >"$T_LOGDIR/$g.log"
t_fake_conf "$g" KERNEL_ARGS="fake.record=$T_REC/$g fake.noready fake.panic_after=0"
t_exit 4 "old log: start exits 4" t_umlctl start "$g"
t_nomatch "old log: an earlier run's line is no cause" 'cause:' "$t_out"
for kind in oom:"raise MEMORY" noinit:"ROOT must hold /sbin/init" noexec:"MEMORY_DIR" \
	lock:"a disk file is locked by another process"; do
	g=$(t_name "c${kind%%:*}")
	t_fake_conf "$g" KERNEL_ARGS="fake.record=$T_REC/$g fake.noready fake.panic_after=0 fake.panic_kind=${kind%%:*}"
	t_exit 4 "${kind%%:*} at boot: start exits 4" t_umlctl start "$g"
	t_has "${kind%%:*} at boot: start names the cause" "${kind#*:}" "$t_out"
done
t_nomatch "lock at boot (the last): not called an unreadable image" 'ext2, ext3' "$t_out"

# --- CPUS and USERSPACE (issue 24) --------------------------------------
# The facts: the release (the seccomp userspace came in 6.16) and the
# config text every UML kernel carries (CONFIG_SMP, CONFIG_NR_CPUS).
fdmsg='fd open: bad or missing fd argument'
k615=$(kfile k615 "Linux version 6.15.2 (b) #1\n$vec\n$fdmsg")
k73up=$(kfile k73up "Linux version 7.3.4 (b) #1\n$vec\n$fdmsg\n# CONFIG_SMP is not set\nCONFIG_NR_CPUS=1")
k73smp=$(kfile k73smp "Linux version 7.3.4 (b) #1\n$vec\n$fdmsg\nCONFIG_SMP=y\nCONFIG_NR_CPUS=4")
g=$(t_name us)
t_fake_conf "$g" KERNEL="$k73smp"
t_ok "show works on an SMP kernel" t_umlctl show "$g"
t_match "show prints SMP, NR_CPUS, the seccomp userspace and Yama" \
	"^# kernel: SMP yes, NR_CPUS 4, seccomp userspace yes; (host Yama ptrace_scope [0-3]|no Yama in the host's kernel)\$" "$t_out"
t_has "show prints CPUS" "CPUS='1'" "$t_out"
t_has "show prints USERSPACE" "USERSPACE='ptrace'" "$t_out"
t_fake_conf "$g" KERNEL="$k615"
t_ok "show works on 6.15" t_umlctl show "$g"
t_has "show: 6.15 has no seccomp userspace" "# kernel: SMP no, NR_CPUS 0, seccomp userspace no;" "$t_out"

g=$(t_name u615)
t_fake_conf "$g" KERNEL="$k615" USERSPACE=seccomp
t_refused "USERSPACE=seccomp on 6.15" "$g" 'USERSPACE="seccomp"' \
	"Linux 6.15.2" "no seccomp userspace (added in 6.16)" "make kernel"
t_fake_conf "$g" KERNEL="$k615" USERSPACE=ptrace
t_ok "USERSPACE=ptrace on 6.15 passes check" t_umlctl check "$g"
g=$(t_name cup)
t_fake_conf "$g" KERNEL="$k73up" USERSPACE=seccomp CPUS=2
t_refused "CPUS=2 on a kernel without SMP" "$g" 'CPUS="2"' \
	"Linux 7.3.4" "built without SMP" 'set CPUS="1"'
g=$(t_name cbig)
t_fake_conf "$g" KERNEL="$k73smp" USERSPACE=seccomp CPUS=5
t_refused "CPUS=5 on a kernel with NR_CPUS=4" "$g" 'CPUS="5"' \
	"at most 4 CPUs" "set CPUS to 4 or less"
t_fake_conf "$g" KERNEL="$k73smp" USERSPACE=seccomp CPUS=4
t_ok "CPUS=4 on a kernel with NR_CPUS=4 passes check" t_umlctl check "$g"
t_fake_conf "$g" KERNEL="$k73smp" USERSPACE=seccomp CPUS=5 KERNEL_CHECK=no
t_ok "KERNEL_CHECK=no: CPUS=5 passes check" t_umlctl check "$g"

# What the kernel is given: a copy of the fake kernel with SMP in its
# config text (the bytes after an ELF file's end are not loaded).
cp "$T_FAKE" "$T_TMP/fakesmp"
printf 'CONFIG_SMP=y\nCONFIG_NR_CPUS=16\n' >>"$T_TMP/fakesmp"
chmod 0755 "$T_TMP/fakesmp"
g=$(t_name cfk)
# CONFINE=no: the fake kernel writes its record outside its guest.
t_fake_conf "$g" KERNEL="$T_TMP/fakesmp" USERSPACE=seccomp CPUS=3 CONFINE=no
t_ok "CPUS=3 USERSPACE=seccomp: start" t_umlctl start "$g"
t_has "the kernel is given seccomp=on" "argv seccomp=on" "$(cat "$T_REC/$g")"
t_has "the kernel is given ncpus=3" "argv ncpus=3" "$(cat "$T_REC/$g")"
t_ok "CPUS=3 USERSPACE=seccomp: stop" t_umlctl stop "$g"
t_no_leftovers "$g"
g=$(t_name cf1)
t_fake_conf "$g" KERNEL="$T_TMP/fakesmp"
t_ok "defaults: start" t_umlctl start "$g"
t_nomatch "defaults: no seccomp= and no ncpus=" '^argv (seccomp|ncpus)=' "$(cat "$T_REC/$g")"
t_ok "defaults: stop" t_umlctl stop "$g"

# Yama: ptrace_scope 2 and 3 forbid a ptrace-mode guest; the host's scope
# is played by the ASan build's UMLCTL_TEST_PTRACE_SCOPE (3 could not be
# undone until reboot).
for scope in 2 3; do
	UMLCTL_TEST_PTRACE_SCOPE=$scope
	export UMLCTL_TEST_PTRACE_SCOPE
	g=$(t_name "y$scope")
	t_fake_conf "$g"
	t_refused "ptrace_scope $scope, USERSPACE unset" "$g" 'USERSPACE="ptrace"' \
		"ptrace_scope is $scope" 'choose USERSPACE="seccomp"'
	t_fake_conf "$g" USERSPACE=seccomp
	t_ok "ptrace_scope $scope: USERSPACE=seccomp passes check" t_umlctl check "$g"
done
t_fake_conf "$g" USERSPACE=ptrace KERNEL_CHECK=no
t_exit 2 "ptrace_scope 3: KERNEL_CHECK=no does not hide a host fact" t_umlctl check "$g"
UMLCTL_TEST_PTRACE_SCOPE=1
t_fake_conf "$g" USERSPACE=ptrace
t_ok "ptrace_scope 1: USERSPACE=ptrace passes check" t_umlctl check "$g"
unset UMLCTL_TEST_PTRACE_SCOPE

# --- no banner ---------------------------------------------------------
g=$(t_name nb)
t_fake_conf "$g" KERNEL="$knone"
t_refused "a file without a release banner" "$g" "KERNEL=\"$knone\"" \
	'no "Linux version" banner'

t_done
