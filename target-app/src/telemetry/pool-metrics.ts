// Connection pool metrics per the OpenTelemetry database conventions: db.client.connection.count by
// state (idle | used), db.client.connection.max and db.client.connection.pending_requests, read from
// the pool when collected; the same on the prom-client registry. Both engines are a `pg` pool (PGlite through its embedded server).
import type { Meter } from '@opentelemetry/api';
import { Gauge } from 'prom-client';
import type { PoolStats } from '../db/database.ts';
import type { PromMetrics } from '../metrics.ts';

const POOL_NAME = 'db.client.connection.pool.name';
const STATE = 'db.client.connection.state';

export function observePoolMetrics(
  meter: Meter,
  prom: PromMetrics,
  poolName: string,
  stats: () => PoolStats | undefined,
): void {
  // UpDownCounters (sums, not monotonic), as the conventions specify: exported cumulative, so the
  // value is the current count whatever the temporality preference for counters.
  const count = meter.createObservableUpDownCounter('db.client.connection.count', {
    unit: '{connection}',
    description: 'Connections in the pool, by state.',
  });
  const max = meter.createObservableUpDownCounter('db.client.connection.max', {
    unit: '{connection}',
    description: 'The most connections the pool may open.',
  });
  const pending = meter.createObservableUpDownCounter('db.client.connection.pending_requests', {
    unit: '{request}',
    description: 'Queries waiting for a free connection.',
  });
  meter.addBatchObservableCallback(
    (result) => {
      const s = stats();
      if (s === undefined) return;
      result.observe(count, s.total - s.idle, { [POOL_NAME]: poolName, [STATE]: 'used' });
      result.observe(count, s.idle, { [POOL_NAME]: poolName, [STATE]: 'idle' });
      result.observe(max, s.max, { [POOL_NAME]: poolName });
      result.observe(pending, s.waiting, { [POOL_NAME]: poolName });
    },
    [count, max, pending],
  );

  const registers = [prom.registry];
  new Gauge({
    name: 'db_client_connection_count',
    help: 'Connections in the pool, by state (idle, used).',
    labelNames: ['pool_name', 'state'],
    registers,
    collect() {
      const s = stats();
      if (s === undefined) return;
      this.set({ pool_name: poolName, state: 'used' }, s.total - s.idle);
      this.set({ pool_name: poolName, state: 'idle' }, s.idle);
    },
  });
  new Gauge({
    name: 'db_client_connection_max',
    help: 'The most connections the pool may open.',
    labelNames: ['pool_name'],
    registers,
    collect() {
      const s = stats();
      if (s !== undefined) this.set({ pool_name: poolName }, s.max);
    },
  });
  new Gauge({
    name: 'db_client_connection_pending_requests',
    help: 'Queries waiting for a free connection.',
    labelNames: ['pool_name'],
    registers,
    collect() {
      const s = stats();
      if (s !== undefined) this.set({ pool_name: poolName }, s.waiting);
    },
  });
}
