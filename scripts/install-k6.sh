#!/usr/bin/env bash
# Installs the pinned k6 into .tools/bin unless a k6 is already on PATH or there.
# `go install go.k6.io/k6/v2@v2.2.0` needs the module proxy's version list for its deprecation
# check, which the proxy reachable here does not serve; building from a throwaway module that
# requires the pinned version fetches the same sources without that look-up.
set -euo pipefail
K6_VERSION="v2.2.0"
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="$root/.tools/bin"
if command -v k6 >/dev/null 2>&1; then echo "k6: using $(command -v k6) ($(k6 version | head -1))"; exit 0; fi
if [ -x "$bin/k6" ] && "$bin/k6" version 2>/dev/null | grep -q "k6 $K6_VERSION"; then echo "k6: using $bin/k6 ($K6_VERSION)"; exit 0; fi
command -v go >/dev/null || { echo "k6: Go is needed to build k6 $K6_VERSION" >&2; exit 1; }
echo "k6: building $K6_VERSION into $bin (one time, about 2 minutes)…"
mkdir -p "$bin"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cat >"$work/go.mod" <<GOMOD
module k6build

go 1.25

require go.k6.io/k6/v2 $K6_VERSION
GOMOD
printf '//go:build tools\n\npackage tools\n\nimport _ "go.k6.io/k6/v2"\n' >"$work/tools.go"
(cd "$work" && GOFLAGS=-mod=mod go mod tidy >/dev/null 2>&1 && GOFLAGS=-mod=mod go build -o "$bin/k6" go.k6.io/k6/v2)
"$bin/k6" version
