#!/usr/bin/env bash
# Open streams: STREAMS widget config streams (distinct customers) on one packaged replica pinned to core 0, held
# by a Node client pinned to core 1; three global kill switch changes through the API (off, on, off) and a runbook's
# INSERT of a document for every stream's customer in one statement, each timed
# until every stream has the event (p50, p99, max): the first after start, when the fan-out is not yet compiled,
# two later ones and the runbook between them; and the replica's RSS before and after opening them (KiB per stream).
# BENCH_PROFILE=1 also samples the replica's CPU with async-profiler from the first change to the last and prints
# where it went, in all and in the first change alone (collapsed stacks in bench/results/streams.collapsed and
# streams-first.collapsed). The profiler is loaded as the JVM starts and only started before the first change:
# loaded into a running JVM it would throw its compiled code away, and the first change would be no measure.
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
if [ -n "${BENCH_PROFILE:-}" ]; then
    library=$(profiler_library)
    rm -f "$OUT"/streams*.collapsed
    JAVA_OPTS_BENCH="$JAVA_OPTS_BENCH -agentpath:$(pwd)/$library"
fi
echo "Streams: bench/streams.sh $STREAMS (JVM options: $JAVA_OPTS_SAID; event loops: $EVENT_LOOPS_SAID)"
start_server streams-server.log
rss() { ps -o rss= -p "$SERVER_PID" | awk '{print $1}'; }
before=$(rss)
coproc CLIENT { taskset -c "$CLIENT_CPU" node bench/streams.mjs "http://127.0.0.1:$PORT" "$STREAMS" "$TOKEN" "$DB" \
    ${BENCH_PROFILE:+pause}; }
while read -r line <&"${CLIENT[0]}"; do
    echo "$line"
    [ "$line" = "READY" ] && break
done
after=$(rss)
profiler() { jcmd "$SERVER_PID" JVMTI.agent_load "$(pwd)/$library" "\"$1\"" >/dev/null; }
if [ -n "${BENCH_PROFILE:-}" ]; then
    profiler "start,event=cpu,interval=1ms"
fi
echo go >&"${CLIENT[1]}"
while read -r line <&"${CLIENT[0]}"; do
    echo "$line"
    if [ -n "${BENCH_PROFILE:-}" ] && [[ $line == "RESULT_CHANGE first "* ]]; then
        # the first change's samples alone (the second starts after the client's settling second)
        profiler "dump,collapsed,file=$(pwd)/$OUT/streams-first.collapsed"
        echo go >&"${CLIENT[1]}"
    fi
done
if [ -n "${BENCH_PROFILE:-}" ]; then
    profiler "stop,collapsed,file=$(pwd)/$OUT/streams.collapsed"
    for part in first ""; do
    python3 - "$OUT/streams${part:+-$part}.collapsed" "${part:-every}" <<'PY'
import sys
def has(frames, marker):
    return any(marker in frame for frame in frames)
SEND = "io/rollgate/live/Subscriber.send"
# each cost with a frame that marks it (anywhere in the stack); a send's kernel time is its frames marked _[k]
costs = [
    ("the compiler", lambda f: has(f, "CompileBroker::")),
    ("the collector", lambda f: has(f, "GangWorker::")),
    ("the fan-out's renders", lambda f: has(f, "io/rollgate/live/WidgetStreams.refresh")
        and has(f, "io/rollgate/evaluation/") and not has(f, SEND)),
    ("the fan-out's sends", lambda f: has(f, SEND)),
    ("  of them in the kernel (the socket's write)", lambda f: has(f, SEND) and f[-1].endswith("_[k]")),
    ("the documents' reads (the PostgreSQL client)", lambda f: has(f, "io/vertx/pgclient/")),
]
total, under, kernel = 0, [0] * len(costs), False
for line in open(sys.argv[1]):
    stack, count = line.rsplit(" ", 1)
    frames = stack.split(";")
    total += int(count)
    kernel = kernel or frames[-1].endswith("_[k]")
    for i, (_, matches) in enumerate(costs):
        if matches(frames):
            under[i] += int(count)
span = "the first change alone" if sys.argv[2] == "first" else "from the first change to the last"
print(f"PROFILE {total} samples of 1 ms of CPU, {span}; share under each cost:")
for (label, _), count in zip(costs, under):
    print(f"PROFILE {100 * count / total:5.1f} %  {label}")
if not kernel:
    print("PROFILE no kernel frames: perf events are not open to this user, so kernel time shows under Java's frames")
PY
    done
fi
awk -v b="$before" -v a="$after" -v n="$STREAMS" 'BEGIN {
    printf "RSS: %.0f MiB before, %.0f MiB with %d streams open = %.1f KiB per stream\n", b / 1024, a / 1024, n, (a - b) / n
}'
