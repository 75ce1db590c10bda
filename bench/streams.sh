#!/usr/bin/env bash
# Open streams: STREAMS widget config streams (distinct customers) on one packaged replica pinned to core 0, held
# by a Node client pinned to core 1; three global kill switch changes through the API (off, on, off) and a runbook's
# INSERT of a document for every stream's customer in one statement, each timed
# until every stream has the event (p50, p99, max): the first after start, when the fan-out is not yet compiled,
# two later ones and the runbook between them; and the replica's RSS before and after opening them (KiB per stream).
# Usage: bench/streams.sh [streams]
set -euo pipefail
cd "$(dirname "$0")/.."

STREAMS=${1:-10000}
PORT=${BENCH_PORT:-8090}
DB=rollgate_bench_streams
source bench/lib.sh
command -v node >/dev/null || { echo "node is missing" >&2; exit 1; }
ulimit -n "$(ulimit -Hn)" # each side holds one descriptor per stream

fresh_database
echo "Streams: bench/streams.sh $STREAMS (JVM options: $JAVA_OPTS_SAID; event loops: $EVENT_LOOPS_SAID)"
start_server streams-server.log
rss() { ps -o rss= -p "$SERVER_PID" | awk '{print $1}'; }
before=$(rss)
coproc CLIENT { taskset -c "$CLIENT_CPU" node bench/streams.mjs "http://127.0.0.1:$PORT" "$STREAMS" "$TOKEN" "$DB"; }
while read -r line <&"${CLIENT[0]}"; do
    echo "$line"
    [ "$line" = "READY" ] && break
done
after=$(rss)
echo go >&"${CLIENT[1]}"
while read -r line <&"${CLIENT[0]}"; do echo "$line"; done
awk -v b="$before" -v a="$after" -v n="$STREAMS" 'BEGIN {
    printf "RSS: %.0f MiB before, %.0f MiB with %d streams open = %.1f KiB per stream\n", b / 1024, a / 1024, n, (a - b) / n
}'
