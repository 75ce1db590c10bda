#!/usr/bin/env bash
# Failover benchmark: a PostgreSQL HA pair on loopback (etcd, two PostgreSQL 15 nodes under Patroni in synchronous
# mode, HAProxy routing to the primary: src/test/ha/rig.sh), two replicas of the packaged service on its endpoint,
# widgets read, overrides written and events posted while the primary's Patroni and postmaster are killed with
# SIGKILL. It runs the project's own failover test (FailoverIT), which fails on any lost acknowledged write, any
# widget read that is not 2xx, any write answered other than 200 or 503 with Retry-After, and prints the figures.
# Needs the Debian packages etcd-server, patroni, haproxy and postgresql-15 (.ci/run installs them).
# Usage: bench/failover.sh
set -euo pipefail
cd "$(dirname "$0")/.."

bash src/test/ha/rig.sh check || { echo "etcd-server, patroni, haproxy or postgresql-15 is missing" >&2; exit 1; }
mkdir -p bench/results
./mvnw -B -q verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=FailoverIT \
    -Dformatter.skip -Dimpsort.skip > bench/results/failover.txt 2>&1 \
    || { tail -n 40 bench/results/failover.txt >&2; echo "the failover test failed: bench/results/failover.txt" >&2; exit 1; }
echo "Command: bench/failover.sh; machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); Patroni ttl 20 s, loop_wait 1 s, HAProxy checks every 500 ms"
grep '^FAILOVER' bench/results/failover.txt
