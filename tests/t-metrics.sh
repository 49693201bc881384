#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# umlctl metrics with the real thing: two real guests running (one with a
# NIC on a bridge in a namespace, pinging), one stopped, one never started;
# the shipped cron job's command writes the file with -o (atomically: a new
# inode, no temporary file left, mode 0644) into the textfile directory of
# a real prometheus-node-exporter listening on loopback, whose /metrics
# then serves umlctl's series with the values the host shows (/proc, the
# tap's counters, the console log); promtool accepts umlctl's output.
# Stops by outcome: two forced stops of one guest (it ignores
# ctrl-alt-del), then a graceful stop of each running guest, counted.  The
# exporter is killed when the test ends, however it ends.
# shellcheck source=SCRIPTDIR/lib.sh
. "${0%/*}/lib.sh"
t_init
t_need_umlctl
[ -x "$REALKERNEL" ] || t_skip_all "$REALKERNEL missing"
for p in prometheus-node-exporter promtool curl; do
	command -v "$p" >/dev/null || t_bail "$p missing (tests/deps.sh)"
done
t_rootns_save

ns=$(t_name n)
t_netns "$ns"
t_bridge "$ns" mbr0 10.204.0.1/24
a=$(t_name a)
ta=ma$$
t_root_image "$a" --net 'vec0=10.204.0.2/24' --ping 10.204.0.1
t_real_conf "$a" NETNS="$ns" NET="$ta" "BRIDGE_$ta=mbr0"
b=$(t_name b)
t_root_image "$b"
t_real_conf "$b" MEMORY=96M
c=$(t_name c)
# c ignores ctrl-alt-del: each stop is forced (by the ladder, quickly).
t_root_image "$c" --cad ignore
t_real_conf "$c" SHUTDOWN_TIMEOUT=3
d=$(t_name d)
t_root_dummy "$d"
t_real_conf "$d"

# The exporter, on a free loopback port, as nobody, only the textfile
# collector.
tdir=$T_TMP/textfile
mkdir "$tdir"
chmod 0755 "$tdir"
port=$((19100 + $$ % 500))
while [ -n "$(ss -Htln "sport = :$port")" ]; do
	port=$((port + 1))
done
setpriv --reuid=nobody --regid=nogroup --clear-groups prometheus-node-exporter \
	--web.listen-address="127.0.0.1:$port" --collector.disable-defaults \
	--collector.textfile --collector.textfile.directory="$tdir" \
	>"$T_TMP/exporter.log" 2>&1 &
exporter=$!
t_defer "kill $exporter; wait $exporter 2>/dev/null"
url=http://127.0.0.1:$port/metrics
t_ok "node_exporter serves $url" t_wait 20 curl -sf -o /dev/null "$url"

t_exit 0 "a: start" t_umlctl start "$a"
t_exit 0 "b: start" t_umlctl start "$b"
t_exit 0 "c: start" t_umlctl start "$c"
t_ok "a: up" t_wait_log "$T_LOGDIR/$a.log" '^guest: up' 30
t_ok "b: up" t_wait_up "$b" 1
t_ok "c: up" t_wait_up "$c" 1
for i in 1 2; do
	t_exit 6 "c: stop $i (forced: exit 6)" t_umlctl stop "$c"
	[ "$i" = 2 ] || { t_exit 0 "c: start again" t_umlctl start "$c" &&
		t_ok "c: up again" t_wait_up "$c" 2; }
done
t_ok "a: has reached the bridge's address" \
	t_wait_log "$T_LOGDIR/$a.log" '^guest: reached 10\.204\.0\.1' 45
t_ok "the namespace reaches a" ip netns exec "$ns" ping -c 2 -W 3 10.204.0.2
ka=$(t_kernel_pid "$a")
kb=$(t_kernel_pid "$b")

# The shipped cron job's command, with this build and this directory.
job=$(sed -n 's/^\* \* \* \* \* root //p' "$T_ROOT/contrib/cron.d/umlctl-metrics")
t_match "the cron job runs umlctl metrics -o" '^/usr/local/sbin/umlctl metrics -o /var/lib/prometheus/node-exporter/umlctl\.prom$' "$job"
job=$(printf '%s' "$job" | sed "s|^/usr/local/sbin/umlctl|$UMLCTL -c $T_CONF|; s| -o .*| -o $tdir/umlctl.prom|")

