#!/usr/bin/env bash
# Event ingestion benchmark: batches of 100 events over HTTP for a sustained period, then a count check
# that every acknowledged event is stored; then the time from an error-rate breach to the automatic
# rollback. Service pinned to core 0 with the Deployment's event loops, wrk to core 1, loopback only.
# Usage: bench/ingest.sh [seconds] [connections]; BENCH_WARMUP (10) seconds of ingestion come first, unmeasured;
# BENCH_NATIVE=<executable> measures a native build (bench/lib.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_MEASURED=${1:-60}
CONNECTIONS=${2:-16}
WARMUP=${BENCH_WARMUP:-10}
PORT=${BENCH_PORT:-8090}
DB=rollgate_bench_ingest
PSQL=(psql -h 127.0.0.1 -U postgres -v ON_ERROR_STOP=1 -qAt)
API="http://127.0.0.1:$PORT"

source bench/lib.sh

# The ceiling of this machine at this moment: the minimal Quarkus endpoint's request rate (40 s under load first,
# as long as a replica's own warm-up and more, so its JIT has settled; 10 s measured, 64 connections), so the
# ingestion figures below can be read as a ratio to it.
start_ceiling
taskset -c 1 wrk -t1 -c64 -d40s -s bench/widget-config.lua "http://127.0.0.1:$CEILING_PORT" >/dev/null
ceiling=$(taskset -c 1 wrk -t1 -c64 -d10s -s bench/widget-config.lua "http://127.0.0.1:$CEILING_PORT" \
    | grep '^RESULT' | sed -E 's/.* rps=([0-9]+).*/\1/')
stop_ceiling
echo "ceiling: $ceiling req/s (JVM options of both: $JAVA_OPTS_SAID; event loops of both: $EVENT_LOOPS_SAID)"

fresh_database
start_server ingest-server.log
echo "Rollgate: $SERVER_SAID; ready $(awk -v ms="$READY_MS" 'BEGIN {printf "%.2f", ms / 1000}') s after start, RSS at idle $IDLE_RSS_MIB MiB"

# what the events take on disk: every day of raw events, the batch ids and the counters, indexes and TOAST included
# (the write-ahead log and its archive are the operator's to size apart)
event_bytes() {
    "${PSQL[@]}" -d "$DB" -c "SELECT coalesce(sum(pg_total_relation_size(name::regclass)), 0)
        + pg_total_relation_size('rollout_event_batches') + pg_total_relation_size('rollout_event_counts')
        FROM rollgate_event_partitions()"
}
bytes_before=$(event_bytes)

RUN=$(date +%s)
# the JIT compiles the ingestion path first: a sustained rate is measured on a warm replica, as for the widget
echo "Warming up: ${WARMUP}s of the same ingestion (stored and checked below, not measured)"
BENCH_RUN=$RUN-warm BENCH_TOKEN=$TOKEN-ingest taskset -c 1 wrk -t1 -c"$CONNECTIONS" -d"${WARMUP}s" \
    -s bench/ingest.lua "$API" > "$OUT/ingest-warm-up.txt"
echo "Ingesting batches of 100 events for ${SECONDS_MEASURED}s over $CONNECTIONS connections"
BENCH_RUN=$RUN BENCH_TOKEN=$TOKEN-ingest taskset -c 1 wrk -t1 -c"$CONNECTIONS" -d"${SECONDS_MEASURED}s" \
    -s bench/ingest.lua "$API" | tee "$OUT/ingest.txt" | grep '^RESULT'
acked=$(cat "$OUT/ingest-warm-up.txt" "$OUT/ingest.txt" | grep '^RESULT' \
    | sed -E 's/.*acked_batches=([0-9]+).*/\1/' | awk '{ n += $1 } END { print n }')
# batches in flight when wrk stopped are still being stored: read the counts once they stop moving
previous=-1
while true; do
    now=$("${PSQL[@]}" -d "$DB" -c "SELECT count(*) FROM rollout_event_batches")
    [ "$now" = "$previous" ] && break
    previous=$now
    sleep 1
