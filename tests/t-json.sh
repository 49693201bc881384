#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# umlctl's JSON face (status --json, list --json, show --json) against real
# running guests: every field parsed with jq and checked against what the
# host shows of the guest (its processes in /proc, its memory file, its
# tap's counters in its namespace, its console log), a guest whose
# hostname holds quotes, escapes, control characters and a byte that is not
# UTF-8 (valid JSON, printable ASCII, the bytes intact), a guest never
# started, one whose conf.d file is broken, the exit statuses of the text
# mode, and the text output unchanged.
# shellcheck source=SCRIPTDIR/lib.sh
. "${0%/*}/lib.sh"
t_init
t_need_umlctl
[ -x "$REALKERNEL" ] || t_skip_all "$REALKERNEL missing"
command -v jq >/dev/null || t_bail "jq missing (tests/deps.sh)"
t_rootns_save

ns=$(t_name n)
t_netns "$ns"
t_bridge "$ns" jbr0 10.203.0.1/24

a=$(t_name a)
ta=ja$$
t_root_image "$a" --net 'vec0=10.203.0.2/24' --ping 10.203.0.1
t_real_conf "$a" NETNS="$ns" NET="$ta" "BRIDGE_$ta=jbr0" "MAC_$ta=52:54:00:0a:0b:0d"
b=$(t_name b)
t_root_image "$b" --odd-hostname
t_real_conf "$b" MEMORY=96M
c=$(t_name c)
t_root_dummy "$c"
t_real_conf "$c"
d=$(t_name d)
# shellcheck disable=SC2016 # the text umlctl refuses
printf 'USER=$(id)\n' >"$T_CONF/uml.$d"

# jq FILTER on $doc, the output kept by u; its exit status says whether
# it parsed.
j() {
	printf '%s\n' "$doc" | jq -r "$@"
}
# t_exit STATUS DESC umlctl ARGS..., keeping the output in $doc.
u() {
	t_exit "$@"
	doc=$t_out
}
# NAME's object in the last `list --json'.
jl() {
	printf '%s\n' "$list" | jq -r --arg n "$1" ".[] | select(.name == \$n) | $2"
}
# The CPU time (centiseconds) and Pss (KiB) of the processes in process
# group $1, from /proc.
cpu_cs() {
	for p in $(ps -e -o pid=,pgid= | awk -v k="$1" '$2 == k { print $1 }'); do
		sed 's/.*) //' "/proc/$p/stat" 2>/dev/null
	done | awk -v t="$(getconf CLK_TCK)" '{ s += $12 + $13 } END { printf "%d\n", s * 100 / t }'
}
pss_kib() {
	for p in $(ps -e -o pid=,pgid= | awk -v k="$1" '$2 == k { print $1 }'); do
		cat "/proc/$p/smaps_rollup" 2>/dev/null
	done | awk '$1 == "Pss:" { s += $2 } END { print s + 0 }'
}
# tap $1's counter $2 (rx.bytes, tx.packets, ...) in the namespace.
tapc() {
	ip -n "$ns" -s -j link show dev "$1" | jq ".[0].stats64.$2"
}
# $1 <= $2 <= $3
# shellcheck disable=SC2317 # called through t_ok
between() {
	[ "$1" -le "$2" ] && [ "$2" -le "$3" ]
}

t_exit 0 "a: start" t_umlctl start "$a"
t_exit 0 "b: start" t_umlctl start "$b"
t_ok "a: up" t_wait_log "$T_LOGDIR/$a.log" '^guest: up' 30
t_ok "b: up" t_wait_up "$b" 1
t_ok "a: has reached the bridge's address (traffic on its tap)" \
	t_wait_log "$T_LOGDIR/$a.log" '^guest: reached 10\.203\.0\.1' 45
t_ok "the namespace reaches a" ip netns exec "$ns" ping -c 2 -W 3 10.203.0.2
ka=$(t_kernel_pid "$a")
kb=$(t_kernel_pid "$b")

