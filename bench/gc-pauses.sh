#!/usr/bin/env bash
# The young collections' pauses under the widget's warm load: the packaged service pinned to core 0 and started as
# a pod is (bench/lib.sh) with -Xlog:gc added, 15 s of warm load from wrk on core 1, then 20 s more whose pauses
# are counted (number, median, p90, max, total). A page load waits for a pause: its length is in the p99.
# Usage: bench/gc-pauses.sh; run bench/run.sh first (it makes and seeds the database); SERVER_JAR for another build.
set -euo pipefail
cd "$(dirname "$0")/.."

CONNECTIONS=64
PORT=${BENCH_PORT:-8090}
DB=rollgate_bench
source bench/lib.sh
seeded_database

log=$OUT/gc-pauses.log
rm -f "$log"
JAVA_OPTS_BENCH="$JAVA_OPTS_BENCH -Xlog:gc:file=$(pwd)/$log:uptime"
start_server gc-pauses-server.log
run_wrk warm 15 "$PORT" "$SERVER_PID"
counted_from=$(awk -F'[][s]' 'END {print $2}' "$log")
run_wrk measured 20 "$PORT" "$SERVER_PID"
echo "Command: bench/gc-pauses.sh; JVM options: $JAVA_OPTS_BENCH"
awk -v from="$counted_from" -F'[][s]' '$2 + 0 > from + 0' "$log" | grep -E 'Pause Young .*ms$' \
    | sed -E 's/.* ([0-9.]+)ms$/\1/' | sort -g \
    | awk '{v[NR] = $1; total += $1} END {printf "young pauses in the measured 20 s: n=%d median=%.2f p90=%.2f max=%.2f total=%.0f ms\n", NR, v[int(NR / 2)], v[int(NR * 0.9)], v[NR], total}'
