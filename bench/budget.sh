#!/usr/bin/env bash
# What a share of the bare route's throughput leaves a route to spend. The ceiling's bare Vert.x route (bench/ceiling)
# is measured beside the same route made to work 1 to 6 us of the CPU before it writes its bytes, started as
# bench/run.sh starts it (one core, the pod's JVM options and event loops: bench/lib.sh), wrk on the other core.
# Prints each route's throughput as a share of the bare route's and its CPU per request, then how much work a route
# may add to writing its bytes and still serve the share bench/run.sh asks of the widget config (0.7). On loopback
# a microsecond of work costs the server more than a microsecond: the slower it answers, the more often the load
# generator has gone to sleep and the answer's write must wake it.
# Usage: bench/budget.sh [connections] [seconds]; BENCH_ROUNDS (2) interleaved rounds, BENCH_SHARE (0.7).
set -euo pipefail
cd "$(dirname "$0")/.."

CONNECTIONS=${1:-64}
SECONDS_MEASURED=${2:-10}
ROUNDS=${BENCH_ROUNDS:-2}
SHARE=${BENCH_SHARE:-0.7}
WARMUP=10
source bench/lib.sh

# the microseconds of work of the ceiling's busy routes (bench/ceiling BareRoute)
WORK_MICROS=(1 2 3 4 5 6)
start_ceiling
routes=(/bare/widget/config)
for micros in "${WORK_MICROS[@]}"; do routes+=("/bare/widget/config/plus-${micros}us"); done
for route in "${routes[@]}"; do warm_up "$CEILING_PORT" "$route"; done

declare -A lines
for round in $(seq 1 "$ROUNDS"); do
    for route in "${routes[@]}"; do
        name=${route#/bare/widget/config}
        name=${name#/}
        name=${name:-bare}
        line=$(run_wrk "$name-$round" "$SECONDS_MEASURED" "$CEILING_PORT" "$CEILING_PID" "$route")
        echo "$line"
        lines[$name]+="$line"$'\n'
    done
done

of_route() { local name=$1 field=$2; mapfile -t route_lines < <(printf '%s' "${lines[$name]}"); of "$field" "${route_lines[@]}"; }
bare_rps=$(of_route bare rps)
bare_cpu=$(of_route bare cpu_us)
echo
echo "Command: bench/budget.sh $CONNECTIONS $SECONDS_MEASURED (rounds $ROUNDS); machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); JVM options: $JAVA_OPTS_SAID; event loops: $EVENT_LOOPS_SAID"
echo "bare route (medians of rounds): $bare_rps req/s, $bare_cpu us CPU per request"
points=()
for micros in "${WORK_MICROS[@]}"; do
    rps=$(of_route "plus-${micros}us" rps)
    cpu=$(of_route "plus-${micros}us" cpu_us)
    share=$(awk -v r="$rps" -v b="$bare_rps" 'BEGIN {printf "%.2f", r / b}')
    echo "BUDGET plus $micros us of work: $share of the bare route's throughput, $cpu us CPU per request" \
        "($(awk -v c="$cpu" -v b="$bare_cpu" -v m="$micros" 'BEGIN {printf "%.1f", c - b}') us more than the bare route's)"
    points+=("$micros $share")
done
# the work at which the share crosses SHARE, between the two measured points around it
printf '%s\n' "${points[@]}" | awk -v want="$SHARE" -v bare="$bare_cpu" '
    {m[NR] = $1; s[NR] = $2}
    END {
        previous_m = 0; previous_s = 1
        for (i = 1; i <= NR; i++) {
            if (s[i] <= want) {
                at = previous_m + (previous_s - want) / (previous_s - s[i]) * (m[i] - previous_m)
                printf "BUDGET a route serving %.2f of the bare route may add about %.1f us of work to writing its bytes (the bare route: %s us a request)\n", want, at, bare
                exit
            }
            previous_m = m[i]; previous_s = s[i]
        }
        printf "BUDGET every measured route served more than %.2f of the bare route\n", want
    }'
