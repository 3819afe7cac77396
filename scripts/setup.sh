#!/usr/bin/env bash
# Installs what the product needs on a fresh clone, and skips whatever is already there:
# npm packages (with Node 24 from the npm registry), k6, and — with --with-browser — Chromium
# for the browser tests. Then builds the dashboard when its sources changed.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
with_browser=false
for arg in "$@"; do [ "$arg" = "--with-browser" ] && with_browser=true; done
step() { printf '\n\033[1m[setup] %s\033[0m\n' "$*"; }

step "npm packages"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
if [ ! -x node_modules/.bin/node ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  # `npm install` with the committed lock, not `npm ci`: the registry reachable here lacks some
  # other platforms' optional binaries (e.g. @biomejs/cli-darwin-*), which `npm ci` insists on.
  npm install --no-fund --no-audit --loglevel=error
else
  echo "up to date"
fi
node_bin="$root/node_modules/.bin/node"
node_version="$("$node_bin" --version)"
case "$node_version" in
  v24.*) echo "node $node_version" ;;
  *) echo "expected Node 24 from the npm 'node' package, found $node_version" >&2; exit 1 ;;
esac

step "k6"
bash scripts/install-k6.sh

if $with_browser; then
  step "chromium (browser tests)"
  if [ -x /usr/bin/chromium ]; then
    /usr/bin/chromium --version 2>/dev/null || true
  elif [ "$(id -u)" = "0" ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
      || { echo "could not install chromium with apt-get" >&2; exit 1; }
    /usr/bin/chromium --version
  else
    echo "Chromium is missing: run 'sudo apt-get install -y chromium' (the browser tests use /usr/bin/chromium)" >&2
    exit 1
  fi
fi

step "dashboard build"
# Rebuild only when the sources or the lockfile changed since the last build: the dashboard's, and
# the packages' (Next bundles their subpaths: collector/query, load-tests/model, …).
hash="$(cat package-lock.json dashboard/next.config.* */package.json 2>/dev/null | cat - <(find dashboard/src collector/src load-tests/src alert-rules/src -type f -print0 2>/dev/null | sort -z | xargs -0 cat 2>/dev/null) | sha1sum | cut -d' ' -f1)"
if [ -f dashboard/.next/BUILD_ID ] && [ "$(cat dashboard/.next/.source-hash 2>/dev/null)" = "$hash" ]; then
  echo "up to date"
else
  (cd dashboard && NEXT_TELEMETRY_DISABLED=1 "$node_bin" ../node_modules/next/dist/bin/next build)
  echo "$hash" > dashboard/.next/.source-hash
fi
