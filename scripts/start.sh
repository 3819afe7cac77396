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
# The collector (inside the dashboard) scrapes the target's prom-client /metrics into the store.
default_scrape="[{\"job\":\"car-suggester\",\"url\":\"$TARGET_URL/metrics\",\"interval\":\"5s\",\"timeout\":\"2s\"}]"
export COLLECTOR_SCRAPE_TARGETS="${COLLECTOR_SCRAPE_TARGETS:-$default_scrape}"
# The target exports OTLP to that collector, wherever COLLECTOR_HOST and COLLECTOR_PORT put it.
collector_host="${COLLECTOR_HOST:-127.0.0.1}"
case "$collector_host" in
  0.0.0.0 | ::) collector_host=127.0.0.1 ;;
  *:*) collector_host="[$collector_host]" ;;
esac
collector_url="http://$collector_host:${COLLECTOR_PORT:-4318}"
mkdir -p "$DATA_DIR"
# The target refuses to start in production without a JWT secret: generate one once per data dir.
if [ -z "${JWT_SECRET:-}" ]; then
  [ -s "$DATA_DIR/jwt-secret" ] || (umask 077 && head -c 48 /dev/urandom | base64 | tr -d '\n' >"$DATA_DIR/jwt-secret")
  JWT_SECRET="$(cat "$DATA_DIR/jwt-secret")"
  export JWT_SECRET
fi
# Likewise the admin token (the target keeps its admin API off in production with the public default);
# the dashboard drives the target's chaos controls with the same token.
if [ -z "${ADMIN_TOKEN:-}" ]; then
  [ -s "$DATA_DIR/admin-token" ] || (umask 077 && head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n' >"$DATA_DIR/admin-token")
  ADMIN_TOKEN="$(cat "$DATA_DIR/admin-token")"
fi
export ADMIN_TOKEN TARGET_ADMIN_TOKEN="${TARGET_ADMIN_TOKEN:-$ADMIN_TOKEN}"

pids=()
cleanup() {
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

# The 200 MB memory budget (target-app/README.md): young generation capped at 4 MiB per semi-space
# (V8 sizes it from machine memory and keeps it resident: RSS 270 → 190 MB at 1 M cars with 8, ~10 MB
# less with 4), old generation at 120 MiB (otherwise garbage piles up to ~125 MB before a full GC;
# the live heap under the bench mix is ~80 MB).
# With ingest keys on (COLLECTOR_API_KEYS), the target's OTel exporter sends the first key, through
# the SDK's OTEL_EXPORTER_OTLP_HEADERS (URL-encoded); the dashboard gives it to k6 and its own senders.
target_otlp_headers="${OTEL_EXPORTER_OTLP_HEADERS:-}"
if [ -z "$target_otlp_headers" ] && [ -n "${COLLECTOR_API_KEYS:-}" ]; then
  first_key="$(printf '%s' "$COLLECTOR_API_KEYS" | cut -d, -f1 | tr -d '[:space:]')"
  target_otlp_headers="x-api-key=$("$node_bin" -e 'process.stdout.write(encodeURIComponent(process.argv[1]))' "$first_key")"
fi
PORT="${TARGET_PORT:-8080}" OTEL_EXPORTER_OTLP_ENDPOINT="${OTEL_EXPORTER_OTLP_ENDPOINT:-$collector_url}" \
  OTEL_EXPORTER_OTLP_HEADERS="$target_otlp_headers" \
  "$node_bin" --max-semi-space-size=4 --max-old-space-size=120 target-app/src/main.ts &
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
    dashboard        $dashboard_url   (sign in: DASHBOARD_USERS, or 'admin' with the password printed once at first start)
    target app       $TARGET_URL   (API under test)
    collector OTLP   $collector_url/v1/metrics, /v1/traces
    scraping         $TARGET_URL/metrics every 5 s (COLLECTOR_SCRAPE_TARGETS)
    data             $DATA_DIR
  Ctrl-C stops everything.

TXT
wait -n "${pids[@]}"
