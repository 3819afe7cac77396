#!/usr/bin/env bash
# Installs (apt) and starts the real servers the tests use, on loopback test ports, and prints
# their URLs as shell exports. Idempotent: reuses running servers.
#   eval "$(bash scripts/test-services.sh)"
#   → TEST_DATABASE_URL=postgres://postgres@127.0.0.1:55432/postgres  TEST_REDIS_URL=redis://127.0.0.1:56379
set -euo pipefail
PG_PORT="${TEST_PG_PORT:-55432}"
REDIS_PORT="${TEST_REDIS_PORT:-56379}"
log() { echo "[test-services] $*" >&2; }

need_apt=()
command -v redis-server >/dev/null || need_apt+=(redis-server)
ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || need_apt+=(postgresql)
if [ ${#need_apt[@]} -gt 0 ]; then
  [ "$(id -u)" = "0" ] || { log "missing ${need_apt[*]}: run 'sudo apt-get install -y ${need_apt[*]}'"; exit 1; }
  log "installing ${need_apt[*]} (apt)"
  apt-get update -qq >&2
  # No init system here: keep the packages from starting their default services.
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >&2
  rm -f /usr/sbin/policy-rc.d
fi

# PostgreSQL refuses to run as root: a cluster of our own, owned by the postgres user.
pg_version="$(ls /usr/lib/postgresql | sort -n | tail -1)"
if ! pg_lsclusters -h 2>/dev/null | awk '{print $2}' | grep -qx perftest; then
  log "creating PostgreSQL $pg_version cluster 'perftest' on port $PG_PORT"
  pg_createcluster "$pg_version" perftest -p "$PG_PORT" -- --auth=trust >/dev/null
  conf="/etc/postgresql/$pg_version/perftest/postgresql.conf"
  {
    echo "listen_addresses = '127.0.0.1'"
    echo "fsync = off"
    echo "synchronous_commit = off"
    echo "max_connections = 200"
  } >>"$conf"
fi
# Sized for the 1 M-car benchmark (table + search indexes ≈ 1.3 GB): with the default 128 MB most
# index pages were copied in from the OS cache on every search. Appended once to older clusters too.
conf="/etc/postgresql/$pg_version/perftest/postgresql.conf"
if ! grep -q '^# perftest tuning 2' "$conf"; then
  {
    echo "# perftest tuning 2"
    echo "shared_buffers = 1536MB"
    echo "effective_cache_size = 8GB"
    echo "random_page_cost = 1.1"
  } >>"$conf"
  if pg_lsclusters -h | awk '$2=="perftest"{print $4}' | grep -qx online; then
    log "restarting PostgreSQL for the new memory settings"
    pg_ctlcluster "$pg_version" perftest restart >&2
  fi
fi
if ! pg_lsclusters -h | awk '$2=="perftest"{print $4}' | grep -qx online; then
  log "starting PostgreSQL on 127.0.0.1:$PG_PORT"
  pg_ctlcluster "$pg_version" perftest start >&2
fi

if ! redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; then
  log "starting Redis on 127.0.0.1:$REDIS_PORT"
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --daemonize yes --save '' --appendonly no \
    --logfile /tmp/perftest-redis.log >/dev/null
  for _ in $(seq 1 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
fi

echo "export TEST_DATABASE_URL=postgres://postgres@127.0.0.1:$PG_PORT/postgres"
echo "export TEST_REDIS_URL=redis://127.0.0.1:$REDIS_PORT"