cpu_cs() {
	for p in $(ps -e -o pid=,pgid= | awk -v k="$1" '$2 == k { print $1 }'); do
		sed 's/.*) //' "/proc/$p/stat" 2>/dev/null
	done | awk -v t="$(getconf CLK_TCK)" '{ s += $12 + $13 } END { printf "%d\n", s * 100 / t }'
}
tapc() {
	ip -n "$ns" -s -j link show dev "$ta" | jq ".[0].stats64.$1"
}
# shellcheck disable=SC2317 # called through t_ok
between() {
	[ "$1" -le "$2" ] && [ "$2" -le "$3" ]
}
# The value of series $1 (name{labels}) in the scrape, as an integer
# (node_exporter writes 1.34217728e+08), times $2 (default 1); empty if absent.
val() {
	awk -v s="$1" -v m="${2:-1}" 'index($0, s " ") == 1 { printf "%.0f\n", $2 * m; exit }' "$T_TMP/scrape"
}

echo 'stale' >"$tdir/umlctl.prom"
ino0=$(stat -c %i "$tdir/umlctl.prom")
cpua0=$(cpu_cs "$ka"); cpub0=$(cpu_cs "$kb")
rx0=$(tapc rx.bytes); tx0=$(tapc tx.packets)
log0=$(stat -c %s "$T_LOGDIR/$a.log")
t_ok "the cron job's command exits 0" sh -c "$job"
rx1=$(tapc rx.bytes); tx1=$(tapc tx.packets)
cpua1=$(cpu_cs "$ka"); cpub1=$(cpu_cs "$kb")
log1=$(stat -c %s "$T_LOGDIR/$a.log")
t_ok "-o: the file was replaced (a new inode)" test "$(stat -c %i "$tdir/umlctl.prom")" != "$ino0"
t_eq "-o: mode 0644, root's" "644 0" "$(stat -c '%a %u' "$tdir/umlctl.prom")"
t_eq "-o: no temporary file left" "umlctl.prom" "$(ls -A "$tdir")"
t_ok "promtool check metrics accepts the file" sh -c "promtool check metrics <'$tdir/umlctl.prom'"
t_ok "fetch $url" sh -c "curl -sf '$url' >'$T_TMP/scrape'"
t_eq "node_exporter read the file without error" 0 "$(val node_textfile_scrape_error)"
t_eq "umlctl_info{version}" 1 "$(val "umlctl_info{version=\"$(cat "$T_ROOT/VERSION")\"}")"
for g in "$a" "$b"; do
	t_eq "$g: umlctl_guest_up 1" 1 "$(val "umlctl_guest_up{guest=\"$g\"}")"
	t_eq "$g: state running" 1 "$(val "umlctl_guest_state{guest=\"$g\",state=\"running\"}")"
	t_eq "$g: state graceful 0" 0 "$(val "umlctl_guest_state{guest=\"$g\",state=\"graceful\"}")"
	t_eq "$g: not hung" 0 "$(val "umlctl_guest_hung{guest=\"$g\"}")"
	k=$(t_kernel_pid "$g")
	st=$(($(date +%s) - $(ps -o etimes= -p "$k" | tr -d ' ')))
	v=$(val "umlctl_guest_start_time_seconds{guest=\"$g\"}")
	t_ok "$g: start time ($v) is the kernel's ($st)" between $((st - 2)) "$v" $((st + 2))
	t_eq "$g: processes: the kernel's process group" \
		"$(ps -e -o pgid= | awk -v k="$k" '$1 == k' | wc -l)" \
		"$(val "umlctl_guest_processes{guest=\"$g\"}")"
	ud=$(stat -c %d "/run/uml/$g/u")
	mf=$(for f in /proc/"$k"/fd/*; do stat -L -c '%d %s' "$f"; done 2>/dev/null |
		awk -v d="$ud" '$1 == d && $2 > m { m = $2 } END { print m }')
	t_eq "$g: memory file bytes: the kernel's open file on u/" "$mf" \
		"$(val "umlctl_guest_memory_file_bytes{guest=\"$g\"}")"
	v=$(val "umlctl_guest_memory_file_allocated_bytes{guest=\"$g\"}")
	t_ok "$g: memory file allocated bytes ($v) are some of it" between 1 "$v" "$mf"
	t_ok "$g: pss bytes present and positive" test "$(val "umlctl_guest_memory_pss_bytes{guest=\"$g\"}")" -gt 0
done
t_eq "a: memory bytes: MEMORY" 134217728 "$(val "umlctl_guest_memory_bytes{guest=\"$a\"}")"
t_eq "b: memory bytes: MEMORY=96M" 100663296 "$(val "umlctl_guest_memory_bytes{guest=\"$b\"}")"
v=$(val "umlctl_guest_cpu_seconds_total{guest=\"$a\"}" 100)
t_ok "a: CPU seconds ($v cs) between /proc's before ($cpua0) and after ($cpua1)" \
	between $((cpua0 - 1)) "$v" $((cpua1 + 1))
v=$(val "umlctl_guest_cpu_seconds_total{guest=\"$b\"}" 100)
t_ok "b: CPU seconds ($v cs) between /proc's before ($cpub0) and after ($cpub1)" \
	between $((cpub0 - 1)) "$v" $((cpub1 + 1))
v=$(val "umlctl_guest_nic_receive_bytes_total{guest=\"$a\",tap=\"$ta\"}")
t_ok "a: NIC receive bytes ($v) are the tap's ($rx0..$rx1)" between "$rx0" "$v" "$rx1"
t_ok "a: the tap has counted traffic" test "$rx0" -gt 0
v=$(val "umlctl_guest_nic_transmit_packets_total{guest=\"$a\",tap=\"$ta\"}")
t_ok "a: NIC transmit packets ($v) are the tap's ($tx0..$tx1)" between "$tx0" "$v" "$tx1"
t_ok "a: NIC receive packets and transmit bytes present" test -n \
	"$(val "umlctl_guest_nic_receive_packets_total{guest=\"$a\",tap=\"$ta\"}")$(val "umlctl_guest_nic_transmit_bytes_total{guest=\"$a\",tap=\"$ta\"}")"
v=$(val "umlctl_guest_console_log_bytes{guest=\"$a\"}")
t_ok "a: console log bytes ($v) are the file's ($log0..$log1)" between "$log0" "$v" "$log1"
t_eq "b: no NIC series" "" "$(grep "guest=\"$b\",tap=" "$T_TMP/scrape")"
t_eq "c: stopped: up 0" 0 "$(val "umlctl_guest_up{guest=\"$c\"}")"
t_eq "c: state forced" 1 "$(val "umlctl_guest_state{guest=\"$c\",state=\"forced\"}")"
t_eq "c: no CPU series" "" "$(val "umlctl_guest_cpu_seconds_total{guest=\"$c\"}")"
t_eq "d: never started: state none" 1 "$(val "umlctl_guest_state{guest=\"$d\",state=\"none\"}")"
t_eq "d: up 0" 0 "$(val "umlctl_guest_up{guest=\"$d\"}")"

# On standard output, and promtool's lint on it.
t_exit 0 "metrics to standard output" t_umlctl metrics
t_has "the same series" "umlctl_guest_up{guest=\"$a\"} 1" "$t_out"
t_ok "promtool check metrics accepts it" sh -c "'$UMLCTL' -c '$T_CONF' metrics | promtool check metrics"
# A directory that is not there: an error, nothing made.
t_exit 111 "-o into a missing directory: exit 111" t_umlctl metrics -o "$T_TMP/nodir/x.prom"
t_ok "nothing made" test ! -e "$T_TMP/nodir"
t_exit 100 "metrics with an argument: usage" t_umlctl metrics x
t_eq "its usage" "usage: umlctl metrics [-o FILE]" "$t_out"

# Stops by outcome since boot: counted by the supervisors in /run/uml.
stops() {
	printf '%s\n' "$t_out" | awk -v s="umlctl_guest_stops_total{guest=\"$1\",outcome=\"$2\"}" \
		'$1 == s { print $2 }'
}
t_exit 0 "metrics, for the stops" t_umlctl metrics
t_eq "c: 2 forced stops" 2 "$(stops "$c" forced)"
t_eq "c: no graceful stop" 0 "$(stops "$c" graceful)"
t_eq "a: no stop yet" 0 "$(stops "$a" graceful)"
t_eq "d: never started: no crash" 0 "$(stops "$d" crashed)"
t_eq "each guest has a series for each ending outcome" 20 \
	"$(printf '%s\n' "$t_out" | grep -c '^umlctl_guest_stops_total{')"
t_exit 0 "a: stop" t_umlctl stop "$a"
t_exit 0 "b: stop" t_umlctl stop "$b"
t_exit 0 "metrics after the stops" t_umlctl metrics
t_eq "a: 1 graceful stop" 1 "$(stops "$a" graceful)"
t_eq "b: 1 graceful stop" 1 "$(stops "$b" graceful)"
t_eq "a: no forced stop" 0 "$(stops "$a" forced)"
t_eq "c: still 2 forced stops" 2 "$(stops "$c" forced)"
t_no_leftovers "$a" "$ta"
t_rootns_same
t_done
