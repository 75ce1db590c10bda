#!/usr/bin/env bash
# Where the widget config's time goes: the packaged service pinned to core 0 under wrk (core 1), a JFR
# recording of 15 s of warm load, and the hottest frames (top of stack and anywhere in the stack).
# Usage: bench/profile.sh [connections]; the recording stays in bench/results/widget.jfr for JDK Mission Control.
set -euo pipefail
cd "$(dirname "$0")/.."

CONNECTIONS=${1:-64}
PORT=${BENCH_PORT:-8090}
DB=rollgate_bench
source bench/lib.sh

seeded_database
start_server profile-server.log
taskset -c "$CLIENT_CPU" wrk -t1 -c"$CONNECTIONS" -d15s -s bench/widget-config.lua "http://127.0.0.1:$PORT" >/dev/null
rm -f "$OUT/widget.jfr"
jcmd "$SERVER_PID" JFR.start name=widget settings=profile filename="$(pwd)/$OUT/widget.jfr" >/dev/null
taskset -c "$CLIENT_CPU" wrk -t1 -c"$CONNECTIONS" -d15s -s bench/widget-config.lua "http://127.0.0.1:$PORT" | grep RESULT
jcmd "$SERVER_PID" JFR.stop name=widget >/dev/null
jfr print --events jdk.ExecutionSample "$OUT/widget.jfr" > "$OUT/samples.txt"
python3 - "$OUT/samples.txt" <<'PY'
import re, sys, collections
text = open(sys.argv[1]).read()
top, anywhere, total = collections.Counter(), collections.Counter(), 0
for event in text.split("jdk.ExecutionSample")[1:]:
    frames = re.findall(r"^\s+([\w.$<>]+)\(", event.split("stackTrace = [", 1)[-1], re.M)
    if not frames:
        continue
    total += 1
    top[frames[0]] += 1
    for f in set(frames):
        anywhere[f] += 1
print(f"{total} samples")
print("-- top of stack --")
for f, n in top.most_common(25):
    print(f"{100 * n / total:5.1f} %  {f}")
print("-- anywhere in the stack (io.rollgate, io.quarkus, io.micrometer, io.vertx, jackson) --")
for f, n in anywhere.most_common(400):
    if re.match(r"(io\.rollgate|io\.quarkus|io\.micrometer|io\.vertx\.ext|com\.fasterxml|io\.smallrye)", f):
        print(f"{100 * n / total:5.1f} %  {f}")
PY
jfr print --events jdk.ObjectAllocationSample "$OUT/widget.jfr" > "$OUT/allocations.txt"
jfr summary "$OUT/widget.jfr" | grep -E "GarbageCollection|jdk.GCPhasePause " || true
python3 - "$OUT/allocations.txt" <<'PY'
import re, sys, collections
text = open(sys.argv[1]).read()
by_site, total = collections.Counter(), 0
for event in text.split("jdk.ObjectAllocationSample")[1:]:
    weight = re.search(r"weight = ([\d.]+) (\w+)", event)
    if not weight:
        continue
    value = float(weight.group(1)) * {"bytes": 1, "kB": 1e3, "MB": 1e6, "GB": 1e9}.get(weight.group(2), 1)
    frames = re.findall(r"^\s+([\w.$<>]+)\(", event.split("stackTrace = [", 1)[-1], re.M)
    site = next((f for f in frames if re.match(r"(io\.rollgate|io\.quarkus|io\.micrometer|io\.vertx|com\.fasterxml|org\.jboss)", f)), frames[0] if frames else "?")
    by_site[site] += value
    total += value
print(f"-- allocation by first framework or Rollgate frame ({total / 1e6:.0f} MB sampled) --")
for f, n in by_site.most_common(25):
    print(f"{100 * n / total:5.1f} %  {f}")
PY