done
stored=$("${PSQL[@]}" -d "$DB" -c "SELECT count(*) FROM rollout_events WHERE batch_id LIKE 'b-$RUN-%'")
batches=$("${PSQL[@]}" -d "$DB" -c "SELECT count(*) FROM rollout_event_batches WHERE batch_id LIKE 'b-$RUN-%'")
counted=$("${PSQL[@]}" -d "$DB" -c "SELECT coalesce(sum(count), 0) FROM rollout_event_counts")
echo "acknowledged events: $((acked * 100)); stored raw events: $stored in $batches batches; counted: $counted"
if [ "$stored" -lt $((acked * 100)) ] || [ "$stored" -ne $((batches * 100)) ] || [ "$counted" -ne "$stored" ]; then
    echo "LOSS: acknowledged events are missing or counters disagree" >&2
    exit 1
fi
echo "zero loss: every acknowledged event is stored and counted"
bytes_after=$(event_bytes)
awk -v b="$bytes_before" -v a="$bytes_after" -v n="$stored" 'BEGIN {
    printf "database growth: %.1f MiB for %d events = %.1f MiB per million events (raw days, batch ids, counters, with indexes)\n",
        (a - b) / 1048576, n, (a - b) / 1048576 / (n / 1000000) }'
echo "RSS after ingesting: $(rss_mib "$SERVER_PID") MiB"
curl -fs "http://127.0.0.1:$((PORT + 1000))/q/metrics" | awk '
    /^rollgate_event_write_batches_count/ { n = $2 } /^rollgate_event_write_batches_sum/ { s = $2 }
    /^rollgate_event_write_batches_max/ { m = $2 }
    END { if (n > 0) printf "transactions: %d for %d batches (%.1f batches per commit on average, at most %d)\n", n, s, s / n, m }'
line=$(grep '^RESULT' "$OUT/ingest.txt")
awk -v c="$ceiling" -v line="$line" 'BEGIN {
    split(line, f, " "); for (i in f) { split(f[i], kv, "="); v[kv[1]] = kv[2] }
    printf "RATIO ingestion: %.0f batches/s of 100 events = %.2f of the ceiling'"'"'s %d req/s (%.0f events/s, batch p99 %s ms)\n",
        v["events_per_s"] / 100, v["events_per_s"] / 100 / c, c, v["events_per_s"], v["p99_ms"]
}'



echo "Time from breach to automatic rollback (check interval 10s, 2 consecutive breaches)"
FEATURE=sessionPersistence.phase2.retryLogic
auth=(-H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json")
curl -fs "${auth[@]}" -X POST "$API/api/admin/rollouts" \
    -d "{\"featureName\":\"$FEATURE\",\"reason\":\"bench\",\"rollbackThreshold\":{\"errorRate\":0.05,\"minSamples\":100,\"consecutiveBreaches\":2}}" >/dev/null
curl -fs "${auth[@]}" -X POST "$API/api/admin/rollouts/$FEATURE/start" -d '{"reason":"bench"}' >/dev/null
for _ in 1 2 3; do
    curl -fs "${auth[@]}" -X POST "$API/api/admin/rollouts/$FEATURE/advance" -d '{"force":true,"reason":"bench"}' >/dev/null
done
events=$(python3 -c "import json; print(json.dumps({'batchId': 'breach-$RUN', 'events': [{'featureName': '$FEATURE', 'customerId': 'c-%d' % i, 'event': 'error' if i % 5 == 0 else 'success'} for i in range(200)]}))")
start=$(date +%s.%N)
curl -fs -H "Authorization: Bearer $TOKEN-ingest" -H "Content-Type: application/json" -X POST \
    "$API/api/rollout-events" -d "$events" >/dev/null
while true; do
    status=$(curl -fs "${auth[@]}" "$API/api/admin/rollouts/$FEATURE" | python3 -c "import json,sys; print(json.load(sys.stdin)['status'])")
    [ "$status" = rolled_back ] && break
    sleep 0.1
    if awk "BEGIN {exit !($(date +%s.%N) - $start > 60)}"; then echo "no rollback within 60s" >&2; exit 1; fi
done
end=$(date +%s.%N)
awk "BEGIN {printf \"rolled back %.1f s after the breach (20%% errors over 200 samples)\n\", $end - $start}"
