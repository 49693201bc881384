#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# make bench-build: a parallel build in a Debian 12 guest, CPUS="2"
# against CPUS="1" (issue 24).  Both variants USERSPACE="seccomp" (SMP
# needs it), confined, MEMORY 512M, the same image, started and stopped
# by umlctl; the variants alternate, their order reversed every other rep.
# In each boot a systemd unit, once the guest is up, writes a small C
# project (GB_FILES files of generated functions and a main, made by awk
# in the guest) and builds it with `make -j2', timed by the guest's clock
# (date +%s%N, from the build's start to its link): the same `make -j2' in
# both variants, so that the ratio is what the second CPU buys.
#
# The image is made once by `umlctl create -p gcc,make,libc6-dev' and
# cached beside t-guest-debian's (T_DEBCACHE).  Needs a REALKERNEL with
# SMP (make test-kernel) and mmdebstrap (tests/deps.sh).
# Options (environment): BENCH_REPS (default 4 pairs of boots), GB_FILES
# (default 16), BENCH_OUT (default build/bench-build).  The report is
# BENCH_OUT/report.md, each boot's figures BENCH_OUT/samples.tsv; exit 0
# when every boot gave its figure.
GB_TESTS=$(cd "$(dirname "$0")/.." && pwd -P)
UMLCTL=${UMLCTL:-${GB_TESTS%/*}/build/umlctl}
# shellcheck source=SCRIPTDIR/../lib.sh
. "$GB_TESTS/lib.sh"
# lib.sh found its directory from $0: ours is one below.
# shellcheck disable=SC2034 # lib.sh's
T_DIR=$GB_TESTS T_ROOT=${GB_TESTS%/*}
t_init
t_need_umlctl
reps=${BENCH_REPS:-4}
files=${GB_FILES:-16}
out=${BENCH_OUT:-$T_ROOT/build/bench-build}
[ -x "$REALKERNEL" ] || t_skip_all "$REALKERNEL missing (make test-kernel)"
"$REALKERNEL" --showconfig 2>/dev/null | grep -qx 'CONFIG_SMP=y' ||
	t_skip_all "$REALKERNEL has no SMP (CONFIG_SMP; make test-kernel builds a kernel with it)"
command -v mmdebstrap >/dev/null || t_skip_all "no mmdebstrap (tests/deps.sh)"
mkdir -p "$out"

# The image: Debian 12 (systemd) with a compiler, cached like
# t_debian_image's (its key with the packages).
pkgs=gcc,make,libc6-dev
key=$(t_create_key "$pkgs")
cached=$T_DEBCACHE/bookworm-build-$key.img
echo "UMLDIR=$(t_q "$T_UMLDIR")" >"$T_CONF/uml"
if [ ! -f "$cached" ]; then
	m=$(t_name m)
	t_log "making the image: umlctl create -p $pkgs (not cached yet)"
	"$UMLCTL" -c "$T_CONF" create -u "$T_USER" -i systemd -s 3G -p "$pkgs" \
		"$m" debian:bookworm >&2 || t_bail "umlctl create $m debian:bookworm"
	t_cache_put "$T_UMLDIR/$m/root.loop" "$cached" || t_bail "caching $cached"
	rm -rf "${T_UMLDIR:?}/$m" "$T_CONF/uml.$m"
fi
g=$(t_name g)
t_guest_dir "$g"
img=$T_UMLDIR/$g/root.loop
cp --sparse=always "$cached" "$img"
chown "$T_USER:" "$img"
chmod 0600 "$img"

# The build, run by a unit once the guest is up.
cat >"$T_TMP/gbuild" <<EOF
#!/bin/sh
# umlctl's bench-build: $files generated C files and a main, make -j2.
set -eu
d=/root/gbuild
rm -rf "\$d"
mkdir -p "\$d"
cd "\$d"
i=0
while [ \$i -lt $files ]; do
	awk -v n=\$i 'BEGIN {
		for (f = 0; f < 120; f++) {
			printf "int f%d_%d(int x)\\n{\\n\\tint s = 0;\\n", n, f
			printf "\\tfor (int i = 0; i < x; i++) {\\n"
			for (k = 0; k < 8; k++)
				printf "\\t\\ts += (x * %d + i) ^ (s >> %d);\\n", k + f, k % 5 + 1
			printf "\\t}\\n\\treturn s;\\n}\\n"
		}
		printf "int f%d(int x)\\n{\\n\\treturn f%d_0(x) + f%d_119(x);\\n}\\n", n, n, n
	}' >f\$i.c
	i=\$((i + 1))
done
awk -v n=$files 'BEGIN {
	for (i = 0; i < n; i++) printf "int f%d(int);\\n", i
	printf "int main(void)\\n{\\n\\tint s = 0;\\n"
	for (i = 0; i < n; i++) printf "\\ts += f%d(%d);\\n", i, i
	printf "\\treturn s == 0x7fffffff;\\n}\\n"
}' >main.c
objs=\$(i=0; while [ \$i -lt $files ]; do printf 'f%d.o ' \$i; i=\$((i + 1)); done)
printf 'prog: main.o %s\\n\\tgcc -o \$@ main.o %s\\n%%.o: %%.c\\n\\tgcc -O2 -c -o \$@ \$<\\n' \\
	"\$objs" "\$objs" >Makefile
sync
t0=\$(date +%s%N)
make -s -j2
t1=\$(date +%s%N)
./prog || :
# After a newline: the console may be in the middle of a login prompt.
printf '\\ngbuild: built $files files and a main with make -j2 in %d ms; nproc %d\\n' \$(((t1 - t0) / 1000000)) "\$(nproc)" >/dev/console
EOF
cat >"$T_TMP/gbuild.service" <<'EOF'
[Unit]
Description=umlctl bench-build: a parallel build
After=umlctl-ready.service
[Service]
Type=oneshot
ExecStart=/usr/local/sbin/umlctl-gbuild
EOF
t_image_put "$img" /usr/local/sbin/umlctl-gbuild "$T_TMP/gbuild" 755 0 0
t_image_put "$img" /etc/systemd/system/umlctl-gbuild.service "$T_TMP/gbuild.service" 644 0 0
# Wanted by umlctl-ready.service, after it: multi-user.target, which that
# one follows, would make a cycle.
w=/etc/systemd/system/umlctl-ready.service.wants
debugfs -w -R "mkdir $w" "$img" >/dev/null 2>&1
debugfs -w -R "symlink $w/umlctl-gbuild.service /etc/systemd/system/umlctl-gbuild.service" \
	"$img" >/dev/null 2>&1

log=$T_LOGDIR/$g.log
samples=$out/samples.tsv
printf 'rep\tcpus\tms\tnproc\tload1\n' >"$samples"
# boot CPUS: one boot, its build's figure appended to the samples.
boot() {
	t_conf "$g" USER="$T_USER" UMLDIR="$T_UMLDIR" KERNEL="$REALKERNEL" \
		MEMORY=512M READY=guest START_TIMEOUT=300 CONSOLE_LOG="$log" \
		USERSPACE=seccomp CPUS="$1"
	_n=0
	[ ! -f "$log" ] || _n=$(t_console "$log" | grep -c 'gbuild: built [0-9]' || :)
	t_run t_umlctl start "$g" || { t_log "CPUS=$1: start failed: $t_out"; return 1; }
	if ! t_wait 900 sh -c "[ \$(tr -d '\\r' <'$log' | grep -c 'gbuild: built [0-9]') -gt $_n ]"; then
		t_log "CPUS=$1: no figure within 900 s"
		t_run t_umlctl stop "$g"
		return 1
	fi
	_line=$(t_console "$log" | grep -o 'gbuild: built [0-9].*' | tail -n 1)
	_ms=$(printf '%s\n' "$_line" | sed -n 's/.* in \([0-9]*\) ms; nproc \([0-9]*\)$/\1 \2/p')
	t_run t_umlctl stop "$g" || t_log "CPUS=$1: stop: $t_out"
	[ -n "$_ms" ] || { t_log "CPUS=$1: unreadable: $_line"; return 1; }
	# shellcheck disable=SC2086 # two words: ms and nproc
	set -- "$1" $_ms
	printf '%s\t%s\t%s\t%s\t%s\n' "$rep" "$1" "$2" "$3" \
		"$(cut -d' ' -f1 /proc/loadavg)" >>"$samples"
	t_log "rep $rep, CPUS=$1: $2 ms (nproc $3)"
}
lost=0
rep=1
while [ "$rep" -le "$reps" ]; do
	order="1 2"
	[ $((rep % 2)) -eq 0 ] && order="2 1"
	for c in $order; do
		boot "$c" || lost=$((lost + 1))
	done
	rep=$((rep + 1))
done

# The report: per rep the ratio CPUS=2 / CPUS=1, their median and range.
{
	echo "# A parallel build in a Debian 12 guest: CPUS=\"2\" against CPUS=\"1\""
	echo
	echo "$(date -u '+%Y-%m-%d %H:%M UTC'); kernel $("$REALKERNEL" --version 2>/dev/null) ($REALKERNEL);"
	echo "host: $(nproc) CPUs, $(uname -r); umlctl $(git -C "$T_ROOT" rev-parse --short HEAD 2>/dev/null || echo '?');"
	echo "$files files + main, make -j2, MEMORY=512M, USERSPACE=seccomp, $reps reps, $lost boots lost."
	echo
	awk -F '\t' 'NR > 1 { t[$1, $2] = $3; n[$1, $2] = $4; l[$1] = l[$1] " " $5; if ($1 > last) last = $1 }
	function med(a, k,   i, j, x) {
		for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++)
			if (a[j] < a[i]) { x = a[i]; a[i] = a[j]; a[j] = x }
		return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
	}
	END {
		print "| rep | CPUS=1 (ms, nproc) | CPUS=2 (ms, nproc) | ratio 2/1 | load (1 min) |"
		print "| --- | --- | --- | --- | --- |"
		for (k = 1; k <= last; k++) {
			if (!(((k, 1) in t) && ((k, 2) in t))) continue
			q = t[k, 2] / t[k, 1]; m++; qs[m] = q; one[m] = t[k, 1]; two[m] = t[k, 2]
			if (m == 1 || q < lo) lo = q
			if (m == 1 || q > hi) hi = q
			printf "| %s | %d, %d | %d, %d | %.2f |%s |\n", k, t[k, 1], n[k, 1], t[k, 2], n[k, 2], q, l[k]
		}
		if (!m) { print "\nno complete rep"; exit 1 }
		printf "\n**CPUS=2 / CPUS=1: %.2f** (median of %d reps, %.2f-%.2f); medians %d ms and %d ms.\n",
			med(qs, m), m, lo, hi, med(two, m), med(one, m)
	}' "$samples"
} >"$out/report.md"
st=$?
cat "$out/report.md"
# shellcheck disable=SC2034 # read by lib.sh's exit trap
t_done_called=1
[ "$st" -eq 0 ] && [ "$lost" -eq 0 ]
