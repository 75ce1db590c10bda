#!/usr/bin/env bash
# A PostgreSQL HA pair on loopback, as platform teams run one: etcd, two PostgreSQL 15 nodes managed by Patroni in
# synchronous mode, and HAProxy in front routing to whichever node Patroni's REST API calls the primary. Used by
# FailoverIT and bench/failover.sh; everything lives under one directory and on ports of its own.
#
#   rig.sh start DIR        start etcd, both nodes and HAProxy; waits for a primary, a synchronous standby and the endpoint
#   rig.sh stop DIR         stop everything the rig started
#   rig.sh primary DIR      print the name of the node that is primary now
#   rig.sh crash DIR NODE   kill the node's Patroni and postmaster with SIGKILL, as a lost machine
#   rig.sh revive DIR NODE  start the node's Patroni again: it rejoins as a standby
#   rig.sh check            exit 0 when the packages are installed (etcd, patroni, haproxy, PostgreSQL 15)
#
# Ports: etcd 23790/23800, nodes 25431/25432 (Patroni REST 18008/18009), HAProxy 25430 (RIG_* to change them): all
# below the kernel's ephemeral range (32768 and up), where an outgoing connection of the load could hold one first.
set -euo pipefail

ETCD_PORT=${RIG_ETCD_PORT:-23790}
ETCD_PEER_PORT=${RIG_ETCD_PEER_PORT:-23800}
ENDPOINT_PORT=${RIG_ENDPOINT_PORT:-25430}
PG_BIN=${RIG_PG_BIN:-/usr/lib/postgresql/15/bin}
NODES=(node1 node2)
declare -A PG_PORT=([node1]=${RIG_NODE1_PORT:-25431} [node2]=${RIG_NODE2_PORT:-25432})
declare -A REST_PORT=([node1]=${RIG_NODE1_REST:-18008} [node2]=${RIG_NODE2_REST:-18009})

log() { printf '[rig] %s\n' "$*" >&2; }

check() {
    command -v etcd >/dev/null && command -v patroni >/dev/null && command -v haproxy >/dev/null \
        && [ -x "$PG_BIN/postgres" ]
}

# as_postgres CMD...: PostgreSQL will not run as root
as_postgres() {
    if [ "$(id -u)" = 0 ]; then
        # from /: the caller's directory may be one postgres cannot enter, and Patroni's processes return to it
        (cd / && runuser -u postgres -- "$@")
    else
        "$@"
    fi
}

# rig_dir DIR: where the rig keeps what it runs. PostgreSQL and Patroni run as postgres, which must reach it: a
# checkout under a directory only root may enter (mktemp -d makes one 0700) keeps its nodes under /var/tmp
# instead, in a directory named after DIR and linked from it, so DIR still shows the logs.
rig_dir() {
    local asked=$1
    if [ "$(id -u)" != 0 ] || runuser -u postgres -- test -x "$(dirname "$asked")"; then
        echo "$asked"
    else
        echo "/var/tmp/rollgate-rig-$(printf '%s' "$asked" | md5sum | cut -c1-12)"
    fi
}

node_config() {
    local dir=$1 node=$2
    cat >"$dir/$node.yml" <<YAML
scope: rollgate-rig
name: $node
log:
  level: WARNING
restapi:
  listen: 127.0.0.1:${REST_PORT[$node]}
  connect_address: 127.0.0.1:${REST_PORT[$node]}
etcd3:
  hosts: 127.0.0.1:$ETCD_PORT
bootstrap:
  dcs:
    ttl: 20
    loop_wait: 1
    retry_timeout: 5
    maximum_lag_on_failover: 1048576
    synchronous_mode: true
    postgresql:
      use_pg_rewind: true
      parameters:
        wal_level: replica
        hot_standby: "on"
        max_wal_senders: 5
        max_replication_slots: 5
        wal_log_hints: "on"
        max_connections: 100
  initdb:
    - encoding: UTF8
    - locale: C
  pg_hba:
    - host replication replicator 127.0.0.1/32 trust
    - host all all 127.0.0.1/32 trust
    - local all all trust
postgresql:
  listen: 127.0.0.1:${PG_PORT[$node]}
  connect_address: 127.0.0.1:${PG_PORT[$node]}
  data_dir: $dir/$node
  bin_dir: $PG_BIN
  pgpass: $dir/$node.pgpass
  authentication:
    superuser:
      username: postgres
      password: postgres
    replication:
      username: replicator
      password: replicator
    rewind:
      username: postgres
      password: postgres
  parameters:
    unix_socket_directories: $dir
tags:
  nofailover: false
  noloadbalance: false
YAML
}

haproxy_config() {
    local dir=$1
    cat >"$dir/haproxy.cfg" <<CFG
global
    maxconn 1000
defaults
    mode tcp
    timeout connect 2s
    timeout client 30m
    timeout server 30m
    timeout check 1s
listen primary
    bind 127.0.0.1:$ENDPOINT_PORT
    option httpchk GET /primary
    http-check expect status 200
    default-server inter 500ms fall 2 rise 2 on-marked-down shutdown-sessions
    server node1 127.0.0.1:${PG_PORT[node1]} check port ${REST_PORT[node1]}
    server node2 127.0.0.1:${PG_PORT[node2]} check port ${REST_PORT[node2]}
CFG
}

start_node() {
    local dir=$1 node=$2
    as_postgres bash -c "nohup patroni '$dir/$node.yml' >>'$dir/$node.log' 2>&1 & echo \$! >'$dir/$node.pid'"
}

