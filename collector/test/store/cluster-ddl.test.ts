import { describe, expect, it } from 'vitest';
import { clusterStatement, migrations, parseCollectorEnv, ttlStatements } from '../../src/index.ts';

const all = migrations.flatMap((m) => m.statements);
const cluster = { cluster: '{cluster}' };

describe('clusterStatement', () => {
  it('leaves DDL untouched without a cluster', () => {
    for (const s of all) expect(clusterStatement(s, undefined)).toBe(s);
  });

  it('puts every CREATE, TRUNCATE and ALTER ON CLUSTER and replicates every MergeTree table', () => {
    for (const s of all) {
      const out = clusterStatement(s, cluster);
      if (/^\s*(CREATE|TRUNCATE)/.test(s))
        expect(out.trim().split('\n')[0]).toContain("ON CLUSTER '{cluster}'");
      if (/^\s*INSERT/.test(s)) expect(out).toBe(s);
      expect(out).not.toMatch(/ENGINE\s*=\s*(Replacing|Aggregating)?MergeTree\b/);
    }
    const out = all.map((s) => clusterStatement(s, cluster)).join('\n');
    expect(out).toContain("CREATE TABLE IF NOT EXISTS otel_metrics_histogram ON CLUSTER '{cluster}' (");
    expect(out).toContain('ENGINE = ReplicatedMergeTree\nPARTITION BY toDate(TimeUnix)');
    expect(out).toContain('ENGINE = ReplicatedAggregatingMergeTree');
    expect(out).toContain('ENGINE = ReplicatedReplacingMergeTree(UpdatedAt)');
    expect(out).toContain(
      "CREATE MATERIALIZED VIEW IF NOT EXISTS otel_traces_trace_id_ts_mv ON CLUSTER '{cluster}'\nTO otel_traces_trace_id_ts",
    );
    expect(out).toContain("TRUNCATE TABLE IF EXISTS otel_metrics_histogram_1m ON CLUSTER '{cluster}'");
  });

  it('keeps plain engines with replicated: false, rewrites ALTER … MODIFY TTL, rejects odd names', () => {
    const [create] = migrations[0]!.statements;
    const out = clusterStatement(create!, { cluster: 'c1', replicated: false });
    expect(out).toContain("otel_metrics_gauge ON CLUSTER 'c1' (");
    expect(out).toContain('ENGINE = MergeTree');
    expect(clusterStatement(ttlStatements({ logs: 3 })[0]!, { cluster: 'c1' })).toBe(
      "ALTER TABLE otel_logs ON CLUSTER 'c1' MODIFY TTL TimestampTime + toIntervalDay(3)",
    );
    expect(() => clusterStatement(create!, { cluster: "x'; DROP" })).toThrow(RangeError);
  });

  it('reads the cluster and TTL settings from the environment', () => {
    const env = parseCollectorEnv({ COLLECTOR_CLUSTER: 'prod', COLLECTOR_TTL_DAYS_METRICS: '30' });
    expect(env.COLLECTOR_CLUSTER).toBe('prod');
    expect(env.COLLECTOR_REPLICATED).toBe('true');
    expect(env.COLLECTOR_TTL_DAYS_METRICS).toBe(30);
    expect(env.COLLECTOR_TTL_DAYS_LOGS).toBeUndefined();
    expect(() => parseCollectorEnv({ COLLECTOR_TTL_DAYS_LOGS: '0' })).toThrow(/COLLECTOR_TTL_DAYS_LOGS/);
  });
});
