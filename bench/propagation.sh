#!/usr/bin/env bash
# Propagation benchmark: two packaged replicas on one database (both on core 0), the measuring client on
# core 1. Replica A takes each change (an API write, a SQL write, a cache clear, a SQL write while the
# LISTEN connections are being killed); the client polls replica B until it serves the change and
# prints p50 and max from the commit (for API calls, from sending the call) to B serving it.
# Usage: bench/propagation.sh [changes per kind]
set -euo pipefail
cd "$(dirname "$0")/.."

CHANGES=${1:-50}
PORT=${BENCH_PORT:-8090}
PORT_B=$((PORT + 1))
DB=rollgate_bench
source bench/lib.sh
fresh_database

start_server replica-a.log
PID_A=$SERVER_PID
PORT=$PORT_B start_server replica-b.log
PID_B=$SERVER_PID
trap 'kill $PID_A $PID_B 2>/dev/null; wait 2>/dev/null' EXIT

PG_JAR=$(ls target/quarkus-app/lib/main/org.postgresql.postgresql-*.jar | head -n 1)
echo "Propagation, $CHANGES changes per kind: bench/propagation.sh $CHANGES (JVM options of both: $JAVA_OPTS_SAID; event loops of both: $EVENT_LOOPS_SAID)"
taskset -c "$CLIENT_CPU" java -cp "$PG_JAR" bench/Propagation.java "http://127.0.0.1:$PORT" \
    "http://127.0.0.1:$PORT_B" "jdbc:postgresql://127.0.0.1:5432/$DB" "$TOKEN" "$CHANGES" | tee "$OUT/propagation.txt"
