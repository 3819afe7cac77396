#!/bin/bash
# ClickHouse server init script (docker-compose mounts it into /docker-entrypoint-initdb.d): the
# user raw `sql:` alert rules run as (CLICKHOUSE_RULES_URL), granted SELECT on the tables rules may
# read and nothing else. The list is alert-rules' ruleReadableTables; a test keeps the two equal.
set -euo pipefail
tables=(
  otel_metrics_gauge otel_metrics_sum otel_metrics_histogram otel_metrics_exponential_histogram
  otel_metrics_summary otel_metrics_histogram_10s otel_metrics_histogram_1m otel_metrics_sum_10s
  otel_metrics_sum_1m otel_traces otel_traces_trace_id_ts otel_logs
  cp_runs cp_run_samples cp_run_baselines cp_alert_events cp_alert_acks cp_notifications cp_silences
)
{
  echo "CREATE USER IF NOT EXISTS rules IDENTIFIED WITH sha256_password BY '${CLICKHOUSE_RULES_PASSWORD:?set CLICKHOUSE_RULES_PASSWORD}';"
  for table in "${tables[@]}"; do echo "GRANT SELECT ON default.${table} TO rules;"; done
} | clickhouse client --user "${CLICKHOUSE_USER:-default}" --password "${CLICKHOUSE_PASSWORD:-}" --multiquery
