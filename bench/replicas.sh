#!/usr/bin/env bash
# Replica budget: several packaged replicas (4) on one PostgreSQL, all pinned to core 0, under widget load from wrk
# on core 1 spread over all of them. Prints the connections the replicas hold to PostgreSQL (at idle and under
# load), the database's CPU time per 1,000 requests served, and, while the load runs, how long changes made through
# the first replica take to be served by the last (bench/Propagation.java: an API write, a SQL write, a cache
# clear, a SQL write with LISTEN cut).
# Usage: bench/replicas.sh [replicas] [seconds] [changes per kind]
set -euo pipefail
cd "$(dirname "$0")/.."

REPLICAS=${1:-4}
SECONDS_MEASURED=${2:-20}
CHANGES=${3:-20}
BASE_PORT=${BENCH_PORT:-8090}
DB=rollgate_bench_replicas
PSQL=(psql -h 127.0.0.1 -U postgres -v ON_ERROR_STOP=1 -qAt)
source bench/lib.sh
fresh_database

PIDS=()
trap 'kill "${PIDS[@]}" 2>/dev/null; wait 2>/dev/null' EXIT
for i in $(seq 0 $((REPLICAS - 1))); do
    PORT=$((BASE_PORT + i)) start_server "replica-$i.log"
    PIDS+=("$SERVER_PID")
done
echo "Command: bench/replicas.sh $REPLICAS $SECONDS_MEASURED $CHANGES; $REPLICAS replicas on core 0, wrk on core $CLIENT_CPU; JVM options of each: $JAVA_OPTS_SAID; event loops of each: $EVENT_LOOPS_SAID"

connections() {
    "${PSQL[@]}" -d postgres -c "SELECT count(*) || ' (' || count(*) FILTER (WHERE query LIKE 'LISTEN %') || ' listening, '
        || count(*) FILTER (WHERE state = 'idle') || ' idle)' FROM pg_stat_activity
        WHERE datname = '$DB' AND backend_type = 'client backend' AND pid <> pg_backend_pid()"
}
# CPU time of every PostgreSQL process, in clock ticks (the postmaster's children: backends, WAL writer, checkpointer)
postgres_ticks() {
    local total=0 pid
    for pid in $(pgrep -u postgres postgres); do
        total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0)))
    done
    echo "$total"
}
echo "connections at idle: $(connections)"

# the same load on every replica at once, one wrk per replica, all on the client core
before=$(postgres_ticks)
for i in $(seq 0 $((REPLICAS - 1))); do
    taskset -c "$CLIENT_CPU" wrk -t1 -c16 -d"${SECONDS_MEASURED}s" --latency -s bench/widget-config.lua \
        "http://127.0.0.1:$((BASE_PORT + i))" >"$OUT/replica-load-$i.txt" &
done
sleep $((SECONDS_MEASURED / 2))
echo "connections under load: $(connections)"
wait $(jobs -p | tail -n "$REPLICAS") 2>/dev/null || true
after=$(postgres_ticks)
requests=$(cat "$OUT"/replica-load-*.txt | grep '^RESULT' | sed -E 's/.*requests=([0-9]+).*/\1/' | awk '{n += $1} END {print n}')
errors=$(cat "$OUT"/replica-load-*.txt | grep '^RESULT' | sed -E 's/.*non2xx=([0-9]+) socket_errors=([0-9]+).*/\1 \2/' \
    | awk '{n += $1 + $2} END {print n}')
awk -v r="$requests" -v s="$SECONDS_MEASURED" -v t=$((after - before)) -v hz="$(getconf CLK_TCK)" -v e="$errors" \
    -v n="$REPLICAS" 'BEGIN {
    printf "widget load: %d requests over %d replicas in %d s (%.0f req/s), errors %d\n", r, n, s, r / s, e
    printf "database CPU: %.2f s in all over %d s = %.3f ms per 1,000 requests served\n", t / hz, s,
        t / hz * 1000 / (r / 1000) }'

# propagation from the first replica to the last, while the others are loaded again
for i in $(seq 0 $((REPLICAS - 1))); do
    taskset -c "$CLIENT_CPU" wrk -t1 -c4 -d600s -s bench/widget-config.lua "http://127.0.0.1:$((BASE_PORT + i))" \
        >/dev/null &
done
LOADERS=$(jobs -p | tail -n "$REPLICAS")
PG_JAR=$(ls target/quarkus-app/lib/main/org.postgresql.postgresql-*.jar | head -n 1)
echo "propagation from replica 0 to replica $((REPLICAS - 1)), under load, $CHANGES changes per kind:"
taskset -c "$CLIENT_CPU" java -cp "$PG_JAR" bench/Propagation.java "http://127.0.0.1:$BASE_PORT" \
    "http://127.0.0.1:$((BASE_PORT + REPLICAS - 1))" "jdbc:postgresql://127.0.0.1:5432/$DB" "$TOKEN" "$CHANGES" \
    | grep '^RESULT'
kill $LOADERS 2>/dev/null || true
echo "RSS of each replica after: $(for pid in "${PIDS[@]}"; do printf '%s MiB ' "$(rss_mib "$pid")"; done)"
