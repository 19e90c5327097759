#!/usr/bin/env bash
# A real OpenSearch 2.19 node for local development and the tests, run in-process by
# scripts/opensearch-node (server and module jars from Maven Central, cached in ~/.m2).
#
#   scripts/opensearch.sh start   # build if needed, start in the background, wait, print OPENSEARCH_URL
#   scripts/opensearch.sh stop    # SIGTERM (then KILL after 30 s) the recorded node
#
# State lives in .opensearch/: data/ (kept across restarts), node.pid, node.port, node.log.
# Environment: OPENSEARCH_PORT (default 9200), OPENSEARCH_JAVA_OPTS (default -Xms512m -Xmx1g),
# OPENSEARCH_START_TIMEOUT in seconds (default 120), JAVA (default java), MVN (default mvn).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NODE_DIR="$ROOT/scripts/opensearch-node"
TARGET="$NODE_DIR/target"
STATE="$ROOT/.opensearch"
PID_FILE="$STATE/node.pid"
PORT_FILE="$STATE/node.port"
LOG_FILE="$STATE/node.log"
PORT="${OPENSEARCH_PORT:-9200}"
URL="http://127.0.0.1:$PORT"
JAVA="${JAVA:-java}"
MVN="${MVN:-mvn}"
MAIN_CLASS="uk.org.bac.opensearch.Launcher"

log() { echo "opensearch: $*" >&2; }

# A live process (a child that died is a zombie until this shell exits: that counts as dead).
alive() {
    local state
    state="$(ps -o stat= -p "$1" 2>/dev/null)" || return 1
    [[ "$state" != Z* ]]
}

# The PID recorded in node.pid, if that process is still our launcher.
running_pid() {
    [ -f "$PID_FILE" ] || return 1
    local pid
    pid="$(cat "$PID_FILE" 2>/dev/null || true)"
    [[ "$pid" =~ ^[0-9]+$ ]] || return 1
    alive "$pid" || return 1
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "$MAIN_CLASS" || return 1
    echo "$pid"
}

answers() { curl -s -o /dev/null --max-time 2 "$URL/"; }

# Fingerprint of everything the build depends on.
build_stamp() {
    { cat "$NODE_DIR/pom.xml"; find "$NODE_DIR/src" -type f | LC_ALL=C sort | xargs cat; "$JAVA" -version 2>&1; } | cksum
}

build() {
    local stamp
    stamp="$(build_stamp)"
    if [ -f "$TARGET/.build-stamp" ] && [ "$(cat "$TARGET/.build-stamp")" = "$stamp" ] \
        && [ -s "$TARGET/classpath.txt" ] && [ -d "$TARGET/classes" ] && classpath_present; then
        return 0
    fi
    command -v "$MVN" >/dev/null || { log "Maven ($MVN) is not installed (Debian: apt-get install maven)"; exit 1; }
    log "building the node launcher (first run resolves OpenSearch from Maven Central into ~/.m2) ..."
    local started=$SECONDS
    "$MVN" -q -B -Dstyle.color=never -f "$NODE_DIR/pom.xml" package >&2
    echo "$stamp" >"$TARGET/.build-stamp"
    log "built in $((SECONDS - started)) s"
}

# Every jar the classpath names is still in ~/.m2.
classpath_present() {
    local jar
    while IFS= read -r jar; do
        [ -f "$jar" ] || return 1
    done < <(tr ':' '\n' <"$TARGET/classpath.txt")
}

wait_until_up() {
    local pid="$1" timeout="${OPENSEARCH_START_TIMEOUT:-120}" started=$SECONDS
    until answers; do
        if ! alive "$pid"; then
            log "the node exited during start-up; last lines of $LOG_FILE:"
            tail -n 40 "$LOG_FILE" >&2 || true
            rm -f "$PID_FILE" "$PORT_FILE"
            exit 1
        fi
        if (( SECONDS - started >= timeout )); then
            log "no answer on $URL after $timeout s; last lines of $LOG_FILE:"
            tail -n 40 "$LOG_FILE" >&2 || true
            stop
            exit 1
        fi
        sleep 1
    done
    # Indexes kept from an earlier run are usable once their primaries are assigned.
    curl -s -o /dev/null --max-time 35 "$URL/_cluster/health?wait_for_status=yellow&timeout=30s" || true
}

start() {
    mkdir -p "$STATE"
    local pid
    if pid="$(running_pid)"; then
        local recorded
        recorded="$(cat "$PORT_FILE" 2>/dev/null || echo "$PORT")"
        if [ "$recorded" != "$PORT" ]; then
            log "node $pid from $STATE already runs on port $recorded (one node per data directory): stop it first"
            exit 1
        fi
        answers || wait_until_up "$pid"
        echo "OPENSEARCH_URL=$URL"
        return 0
    fi
    rm -f "$PID_FILE"
    if answers; then
        log "something else already answers on $URL (not the node recorded in $PID_FILE); stop it or set OPENSEARCH_PORT"
        exit 1
    fi
    build

    [ -f "$LOG_FILE" ] && mv -f "$LOG_FILE" "$LOG_FILE.1"
    local started=$SECONDS
    # setsid: the node outlives this shell and ignores a Ctrl-C sent to make.
    # shellcheck disable=SC2086
    OPENSEARCH_PORT="$PORT" setsid "$JAVA" ${OPENSEARCH_JAVA_OPTS:--Xms512m -Xmx1g} \
        -XX:+UseG1GC -XX:-OmitStackTraceInFastThrow -Djava.awt.headless=true -Dfile.encoding=UTF-8 \
        -Djava.locale.providers=SPI,CLDR -Dlog4j.shutdownHookEnabled=false -Dlog4j2.disable.jmx=true \
        -Dio.netty.noUnsafe=true -Dio.netty.noKeySetOptimization=true \
        -Dio.netty.recycler.maxCapacityPerThread=0 -Dio.netty.allocator.numDirectArenas=0 \
        -XX:ErrorFile="$STATE/logs/hs_err_pid%p.log" \
        -cp "$TARGET/classes:$(cat "$TARGET/classpath.txt")" "$MAIN_CLASS" "$STATE" \
        </dev/null >"$LOG_FILE" 2>&1 &
    pid=$!
    echo "$pid" >"$PID_FILE"
    echo "$PORT" >"$PORT_FILE"
    wait_until_up "$pid"
    log "node $pid up in $((SECONDS - started)) s; log $LOG_FILE, data $STATE/data"
    echo "OPENSEARCH_URL=$URL"
}

stop() {
    local pid
    if ! pid="$(running_pid)"; then
        rm -f "$PID_FILE" "$PORT_FILE"
        log "not running"
        return 0
    fi
    kill -TERM "$pid" 2>/dev/null || true
    local waited=0
    while alive "$pid" && (( waited < 30 )); do
        sleep 1
        waited=$((waited + 1))
    done
    if alive "$pid"; then
        log "node $pid still running after 30 s: KILL"
        kill -KILL "$pid" 2>/dev/null || true
        while alive "$pid"; do sleep 0.2; done
    fi
    rm -f "$PID_FILE" "$PORT_FILE"
    log "stopped node $pid"
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
