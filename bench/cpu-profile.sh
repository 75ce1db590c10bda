#!/usr/bin/env bash
# Where the widget config's CPU goes, with little cost to what is measured: the packaged service pinned to core 0
# and started as a pod is (bench/lib.sh), 15 s of warm load from wrk on core 1, then async-profiler (from Maven
# Central) loaded into the running process for 15 s more of the same load, sampling every 0.5 ms of CPU time.
# Prints the share of the process's CPU spent under each named cost (a frame anywhere in the stack), and leaves
# the collapsed stacks in bench/results/cpu.collapsed for a flame graph. bench/profile.sh (JFR, with allocation
# samples) slows the service to about a fifth; this does not.
# Usage: bench/cpu-profile.sh [connections]; run bench/run.sh first (it makes and seeds the database).
set -euo pipefail
cd "$(dirname "$0")/.."

CONNECTIONS=${1:-64}
PORT=${BENCH_PORT:-8090}
DB=rollgate_bench
source bench/lib.sh

seeded_database
library=$(profiler_library)

start_server cpu-profile-server.log
run_wrk warm 15 "$PORT" "$SERVER_PID"
rm -f "$OUT/cpu.collapsed"
# jcmd hands the agent's options over as one quoted argument
jcmd "$SERVER_PID" JVMTI.agent_load "$(pwd)/$library" '"start,event=itimer,interval=500us"' >/dev/null
run_wrk profiled 15 "$PORT" "$SERVER_PID"
jcmd "$SERVER_PID" JVMTI.agent_load "$(pwd)/$library" "\"stop,collapsed,file=$(pwd)/$OUT/cpu.collapsed\"" >/dev/null
python3 - "$OUT/cpu.collapsed" <<'PY'
import sys
costs = [
    ("the widget's route (its lookup and its write included)", "io/rollgate/evaluation/WidgetConfigRoute.config"),
    ("  the kept answer's lookup", "io/rollgate/evaluation/WidgetConfigService.inMemory"),
    ("    Caffeine's getIfPresent", "com/github/benmanes/caffeine/cache/BoundedLocalCache.getIfPresent"),
    ("    the override documents' peeks", "io/rollgate/overrides/OverrideCache.peek"),
    ("  the query's ids", "io/rollgate/evaluation/WidgetConfigRoute.parameter"),
    ("Micrometer's HTTP server metrics", "io/quarkus/micrometer/"),
    ("Quarkus's authentication handler", "io/quarkus/vertx/http/runtime/security/HttpSecurityRecorder$AuthenticationHandler"),
    ("context propagation", "io/smallrye/context/"),
    ("request id and log context", "io/rollgate/http/RequestIds.tag"),
    ("edge filter (CORS, rate limit)", "io/rollgate/http/EdgeFilter.filter"),
    ("body limit filter", "io/rollgate/http/BodyLimitFilter.limit"),
    ("graceful shutdown filter", "io/quarkus/vertx/http/runtime/filters/GracefulShutdownFilter.handle"),
    ("Quarkus's URI check", "io/quarkus/vertx/http/runtime/VertxHttpRecorder$1.uriValid"),
    ("the compiler", "CompileBroker::"),
    ("the collector", "GangWorker::"),
]
# a filter hands the request on (RoutingContext.next) from inside itself: what runs after it is not its cost
NEXT = ("io/vertx/ext/web/impl/RoutingContextImpl.next", "io/vertx/ext/web/impl/RoutingContextImplBase.iterateNext",
        "io/vertx/ext/web/impl/RoutingContextWrapper.next")
total, under = 0, {label: 0 for label, _ in costs}
for line in open(sys.argv[1]):
    stack, count = line.rsplit(" ", 1)
    frames = stack.split(";")
    total += int(count)
    for label, frame in costs:
        at = [i for i, f in enumerate(frames) if frame in f]
        if at and not any(f.startswith(NEXT) for f in frames[at[0] + 1:]):
            under[label] += int(count)
print(f"{total} samples; share of the process's CPU under each cost (the handlers after a filter not counted):")
for label, _ in costs:
    print(f"{100 * under[label] / total:5.1f} %  {label}")
PY
