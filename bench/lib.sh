# Shared by the benchmark scripts: start and stop the packaged service pinned to one core.
# Expects PORT and DB to be set by the caller (and CONNECTIONS for run_wrk); health and
# metrics answer on PORT + 1000. SERVER_JAR names another build of the service to start; BENCH_NATIVE=<executable>
# starts a native build of it instead (./mvnw package -Dnative), with the options its image starts it with.

# what every script shares: where results go, the admin token the service is started with (ingestion's is
# "$TOKEN-ingest") and the core the load generator runs on (BENCH_CLIENT_CPU, 1 by default)
OUT=bench/results
TOKEN=bench-admin-token-0123456789abcdef
CLIENT_CPU=${BENCH_CLIENT_CPU:-1}
SERVER_PID=
# deployment_env <name> [default]: the value k8s/base/deployment.yaml gives the container's environment variable,
# or the default when it gives none.
deployment_env() {
    local value
    value=$(awk -v name="$1" '$0 ~ "- name: " name "$" {
        getline; if ($1 == "value:") {sub(/^ *value: */, ""); gsub(/"/, ""); print}; exit}' k8s/base/deployment.yaml)
    echo "${value:-${2:-}}"
}
# JVM options of both: the ones a pod of k8s/base/deployment.yaml runs with. The image's launcher (run-java.sh of
# docker/Dockerfile.jvm's ubi9/openjdk-17-runtime) gives the heap JAVA_MAX_MEM_RATIO per cent of the memory and adds
# its garbage collector settings: its defaults below, or the GC_* variables where the Deployment sets them.
# -XX:MaxRAM shows the JVM the memory limit as its machine's memory (taskset gives it the one CPU of its limit).
# The image's own -XX options (JAVA_OPTS_APPEND of docker/Dockerfile.jvm) and malloc arenas come last.
# BENCH_JAVA_OPTS replaces them all (" " for the JVM's own choices for this machine).
memory_limit=$(awk '/limits:/ {limits = 1} limits && /memory:/ {print $2; exit}' k8s/base/deployment.yaml)
memory_limit=${memory_limit:?no memory limit in k8s/base/deployment.yaml}
LAUNCHER_OPTS="-XX:MaxRAM=${memory_limit%i} -XX:MaxRAMPercentage=$(deployment_env JAVA_MAX_MEM_RATIO 50).0 \
$(deployment_env GC_CONTAINER_OPTIONS -XX:+UseParallelGC) \
-XX:MinHeapFreeRatio=$(deployment_env GC_MIN_HEAP_FREE_RATIO 10) \
-XX:MaxHeapFreeRatio=$(deployment_env GC_MAX_HEAP_FREE_RATIO 20) \
-XX:GCTimeRatio=$(deployment_env GC_TIME_RATIO 4) \
-XX:AdaptiveSizePolicyWeight=$(deployment_env GC_ADAPTIVE_SIZE_POLICY_WEIGHT 90) \
-XX:+ExitOnOutOfMemoryError \
$(sed -n 's/^ENV JAVA_OPTS_APPEND="\(.*\)"/\1/p' docker/Dockerfile.jvm | tr ' ' '\n' | grep -- '^-XX' | paste -sd' ')"
JAVA_OPTS_BENCH=${BENCH_JAVA_OPTS:-$LAUNCHER_OPTS}
if [ -z "${BENCH_JAVA_OPTS:-}" ]; then
    # the image's malloc arenas go with the image's options (docker/Dockerfile.jvm)
    export MALLOC_ARENA_MAX
    MALLOC_ARENA_MAX=$(sed -n 's/^ENV MALLOC_ARENA_MAX=//p' docker/Dockerfile.jvm)
    JAVA_OPTS_SAID="$JAVA_OPTS_BENCH, MALLOC_ARENA_MAX=$MALLOC_ARENA_MAX (the Deployment's and its image's, as its launcher sets them)"
elif [ -z "${BENCH_JAVA_OPTS// /}" ]; then
    JAVA_OPTS_SAID="none (BENCH_JAVA_OPTS: the JVM's own choices for this machine)"
else
    JAVA_OPTS_SAID="$JAVA_OPTS_BENCH (BENCH_JAVA_OPTS)"
fi
# Event loops of both: as many as the Deployment gives a replica for its one CPU, read from the manifest so the
# benchmark cannot drift from what runs in a pod; BENCH_EVENT_LOOPS=2 sets another count for both, and
# BENCH_EVENT_LOOPS=default sets none, so each server starts its own default (Rollgate one per CPU, the ceiling
# Quarkus's one per CPU but at least two).
EVENT_LOOPS=${BENCH_EVENT_LOOPS:-$(deployment_env QUARKUS_VERTX_EVENT_LOOPS_POOL_SIZE)}
EVENT_LOOPS=${EVENT_LOOPS:?no event loops in k8s/base/deployment.yaml}
if [ "$EVENT_LOOPS" = default ]; then
    EVENT_LOOPS_ENV=()
    EVENT_LOOPS_SAID="each server's own default (BENCH_EVENT_LOOPS=default: Rollgate one per CPU, Quarkus at least two)"
else
    EVENT_LOOPS_ENV=("QUARKUS_VERTX_EVENT_LOOPS_POOL_SIZE=$EVENT_LOOPS")
    EVENT_LOOPS_SAID="$EVENT_LOOPS ($([ -n "${BENCH_EVENT_LOOPS:-}" ] && echo BENCH_EVENT_LOOPS || echo "the Deployment's"))"
fi

# A native executable takes the heap bounds its image's ENTRYPOINT gives it (docker/Dockerfile.native): the -X
# options there, read so the benchmark cannot drift from the image. The ceiling stays the JVM's minimal endpoint.
if [ -n "${BENCH_NATIVE:-}" ]; then
    [ -x "$BENCH_NATIVE" ] || { echo "BENCH_NATIVE=$BENCH_NATIVE is not an executable" >&2; exit 1; }
    NATIVE_OPTS=$(sed -n 's/^ENTRYPOINT \[\(.*\)\]/\1/p' docker/Dockerfile.native | tr -d '",' | tr ' ' '\n' \
        | grep -- '^-X' | tr '\n' ' ')
    SERVER_SAID="native executable $BENCH_NATIVE, options ${NATIVE_OPTS:-none} (docker/Dockerfile.native)"
else
    SERVER_SAID="the jar, JVM options as the ceiling's"
fi

rss_mib() { ps -o rss= -p "$1" | awk '{printf "%.0f", $1/1024}'; }

# start_server <log name>: the packaged service pinned to one core, started as the Deployment starts it
# (java -jar with the launcher's options, the Deployment's event loops; or the native executable); waits until
# ready and leaves the time that took (the warm-up included) in READY_MS and READY_SECONDS, and the resident memory
# of the process once ready, before any load, in IDLE_RSS_MIB.
READY_SECONDS=
READY_MS=
IDLE_RSS_MIB=
start_server() {
    local log=$1
    local started
    started=$(date +%s%N)
    local command=(java $JAVA_OPTS_BENCH -jar "${SERVER_JAR:-target/quarkus-app/quarkus-run.jar}")
    if [ -n "${BENCH_NATIVE:-}" ]; then
        command=("$BENCH_NATIVE" $NATIVE_OPTS)
    fi
    QUARKUS_HTTP_PORT=$PORT \
    QUARKUS_MANAGEMENT_PORT=$((PORT + 1000)) \
    QUARKUS_DATASOURCE_REACTIVE_URL=postgresql://127.0.0.1:5432/$DB \
    QUARKUS_DATASOURCE_JDBC_URL=jdbc:postgresql://127.0.0.1:5432/$DB \
    QUARKUS_DATASOURCE_USERNAME=postgres \
    ROLLGATE_SECURITY_ADMIN_TOKEN=$TOKEN \
    ROLLGATE_SECURITY_INGEST_TOKEN=$TOKEN-ingest \
    QUARKUS_LOG_CONSOLE_LEVEL=${QUARKUS_LOG_CONSOLE_LEVEL:-WARN} \
    ROLLGATE_HTTP_RATE_LIMIT_ENABLED=false \
    env "${EVENT_LOOPS_ENV[@]}" taskset -c "${BENCH_SERVER_CPU:-0}" "${command[@]}" >"$OUT/$log" 2>&1 &
    SERVER_PID=$!
    wait_ready "http://127.0.0.1:$((PORT + 1000))/q/health/ready" "$OUT/$log"
    READY_MS=$((($(date +%s%N) - started) / 1000000))
    READY_SECONDS=$(((READY_MS + 999) / 1000))
    IDLE_RSS_MIB=$(rss_mib "$SERVER_PID")
}

# wait_ready <url> <log>: polls until the url answers 2xx.
wait_ready() {
    for _ in $(seq 1 1200); do
        if curl -fs "$1" >/dev/null 2>&1; then
            return 0
        fi
        sleep 0.05
    done
    echo "service did not become ready; see $2" >&2
    exit 1
}

# start_ceiling: the minimal Quarkus application of bench/ceiling on CEILING_PORT, pinned and started like the service.
CEILING_PID=
CEILING_PORT=${BENCH_CEILING_PORT:-8070}
start_ceiling() {
    local jar=bench/ceiling/target/quarkus-app/quarkus-run.jar
    # built again when its sources changed since: a stale jar would lack a route a script asks for
    if [ ! -f "$jar" ] || [ -n "$(find bench/ceiling/src bench/ceiling/pom.xml -newer "$jar" -type f | head -1)" ]; then
        ./mvnw -B -q -f bench/ceiling/pom.xml package
    fi
    env "${EVENT_LOOPS_ENV[@]}" taskset -c "${BENCH_SERVER_CPU:-0}" \
        java $JAVA_OPTS_BENCH -Dquarkus.http.port="$CEILING_PORT" \
        -jar "$jar" >"$OUT/ceiling.log" 2>&1 &
    CEILING_PID=$!
    wait_ready "http://127.0.0.1:$CEILING_PORT/api/widget/config?customerId=c" "$OUT/ceiling.log"
}

stop_ceiling() {
    if [ -n "$CEILING_PID" ]; then
        kill "$CEILING_PID" 2>/dev/null || true
        wait "$CEILING_PID" 2>/dev/null || true
        CEILING_PID=
    fi
}

stop_server() {
    if [ -n "$SERVER_PID" ]; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
        SERVER_PID=
    fi
}

# seeded_database: stops unless $DB exists, made and seeded by bench/run.sh (the profiles measure on its data).
seeded_database() {
    psql -h 127.0.0.1 -U postgres -qAt -d "$DB" -c 'SELECT 1' >/dev/null 2>&1 ||
        { echo "$DB is missing: bench/run.sh makes and seeds it; run it first" >&2; exit 1; }
}

# fresh_database: drops and creates $DB; the service migrates it on start.
fresh_database() {
    psql -h 127.0.0.1 -U postgres -v ON_ERROR_STOP=1 -qAt -d postgres \
        -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
}

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
[ -n "${BENCH_NATIVE:-}" ] || [ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -B -q package -DskipTests
mkdir -p "$OUT"
trap 'stop_server; stop_ceiling' EXIT

# run_wrk <label> <seconds> <port> <pid>: one measurement; prints "<label> requests=... rps=... p99_ms=...
# cpu_us=..." where cpu_us is the CPU time the server process spent per request (all its threads: event loop,
# JIT, GC): the cost of a request without the moments the core was taken by someone else, which req/s counts.
run_wrk() {
    local label=$1 seconds=$2 port=$3 pid=$4 path=${5:-/api/widget/config}
    local line before after
    before=$(cpu_ticks "$pid")
    line=$(BENCH_PATH=$path taskset -c "$CLIENT_CPU" wrk -t1 -c"$CONNECTIONS" -d"${seconds}s" --latency \
        -s bench/widget-config.lua "http://127.0.0.1:$port" | tee "$OUT/$label.txt" | grep '^RESULT')
    after=$(cpu_ticks "$pid")
    local requests
    requests=$(field requests "$line")
    echo "$label ${line#RESULT } cpu_us=$(awk -v t=$((after - before)) -v hz="$(getconf CLK_TCK)" -v n="$requests" \
        'BEGIN {printf "%.1f", t / hz * 1e6 / n}')"
}

# allocation_run <label> <port> <pid> [path]: bytes the process allocates per request, over a run of its own after
# the measured rounds (a recording started during a round would cost that round its first seconds).
allocation_run() {
    local label=$1 port=$2 pid=$3 path=${4:-/api/widget/config} line
    allocation_start "$pid" "$label"
    line=$(BENCH_PATH=$path taskset -c "$CLIENT_CPU" wrk -t1 -c"$CONNECTIONS" -d"${BENCH_ALLOC_SECONDS:-10}s" \
        -s bench/widget-config.lua "http://127.0.0.1:$port" | grep '^RESULT')
    allocation_stop "$pid" "$label" "$(field requests "$line")"
}

# allocation_start <pid> <label> / allocation_stop <pid> <label> <requests>: bytes the JVM allocated per request
# over a run, from JFR's per-thread allocation counters (bench/allocation.jfc, once a second): for each thread,
# its last count less its first, summed over threads; "-" for a native executable, which has no such counters.
allocation_start() {
    [ -z "${BENCH_NATIVE:-}" ] || [ "$1" != "${SERVER_PID:-}" ] || return 0
    jcmd "$1" JFR.start name="alloc-$2" settings="$(pwd)/bench/allocation.jfc" \
        filename="$(pwd)/$OUT/alloc-$2.jfr" >/dev/null 2>&1 || true
}
allocation_stop() {
    local recording=$OUT/alloc-$2.jfr
    jcmd "$1" JFR.stop name="alloc-$2" >/dev/null 2>&1 || true
    if [ ! -s "$recording" ]; then echo "-"; return 0; fi
    jfr print --json --events jdk.ThreadAllocationStatistics "$recording" | python3 -c '
import json, sys
first, last = {}, {}
for event in json.load(sys.stdin)["recording"]["events"]:
    values = event["values"]
    thread = (values.get("thread") or {}).get("javaThreadId")
    first.setdefault(thread, values["allocated"])
    last[thread] = values["allocated"]
requests = int(sys.argv[1])
print(round(sum(last[t] - first[t] for t in first) / requests) if requests else 0)' "$3"
}

# cpu_ticks <pid>: user and system time of the process so far, in clock ticks
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

warm_up() {
    BENCH_PATH=${2:-/api/widget/config} taskset -c "$CLIENT_CPU" wrk -t1 -c"$CONNECTIONS" -d"${WARMUP}s" \
        -s bench/widget-config.lua \
        "http://127.0.0.1:$1" >/dev/null
}

# field <name> <line>: the value of name=value in a result line
field() { sed -E "s/.*[ ]$1=([^ ]+).*/\1/" <<<"$2"; }
median() { sort -g | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
# of <name> <lines...>: the median of name=value over result lines
of() { local name=$1; shift; for l in "$@"; do field "$name" "$l"; done | median; }

# profiler_library: the path of async-profiler's native library. Its jar carries it; Maven fetches the jar once into
# the local repository.
profiler_library() {
    local version=4.0 repository jar library=$OUT/async-profiler/linux-x64/libasyncProfiler.so
    if [ ! -f "$library" ]; then
        repository=$(./mvnw -B -q help:evaluate -Dexpression=settings.localRepository -DforceStdout 2>/dev/null)
        jar=$repository/tools/profiler/async-profiler/$version/async-profiler-$version.jar
        [ -f "$jar" ] || ./mvnw -B -q dependency:get -Dartifact=tools.profiler:async-profiler:$version >&2
        unzip -q -o "$jar" 'linux-x64/*' -d "$OUT/async-profiler"
    fi
    echo "$library"
}