# What the host shows, before and after umlctl looks: counters only grow.
cpu0=$(cpu_cs "$ka")
up0=$(ps -o etimes= -p "$ka" | tr -d ' ')
t0=$(date +%s%N)
rxb0=$(tapc "$ta" rx.bytes); rxp0=$(tapc "$ta" rx.packets)
txb0=$(tapc "$ta" tx.bytes); txp0=$(tapc "$ta" tx.packets)
log0=$(stat -c %s "$T_LOGDIR/$a.log")
u 0 "list --json exits 0" t_umlctl list --json
list=$doc
t_log "list --json took $((($(date +%s%N) - t0) / 1000000)) ms"
up1=$(ps -o etimes= -p "$ka" | tr -d ' ')
cpu1=$(cpu_cs "$ka")
rxb1=$(tapc "$ta" rx.bytes); rxp1=$(tapc "$ta" rx.packets)
txb1=$(tapc "$ta" tx.bytes); txp1=$(tapc "$ta" tx.packets)
log1=$(stat -c %s "$T_LOGDIR/$a.log")
pss=$(pss_kib "$ka")
t_ok "list --json is JSON (jq parses it)" j -e 'type == "array"'
t_eq "list --json: one object per conf.d file" 4 "$(j 'length')"
t_eq "list --json: the names" "$(printf '%s\n' "$a" "$b" "$c" "$d" | sort)" \
	"$(j '.[].name' | sort)"
t_eq "list --json: schema 1 everywhere" 1 "$(j '[.[].schema] | unique | .[]')"
t_eq "list --json: every object has the same keys" 1 "$(j '[.[] | keys] | unique | length')"
t_eq "list --json: printable ASCII only" 0 "$(printf '%s\n' "$list" | LC_ALL=C grep -c '[^ -~]')"

t_eq "a: state" running "$(jl "$a" .state)"
t_eq "a: status (what umlctl status exits with)" 0 "$(jl "$a" .status)"
t_eq "a: not hung" false "$(jl "$a" .hung)"
t_eq "a: kernel_pid" "$ka" "$(jl "$a" .kernel_pid)"
t_eq "a: supervisor_pid" "$(cat "/run/uml/$a.pid")" "$(jl "$a" .supervisor_pid)"
t_ok "a: uptime_seconds ($(jl "$a" .uptime_seconds)) is the kernel's elapsed time ($up0..$up1)" \
	between $((up0 - 1)) "$(jl "$a" .uptime_seconds)" $((up1 + 1))
st=$(($(date +%s) - $(ps -o etimes= -p "$ka" | tr -d ' ')))
t_ok "a: since ($(jl "$a" .since)) is when the kernel started ($st)" \
	between $((st - 2)) "$(jl "$a" .since)" $((st + 2))
t_eq "a: processes: those of the kernel's process group" \
	"$(ps -e -o pgid= | awk -v k="$ka" '$1 == k' | wc -l)" "$(jl "$a" .processes)"
cs=$(jl "$a" '.cpu_seconds * 100 | round')
t_ok "a: cpu_seconds ($cs cs) between /proc's before ($cpu0) and after ($cpu1)" \
	between $((cpu0 - 1)) "$cs" $((cpu1 + 1))
jp=$(jl "$a" '.pss_bytes / 1024 | floor')
t_ok "a: pss_bytes ($jp KiB) within a quarter of /proc's Pss ($pss KiB)" \
	between $((pss * 3 / 4)) "$jp" $((pss * 5 / 4))
