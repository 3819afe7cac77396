#!/usr/bin/env bash
# Builds the official OpenTelemetry Collector (core components, v0.165.0) for bench/collector-interop
# into .tools/otelcol/ (gitignored), once: about 5 minutes on 2 cores. Reuses a binary already there.
# `otelcorecol` itself is not on the module proxy, so the distribution is made with the builder.
set -euo pipefail
BUILDER_VERSION="v0.165.0"
root="$(cd "$(dirname "$0")/../.." && pwd)"
tools="$root/.tools/otelcol"
binary="$tools/dist/otelcol-interop"
if [ -x "$binary" ] && "$binary" --version 2>/dev/null | grep -q "0.165.0"; then
  echo "otelcol: using $binary ($("$binary" --version))"; exit 0
fi
command -v go >/dev/null || PATH="/usr/local/go/bin:$PATH"
command -v go >/dev/null || { echo "otelcol: Go is needed to build the collector" >&2; exit 1; }
if ! "$tools/bin/builder" version 2>/dev/null | grep -q "${BUILDER_VERSION#v}"; then
  echo "otelcol: installing the builder $BUILDER_VERSION into $tools/bin…"
  GOBIN="$tools/bin" go install "go.opentelemetry.io/collector/cmd/builder@$BUILDER_VERSION"
fi
echo "otelcol: building into $tools/dist (one time, about 5 minutes)…"
cd "$root"
"$tools/bin/builder" --config "$root/bench/collector-interop/otelcol-builder.yaml"
"$binary" --version
