#!/usr/bin/env bash
# Widget-config benchmark against a ceiling. Rollgate (packaged) and a minimal Quarkus application answering
# a JSON object of the same size (bench/ceiling; beside it a bare Vert.x route writing bytes serialized once) both
# run pinned to core 0, started the same way (java -jar,
# with the JVM options and event loops of a pod of the Deployment: bench/lib.sh; BENCH_NATIVE=<executable> measures
# a native build of Rollgate against the same JVM ceiling); wrk runs pinned to core 1 on loopback. Seeds 10,000 customers (1,000 with overrides)
# over 100 organizations (all with overrides), measures a cold start, puts the ceiling under load as long as
# Rollgate has been (so neither JIT is still compiling when measured), then ROUNDS interleaved rounds of
# WARMUP s warm-up and SECONDS s measured for each, and prints Rollgate's medians as ratios to the ceiling's and
# each target of the performance work as met or not (TARGET lines; the memory one at a million customers).
# Usage: bench/run.sh [connections] [seconds]; BENCH_ROUNDS (3) and BENCH_WARMUP (10) change the rounds,
# BENCH_CUSTOMERS (10000) the customers asked for, BENCH_JAVA_OPTS the JVM options of both and BENCH_EVENT_LOOPS
# their event loops (bench/lib.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

CONNECTIONS=${1:-64}
SECONDS_MEASURED=${2:-10}
# distinct customers asked for (one in ten with an override document); bench/widget-config.lua reads it too
export BENCH_CUSTOMERS=${BENCH_CUSTOMERS:-10000}
CUSTOMERS=$BENCH_CUSTOMERS
ROUNDS=${BENCH_ROUNDS:-3}
WARMUP=${BENCH_WARMUP:-10}
PORT=${BENCH_PORT:-8090}
DB=rollgate_bench
PSQL=(psql -h 127.0.0.1 -U postgres -v ON_ERROR_STOP=1 -qAt)

source bench/lib.sh

fresh_database
start_server server.log
echo "Seeding $((CUSTOMERS / 10)) customer and 100 organization override documents ($CUSTOMERS customers asked for)"
"${PSQL[@]}" -d "$DB" -v customers="$CUSTOMERS" <<'SQL'
INSERT INTO organization_feature_flags (organization_id, flags, updated_by)
SELECT 'org-' || o, jsonb_build_object('sessionPersistence', jsonb_build_object('phase2',
       jsonb_build_object('retryLogic', o % 2 = 0))), 'bench'
FROM generate_series(0, 99) AS o;
INSERT INTO customer_feature_flags (customer_id, flags, updated_by)
SELECT 'customer-' || c, jsonb_build_object('sessionPersistence', jsonb_build_object('phase2',
       jsonb_build_object('enhancedStorage', true))), 'bench'
FROM generate_series(0, :customers - 1, 10) AS c;
SQL
sample=$(curl -fs "http://127.0.0.1:$PORT/api/widget/config?customerId=customer-10&organizationId=org-10")
stop_server

# Cold: a fresh JVM with empty caches, measured from its first request for 10 s.
start_server server.log
cold=$(run_wrk cold 10 "$PORT" "$SERVER_PID")
cold_ready=$READY_SECONDS
cold_ready_ms=$READY_MS
idle_rss=$IDLE_RSS_MIB
echo "$cold"

start_ceiling
# Rollgate has served load since it started (its own warm-up, then the cold run) and has compiled its hot path;
# the ceiling gets as long under load before its first round, so neither is measured while its JIT still works
# (a native Rollgate has no JIT: the ceiling then gets the 40 s a JVM Rollgate's warm-up and cold run take)
ceiling_load=$((cold_ready + 10))
[ -z "${BENCH_NATIVE:-}" ] || ceiling_load=40
taskset -c "$CLIENT_CPU" wrk -t1 -c"$CONNECTIONS" -d"${ceiling_load}s" -s bench/widget-config.lua \
    "http://127.0.0.1:$CEILING_PORT" >/dev/null
ceiling_sample=$(curl -fs "http://127.0.0.1:$CEILING_PORT/api/widget/config?customerId=customer-10&organizationId=org-10")

ceiling_lines=()
bare_lines=()
rollgate_lines=()
for round in $(seq 1 "$ROUNDS"); do
    warm_up "$CEILING_PORT"
    line=$(run_wrk "ceiling-$round" "$SECONDS_MEASURED" "$CEILING_PORT" "$CEILING_PID"); echo "$line"; ceiling_lines+=("$line")
    # the same process's bare Vert.x route, writing bytes serialized once: the HTTP server alone
    warm_up "$CEILING_PORT" /bare/widget/config
    line=$(run_wrk "bare-$round" "$SECONDS_MEASURED" "$CEILING_PORT" "$CEILING_PID" /bare/widget/config); echo "$line"
    bare_lines+=("$line")
    warm_up "$PORT"
    line=$(run_wrk "rollgate-$round" "$SECONDS_MEASURED" "$PORT" "$SERVER_PID"); echo "$line"; rollgate_lines+=("$line")
