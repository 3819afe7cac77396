#!/usr/bin/env bash
# Starts the whole product with embedded defaults: the target app, and the dashboard process
# that also hosts the collector (OTLP on :4318, embedded chDB) and the alert loop.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
started=$(date +%s)
bash scripts/setup.sh
node_bin="$root/node_modules/.bin/node"
export NODE_ENV=production NEXT_TELEMETRY_DISABLED=1
export DATA_DIR="${DATA_DIR:-$root/.data}"
export TARGET_URL="${TARGET_URL:-http://127.0.0.1:${TARGET_PORT:-8080}}"
mkdir -p "$DATA_DIR"

pids=()
cleanup() {
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

PORT="${TARGET_PORT:-8080}" "$node_bin" target-app/src/main.ts &
pids+=($!)
(cd dashboard && PORT="${DASHBOARD_PORT:-3000}" exec "$node_bin" server.ts) &
pids+=($!)

dashboard_url="http://127.0.0.1:${DASHBOARD_PORT:-3000}"
for _ in $(seq 1 120); do
  if curl -fsS -o /dev/null "$dashboard_url" 2>/dev/null && curl -fsS -o /dev/null "$TARGET_URL/health" 2>/dev/null; then break; fi
  sleep 1
done
cat <<TXT

  CarSuggester performance control plane is up ($(( $(date +%s) - started )) s)
    dashboard        $dashboard_url
    target app       $TARGET_URL   (API under test)
    collector OTLP   http://127.0.0.1:${COLLECTOR_PORT:-4318}/v1/metrics, /v1/traces
    data             $DATA_DIR
  Ctrl-C stops everything.

TXT
wait -n "${pids[@]}"