ud=$(stat -c %d "/run/uml/$a/u")
mf=$(for f in /proc/"$ka"/fd/*; do stat -L -c '%d %s %b' "$f"; done 2>/dev/null |
	awk -v d="$ud" '$1 == d && $2 > m { m = $2; b = $3 * 512 } END { print m, b }')
t_eq "a: memory_file_bytes: the kernel's open file on its u/ tmpfs" "${mf% *}" \
	"$(jl "$a" .memory_file_bytes)"
t_ok "a: memory_file_bytes is at least MEMORY" test "$(jl "$a" .memory_file_bytes)" -ge 134217728
fa=$(jl "$a" .memory_file_allocated_bytes)
t_ok "a: memory_file_allocated_bytes ($fa) is some of it (${mf#* } now)" \
	between 1 "$fa" "$(jl "$a" .memory_file_bytes)"
t_eq "a: memory_bytes: MEMORY" 134217728 "$(jl "$a" .memory_bytes)"
t_eq "a: kernel" "$REALKERNEL" "$(jl "$a" .kernel)"
t_eq "a: kernel_release: what the kernel says" "$("$REALKERNEL" --version)" \
	"$(jl "$a" .kernel_release)"
t_match "a: kernel_version: the mconsole's answer" "^Linux guest " "$(jl "$a" .kernel_version)"
t_eq "a: user" "$T_USER" "$(jl "$a" .user)"
t_eq "a: root" "$T_UMLDIR/$a/root.loop" "$(jl "$a" .root)"
t_eq "a: base_image null" null "$(jl "$a" .base_image)"
t_eq "a: swap null" null "$(jl "$a" .swap)"
t_eq "a: netns" "$ns" "$(jl "$a" .netns)"
t_eq "a: console_log" "$T_LOGDIR/$a.log" "$(jl "$a" .console_log)"
t_ok "a: console_log_bytes between the file's sizes before ($log0) and after ($log1)" \
	between "$log0" "$(jl "$a" .console_log_bytes)" "$log1"
cf=$(t_umlctl status "$a" | sed -n "s/^$a: confinement: //p")
t_match "a: status prints a confinement line" . "$cf"
t_eq "a: confinement: as status prints it" "$cf" "$(jl "$a" .confinement)"
cpus=$(t_guest_var CPUS)
t_eq "a: cpus: CPUS" "${cpus:-1}" "$(jl "$a" .cpus)"
t_eq "a: config_error null" null "$(jl "$a" .config_error)"
t_eq "a: one NIC" 1 "$(jl "$a" '.nics | length')"
t_eq "a: its tap" "$ta" "$(jl "$a" '.nics[0].tap')"
t_eq "a: its MAC" 52:54:00:0a:0b:0d "$(jl "$a" '.nics[0].mac')"
t_eq "a: its bridge" jbr0 "$(jl "$a" '.nics[0].bridge')"
t_ok "a: the tap has counted traffic" test "$rxp0" -gt 0 -a "$txp0" -gt 0
nic() {
	v=$(jl "$a" ".nics[0].$1")
	t_ok "a: nics[0].$1 ($v) is the tap's counter in the namespace ($2..$3)" \
		between "$2" "$v" "$3"
}
nic rx_bytes "$rxb0" "$rxb1"
nic rx_packets "$rxp0" "$rxp1"
nic tx_bytes "$txb0" "$txb1"
nic tx_packets "$txp0" "$txp1"

# status --json: the same object, and the exit status of the text mode.
u 0 "a: status --json exits 0, as status" t_umlctl status --json "$a"
t_eq "a: status --json: one object" object "$(j 'type')"
t_eq "a: status --json and list --json agree on the fixed fields" \
	"$(jl "$a" '[.name,.state,.kernel_pid,.supervisor_pid,.nics[0].mac,.root] | tostring')" \
	"$(j '[.name,.state,.kernel_pid,.supervisor_pid,.nics[0].mac,.root] | tostring')"
# The text is unchanged.
t_exit 0 "a: status (text)" t_umlctl status "$a"
t_match "a: status's text as before" \
	"^$a: running, kernel pid $ka, up [0-9]+ s, supervisor pid [0-9]+, Linux guest " "$t_out"
t_exit 0 "list (text)" t_umlctl list
t_match "list's text: a row, state running" "^$a +running " "$t_out"

# The odd hostname: valid JSON, ASCII, the very bytes when decoded.
u 0 "b: status --json exits 0" t_umlctl status --json "$b"
t_eq "b: printable ASCII only" 0 "$(printf '%s\n' "$doc" | LC_ALL=C grep -c '[^ -~]')"
t_has "b: the hostname's bytes as JSON escapes" \
	'odd\"\\\u001b[31m\u0001\t\u00ff\nx' "$doc"
t_ok "b: jq parses it" j -e .kernel_version
t_eq "b: decoded, the guest's bytes (\\xff as U+00FF)" \
	"$(printf 'odd"\\\033[31m\001\t\303\277\nx')" \
	"$(j '.kernel_version' | sed -n '1s/^Linux //p; 2p' | sed '2s/ .*//')"
t_eq "b: memory_bytes: MEMORY=96M" 100663296 "$(j .memory_bytes)"
t_eq "b: no NICs" 0 "$(j '.nics | length')"
t_eq "b: no netns" null "$(j .netns)"
t_eq "b: its kernel pid" "$kb" "$(j .kernel_pid)"
u 0 "b: show --json exits 0" t_umlctl show --json "$b"
t_eq "b: show --json: the kernel's argv, the kernel first" "$REALKERNEL" "$(j '.argv[0]')"
t_eq "b: show --json: umid" "umid=$b" "$(j '.argv[] | select(startswith("umid="))')"
t_eq "b: show --json: the same state" running "$(j .state)"

# Never started; a broken conf.d file.
t_eq "c: state none" none "$(jl "$c" .state)"
t_eq "c: status 3" 3 "$(jl "$c" .status)"
t_eq "c: no confinement in force" null "$(jl "$c" .confinement)"
t_eq "c: cpus: CPUS as configured" "${cpus:-1}" "$(jl "$c" .cpus)"
t_eq "c: no pids" null,null "$(jl "$c" '[.kernel_pid,.supervisor_pid] | map(tostring) | join(",")')"
u 3 "c: status --json exits 3, as status" t_umlctl status --json "$c"
t_eq "c: its configuration is known" "$T_UMLDIR/$c/root.loop" "$(j .root)"
t_match "d: config_error names the file and line" \
	"^$T_CONF/uml\\.$d:1: " "$(jl "$d" .config_error)"
t_eq "d: configured fields null" null "$(jl "$d" .root)"
t_eq "d: cpus null" null "$(jl "$d" .cpus)"

# Stopped: how, when, and the exit status.
t_exit 0 "a: stop" t_umlctl stop "$a"
now=$(date +%s)
u 3 "a: status --json of a stopped guest exits 3, as status" t_umlctl status --json "$a"
t_eq "a: state graceful" graceful "$(j .state)"
t_match "a: detail says how" "powered off" "$(j .detail)"
t_ok "a: since: when it stopped" between $((now - 5)) "$(j .since)" $((now + 1))
t_eq "a: no kernel pid" null "$(j .kernel_pid)"
t_eq "a: no confinement in force" null "$(j .confinement)"
t_eq "a: no counters" null "$(j '.nics[0].rx_bytes')"

# The command line: --json only where a command has it, once, as root.
t_exit 100 "--json twice: usage" t_umlctl status --json --json "$a"
t_exit 100 "stop --json: usage" t_umlctl stop --json "$a"
t_exit 100 "check --json: usage" t_umlctl check --json "$a"
t_exit 100 "show --json as $T_USER: exit 100" \
	setpriv --reuid="$T_USER" --regid="$T_USER" --clear-groups "$UMLCTL" -c "$T_CONF" show --json "$b"
t_has "show --json as $T_USER: says root" "must be run as root" "$t_out"

t_exit 0 "b: stop" t_umlctl stop "$b"
t_no_leftovers "$a" "$ta"
t_rootns_same
t_done