done
# resident memory of each after the same load: the ceiling is what the JVM and Quarkus take by themselves
rss=$(rss_mib "$SERVER_PID")
c_rss=$(rss_mib "$CEILING_PID")

c_rps=$(of rps "${ceiling_lines[@]}"); r_rps=$(of rps "${rollgate_lines[@]}")
c_p99=$(of p99_ms "${ceiling_lines[@]}"); r_p99=$(of p99_ms "${rollgate_lines[@]}")
r_p50=$(of p50_ms "${rollgate_lines[@]}")
c_cpu=$(of cpu_us "${ceiling_lines[@]}"); r_cpu=$(of cpu_us "${rollgate_lines[@]}")
b_rps=$(of rps "${bare_lines[@]}"); b_p99=$(of p99_ms "${bare_lines[@]}"); b_cpu=$(of cpu_us "${bare_lines[@]}")
# allocation per request, each in a run of its own after the rounds (JFR's allocation counters, bench/lib.sh)
r_alloc=$(allocation_run rollgate-alloc "$PORT" "$SERVER_PID")
c_alloc=$(allocation_run ceiling-alloc "$CEILING_PORT" "$CEILING_PID")
b_alloc=$(allocation_run bare-alloc "$CEILING_PORT" "$CEILING_PID" /bare/widget/config)
errors=0
for l in "${rollgate_lines[@]}" "$cold"; do errors=$((errors + $(field non2xx "$l") + $(field socket_errors "$l"))); done
cold_rps=$(field rps "$cold"); cold_p99=$(field p99_ms "$cold")

echo
echo "Command: bench/run.sh $CONNECTIONS $SECONDS_MEASURED (rounds $ROUNDS, warm-up ${WARMUP}s, $CUSTOMERS customers); machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); JVM options of both: $JAVA_OPTS_SAID; event loops of both: $EVENT_LOOPS_SAID"
echo "Rollgate: $SERVER_SAID"
echo "Answer sizes: Rollgate ${#sample} bytes, ceiling ${#ceiling_sample} bytes"
awk -v c="$c_rps" -v r="$r_rps" -v cp="$c_p99" -v rp="$r_p99" -v p50="$r_p50" -v cr="$cold_rps" -v cp99="$cold_p99" -v ready="$cold_ready_ms" -v idle="$idle_rss" \
    -v e="$errors" -v rss="$rss" -v crss="$c_rss" -v ccpu="$c_cpu" -v rcpu="$r_cpu" \
    -v b="$b_rps" -v bp="$b_p99" -v bcpu="$b_cpu" -v ra="$r_alloc" -v ca="$c_alloc" -v ba="$b_alloc" \
    -v customers="$CUSTOMERS" 'BEGIN {
    printf "warm  (median of rounds): Rollgate %.0f req/s, p50 %.2f ms, p99 %.2f ms; ceiling %.0f req/s, p99 %.2f ms; bare route %.0f req/s, p99 %.2f ms\n", r, p50, rp, c, cp, b, bp
    printf "RATIO warm throughput = %.2f of the ceiling\n", r / c
    printf "RATIO warm throughput = %.2f of the bare route (CPU per request: bare route %.1f us)\n", r / b, bcpu
    printf "RATIO warm p99 = %.2f of the ceiling p99\n", rp / cp
    printf "CPU per request (median of rounds, server process): Rollgate %.1f us, ceiling %.1f us\n", rcpu, ccpu
    printf "RATIO warm CPU per request = %.2f of the ceiling (on a core of its own that is %.2f of the throughput)\n", rcpu / ccpu, ccpu / rcpu
    printf "Allocation per request (a 10 s run each after the rounds, every thread of the process): Rollgate %s bytes, ceiling %s bytes, bare route %s bytes\n", ra, ca, ba
    printf "cold  (fresh process, first 10 s after ready, %.2f s after start): %.0f req/s, p99 %.2f ms = %.2f of its warm throughput\n", ready / 1000, cr, cp99, cr / r
    printf "RSS at idle (ready, before any load): Rollgate %d MiB\n", idle
    printf "errors (non-2xx and socket) over every Rollgate run: %d\n", e
    printf "RSS after the run: Rollgate %d MiB, ceiling %d MiB\n", rss, crss
    printf "RATIO RSS = %.2f of the ceiling RSS\n", rss / crss
    # the targets of the performance work, judged on the medians above
    target("throughput >= 0.85 of the Quarkus endpoint", r / c >= 0.85, sprintf("%.2f", r / c))
    target("throughput >= 0.70 of the bare route", r / b >= 0.70, sprintf("%.2f", r / b))
    target("p99 < 5 ms", rp < 5, sprintf("%.2f ms", rp))
    target("zero errors", e == 0, e)
    if (customers >= 1000000) target("a million customers under 256 MiB RSS after the run", rss < 256, rss " MiB")
}
function target(what, met, measured) {
    printf "TARGET %s: %s (%s)\n", what, met ? "met" : "not met", measured
}' | tee "$OUT/summary.txt"
curl -fs -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/api/admin/cache?maxKeys=0" && echo
