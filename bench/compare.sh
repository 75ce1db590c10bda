#!/usr/bin/env bash
# Whether a change made the widget config cheaper: this checkout's packaged service and the one built from
# <revision> (in a worktree under bench/results), both pinned to core 0 on the database bench/run.sh seeded
# (run that first, with the same BENCH_CUSTOMERS), each put under load for 30 s, then measured in turns (wrk on
# core 1) so that a busy moment of the machine falls on both. Prints req/s and CPU per request of every run and
# the medians of each. Two services side by side see the same machine; a ratio to the ceiling from two runs of
# bench/run.sh at different moments does not.
# Usage: bench/compare.sh <revision> [rounds] [seconds]; BENCH_CUSTOMERS and BENCH_JAVA_OPTS as for run.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

REVISION=${1:?usage: bench/compare.sh <revision> [rounds] [seconds]}
ROUNDS=${2:-5}
SECONDS_MEASURED=${3:-15}
export BENCH_CUSTOMERS=${BENCH_CUSTOMERS:-10000}
CONNECTIONS=64
DB=rollgate_bench
source bench/lib.sh

mkdir -p "$OUT"
[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -B -q package -DskipTests
BASE=$OUT/compare-$(git rev-parse --short "$REVISION")
if [ ! -f "$BASE/target/quarkus-app/quarkus-run.jar" ]; then
    git worktree add -f --detach "$BASE" "$REVISION" >/dev/null
    (cd "$BASE" && ./mvnw -B -q package -DskipTests)
fi

PORT=8090 SERVER_JAR=$BASE/target/quarkus-app/quarkus-run.jar
start_server compare-base.log
BASE_PID=$SERVER_PID
PORT=8092 SERVER_JAR=
start_server compare-this.log
THIS_PID=$SERVER_PID
trap 'kill $BASE_PID $THIS_PID 2>/dev/null || true' EXIT

for port in 8090 8092; do
    taskset -c "$CLIENT_CPU" wrk -t1 -c"$CONNECTIONS" -d30s -s bench/widget-config.lua "http://127.0.0.1:$port" >/dev/null
done
base_lines=() this_lines=()
for round in $(seq 1 "$ROUNDS"); do
    line=$(run_wrk "base-$round" "$SECONDS_MEASURED" 8090 "$BASE_PID"); echo "$line"; base_lines+=("$line")
    line=$(run_wrk "this-$round" "$SECONDS_MEASURED" 8092 "$THIS_PID"); echo "$line"; this_lines+=("$line")
done
echo
echo "Command: bench/compare.sh $REVISION $ROUNDS $SECONDS_MEASURED ($BENCH_CUSTOMERS customers); JVM options of both: $JAVA_OPTS_SAID; event loops of both: $EVENT_LOOPS_SAID"
echo "$REVISION: $(of rps "${base_lines[@]}") req/s, $(of cpu_us "${base_lines[@]}") us CPU per request (medians)"
echo "this checkout: $(of rps "${this_lines[@]}") req/s, $(of cpu_us "${this_lines[@]}") us CPU per request (medians)"
echo "RATIO CPU per request = $(awk -v a="$(of cpu_us "${this_lines[@]}")" -v b="$(of cpu_us "${base_lines[@]}")" \
    'BEGIN {printf "%.2f", a / b}') of $REVISION's"
