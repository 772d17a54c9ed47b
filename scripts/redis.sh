#!/usr/bin/env bash
# A throwaway redis-server on loopback for tests and benchmarks (no persistence, daemonized).
#
#   scripts/redis.sh start [dir]   starts one on a free port; prints its URL (redis://127.0.0.1:PORT)
#                                  and keeps pidfile, port and log in DIR (default: a new temp dir,
#                                  remembered in .redis-dir so `stop` finds it)
#   scripts/redis.sh stop [dir]    stops it and removes the dir
#
# Installs Debian's redis-server with apt-get when it is missing and we are root; otherwise fails.
set -euo pipefail
cd "$(dirname "$0")/.."
cmd="${1:-}"
state_file="${TMPDIR:-/tmp}/switchboard-redis.current"

ensure_installed() {
  command -v redis-server >/dev/null 2>&1 && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "redis.sh: installing redis-server with apt-get" >&2
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server) >&2
  fi
  command -v redis-server >/dev/null 2>&1 || {
    echo "redis.sh: redis-server is not installed (apt-get install -y redis-server)" >&2
    exit 1
  }
}

free_port() {
  node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

case "$cmd" in
  start)
    ensure_installed
    dir="${2:-$(mktemp -d "${TMPDIR:-/tmp}/switchboard-redis.XXXXXX")}"
    mkdir -p "$dir"
    for attempt in 1 2 3 4 5; do
      port="$(free_port)"
      redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
        --dir "$dir" --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" >&2 || true
      for _ in $(seq 1 100); do
        if redis-cli -p "$port" ping >/dev/null 2>&1; then
          echo "$port" >"$dir/port"
          [ -n "${2:-}" ] || echo "$dir" >"$state_file"
          echo "redis://127.0.0.1:$port"
          exit 0
        fi
        sleep 0.05
      done
      [ -f "$dir/redis.pid" ] && kill "$(cat "$dir/redis.pid")" 2>/dev/null || true
    done
    echo "redis.sh: redis-server did not start; log:" >&2
    cat "$dir/redis.log" >&2 || true
    exit 1
    ;;
  stop)
    dir="${2:-$(cat "$state_file" 2>/dev/null || true)}"
    [ -n "$dir" ] && [ -d "$dir" ] || { echo "redis.sh: nothing to stop" >&2; exit 0; }
    if [ -f "$dir/redis.pid" ]; then
      pid="$(cat "$dir/redis.pid")"
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
    fi
    rm -rf "$dir"
    [ -n "${2:-}" ] || rm -f "$state_file"
    ;;
  *) sed -n '2,9p' "$0"; exit 2 ;;
esac
