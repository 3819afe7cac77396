#!/usr/bin/env bash
# Runs every test: lint, typecheck, unit and integration tests (vitest, against real chDB, k6
# and OTel SDKs), then the browser tests (Playwright in headless Chromium). Ends with one
# "N passed, N failed" line over all of them.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
started=$(date +%s)
bash scripts/setup.sh --with-browser || exit 1
# Real PostgreSQL and Redis on loopback test ports (TEST_DATABASE_URL, TEST_REDIS_URL).
services_env="$(bash scripts/test-services.sh)" || exit 1
eval "$services_env"
node_bin="$root/node_modules/.bin/node"
export NEXT_TELEMETRY_DISABLED=1
results="$root/test-results"
rm -rf "$results" && mkdir -p "$results"
status=0
step() { printf '\n\033[1m[test] %s\033[0m\n' "$*"; }

step "lint (biome)"
"$node_bin" node_modules/@biomejs/biome/bin/biome check . || status=1
step "typecheck (all workspaces)"
npm run typecheck --silent || status=1
step "unit + integration tests (vitest)"
export FLAKY_REPORT="$results/vitest-flaky.json"
"$node_bin" node_modules/vitest/vitest.mjs run --reporter=default --reporter=json --outputFile.json="$results/vitest.json" \
  --reporter=./scripts/test-summary/flaky-reporter.ts || status=1
step "browser tests (playwright, headless chromium)"
PLAYWRIGHT_JSON_OUTPUT_NAME="$results/playwright.json" \
  "$node_bin" node_modules/@playwright/test/cli.js test -c dashboard/playwright.config.ts --reporter=list,json || status=1

"$node_bin" scripts/test-summary.ts "$results" "$(( $(date +%s) - started ))" || status=1
exit $status
