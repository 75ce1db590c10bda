#!/usr/bin/env bash
# Widget-config benchmark: packaged service pinned to core 0, wrk pinned to core 1, loopback only.
# Seeds 10,000 customers (a tenth with overrides) over 100 organizations (all with overrides), then
# measures a cold start and a warm cache. Usage: bench/run.sh [connections] [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."

CONNECTIONS=${1:-64}
SECONDS_MEASURED=${2:-30}
PORT=${BENCH_PORT:-8090}
DB=rollgate_bench
PSQL=(psql -h 127.0.0.1 -U postgres -v ON_ERROR_STOP=1 -qAt)
CLIENT_CPU=${BENCH_CLIENT_CPU:-1}
OUT=bench/results

TOKEN=bench-admin-token-0123456789abcdef
source bench/lib.sh
fresh_database

run_wrk() {
    local label=$1 seconds=$2
    local line
    line=$(taskset -c "$CLIENT_CPU" wrk -t1 -c"$CONNECTIONS" -d"${seconds}s" --latency \
        -s bench/widget-config.lua "http://127.0.0.1:$PORT" | tee "$OUT/$label.txt" | grep '^RESULT')
    echo "$label ${line#RESULT }"
}

start_server 256m server.log
echo "Seeding 1,000 customer and 100 organization override documents"
"${PSQL[@]}" -d "$DB" <<'SQL'
INSERT INTO organization_feature_flags (organization_id, flags, updated_by)
SELECT 'org-' || o, jsonb_build_object('sessionPersistence', jsonb_build_object('phase2',
       jsonb_build_object('retryLogic', o % 2 = 0))), 'bench'
FROM generate_series(0, 99) AS o;
INSERT INTO customer_feature_flags (customer_id, flags, updated_by)
SELECT 'customer-' || c, jsonb_build_object('sessionPersistence', jsonb_build_object('phase2',
       jsonb_build_object('enhancedStorage', true))), 'bench'
FROM generate_series(0, 9999, 10) AS c;
SQL

# Cold: a fresh JVM with empty caches, measured from its first request.
stop_server
start_server 256m server.log
run_wrk cold 10
# Warm: every key cached; warm up first, then measure.
taskset -c "$CLIENT_CPU" wrk -t1 -c"$CONNECTIONS" -d15s -s bench/widget-config.lua \
    "http://127.0.0.1:$PORT" >/dev/null
run_wrk warm "$SECONDS_MEASURED"
echo "RSS of the service after the run: $(ps -o rss= -p "$SERVER_PID" | awk '{printf "%.0f MiB", $1/1024}')"
curl -fs -H "Authorization: Bearer $TOKEN" \
    "http://127.0.0.1:$PORT/api/admin/cache?maxKeys=0" && echo
