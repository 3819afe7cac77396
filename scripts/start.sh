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
# Light traffic (a quiet target exporting every second) is stored as one insert per table every 5 s
# instead of several a second: the embedded store's merges of those parts run in the dashboard process.
export COLLECTOR_COALESCE_MS="${COLLECTOR_COALESCE_MS:-5000}"
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
# Ctrl-C or SIGTERM at any moment — also while waiting for readiness — stops everything and exits.
trap cleanup EXIT
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM

# The dashboard runs the target app as its child (SUPERVISE_TARGET): when the target dies, the
# dashboard stays up, fails the runs aimed at it with the reason, pages (TargetDown) and starts it
# again with backoff. The target gets the 200 MB memory budget's V8 flags (target-app/README.md),
# PORT from TARGET_URL, this collector as its OTLP endpoint and, with COLLECTOR_API_KEYS, the first
# key in OTEL_EXPORTER_OTLP_HEADERS (dashboard/src/runtime/target-supervisor.ts).
export SUPERVISE_TARGET="${SUPERVISE_TARGET:-true}"
# One process, no subshell in between (a subshell holding the dashboard as its child kept it
# running after the script was told to stop): $! is the dashboard itself.
env --chdir=dashboard PORT="${DASHBOARD_PORT:-3000}" "$node_bin" server.ts &
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