role() {
    curl -s -m 1 "http://127.0.0.1:${REST_PORT[$1]}/patroni" | sed -nE 's/.*"role": ?"([a-z_]+)".*/\1/p'
}

primary() {
    for node in "${NODES[@]}"; do
        if curl -fs -m 1 -o /dev/null "http://127.0.0.1:${REST_PORT[$node]}/primary"; then
            echo "$node"
            return 0
        fi
    done
    return 1
}

wait_for() {
    local what=$1 seconds=$2
    shift 2
    for _ in $(seq 1 $((seconds * 5))); do
        if "$@" >/dev/null 2>&1; then
            return 0
        fi
        sleep 0.2
    done
    log "timed out after ${seconds}s waiting for $what"
    return 1
}

sync_standby() {
    curl -fs -m 1 "http://127.0.0.1:${REST_PORT[node1]}/cluster" | grep -q '"role": *"sync_standby"'
}

start() {
    local asked=$1 dir
    dir=$(rig_dir "$1")
    check || { log "etcd, patroni, haproxy or PostgreSQL 15 is missing"; exit 2; }
    stop "$dir" 2>/dev/null || true
    for port in "$ETCD_PORT" "$ETCD_PEER_PORT" "$ENDPOINT_PORT" "${PG_PORT[@]}" "${REST_PORT[@]}"; do
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            log "port $port is taken: is another rig running? (rig.sh stop DIR)"
            exit 3
        fi
    done
    rm -rf "$dir"
    mkdir -p "$dir"
    chown postgres "$dir" 2>/dev/null || true
    chmod 0700 "$dir"
    if [ "$dir" != "$asked" ]; then
        rm -rf "$asked"
        ln -s "$dir" "$asked"
    fi
    etcd --name rig --data-dir "$dir/etcd" --listen-client-urls "http://127.0.0.1:$ETCD_PORT" \
        --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
        --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
        --initial-cluster "rig=http://127.0.0.1:$ETCD_PEER_PORT" >"$dir/etcd.log" 2>&1 &
    echo $! >"$dir/etcd.pid"
    wait_for etcd 20 curl -fs "http://127.0.0.1:$ETCD_PORT/health"
    for node in "${NODES[@]}"; do
        node_config "$dir" "$node"
        chown postgres "$dir/$node.yml" 2>/dev/null || true
    done
    start_node "$dir" node1
    wait_for "node1 to become primary" 60 primary
    start_node "$dir" node2
    wait_for "node2 to become the synchronous standby" 90 sync_standby
    haproxy_config "$dir"
    haproxy -f "$dir/haproxy.cfg" -D -p "$dir/haproxy.pid"
    wait_for "the endpoint" 20 "$PG_BIN/pg_isready" -h 127.0.0.1 -p "$ENDPOINT_PORT" -q
    log "up: primary $(primary), endpoint 127.0.0.1:$ENDPOINT_PORT"
}

stop_pid() {
    local file=$1
    if [ -f "$file" ]; then
        kill "$(cat "$file")" 2>/dev/null || true
    fi
}

# wait_gone PID...: until none of them runs, 20 s at most
wait_gone() {
    for _ in $(seq 1 100); do
        local alive=0
        for pid in "$@"; do
            kill -0 "$pid" 2>/dev/null && alive=1
        done
        [ "$alive" = 0 ] && return 0
        sleep 0.2
    done
    return 1
}

stop() {
    local dir=$1
    [ -d "$dir" ] || return 0
    stop_pid "$dir/haproxy.pid"
    local pids=()
    for node in "${NODES[@]}"; do
        if [ -f "$dir/$node.pid" ]; then
            pids+=("$(cat "$dir/$node.pid")")
            stop_pid "$dir/$node.pid"
        fi
    done
    # Patroni stops its PostgreSQL as it stops; what it leaves (a crashed node's, or one it gave up on) goes fast
    wait_gone "${pids[@]}" || kill -9 "${pids[@]}" 2>/dev/null || true
    local postmasters=()
    for node in "${NODES[@]}"; do
        if [ -f "$dir/$node/postmaster.pid" ]; then
            postmasters+=("$(head -n 1 "$dir/$node/postmaster.pid")")
        fi
    done
    if [ ${#postmasters[@]} -gt 0 ]; then
        kill -INT "${postmasters[@]}" 2>/dev/null || true
        wait_gone "${postmasters[@]}" || kill -9 "${postmasters[@]}" 2>/dev/null || true
    fi
    stop_pid "$dir/etcd.pid"
    [ -f "$dir/etcd.pid" ] && wait_gone "$(cat "$dir/etcd.pid")"
    rm -f "$dir"/*.pid
}

crash() {
    local dir=$1 node=$2
    kill -9 "$(cat "$dir/$node.pid")" 2>/dev/null || true
    kill -9 "$(head -n 1 "$dir/$node/postmaster.pid")" 2>/dev/null || true
    rm -f "$dir/$node.pid"
}

command=${1:-}
case "$command" in
    check) check ;;
    start) start "$2" ;;
    stop) stop "$(rig_dir "$2")" ;;
    primary) primary ;;
    crash) crash "$(rig_dir "$2")" "$3" ;;
    revive) start_node "$(rig_dir "$2")" "$3" ;;
    *) sed -n '2,14p' "$0" >&2; exit 2 ;;
esac
