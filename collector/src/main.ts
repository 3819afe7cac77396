// The collector as its own process (server mode, or embedded when nothing else holds the store).
import { join } from 'node:path';
import { collectorOptionsFromEnv, parseCollectorEnv } from './env.ts';
import { startCollector } from './server/collector-server.ts';
import { createStore } from './store/create-store.ts';

const env = parseCollectorEnv();
const store = await createStore({
  url: env.CLICKHOUSE_URL,
  dataDir: join(env.DATA_DIR, 'chdb'),
  maxMemoryBytes: env.COLLECTOR_STORE_MAX_MEMORY_MB * 1024 * 1024,
  ttlDays: {
    metrics: env.COLLECTOR_TTL_DAYS_METRICS,
    traces: env.COLLECTOR_TTL_DAYS_TRACES,
    logs: env.COLLECTOR_TTL_DAYS_LOGS,
  },
  cluster: env.COLLECTOR_CLUSTER
    ? { cluster: env.COLLECTOR_CLUSTER, replicated: env.COLLECTOR_REPLICATED === 'true' }
    : undefined,
});
const collector = await startCollector({
  store,
  host: env.COLLECTOR_HOST,
  port: env.COLLECTOR_PORT,
  maxBodyBytes: env.COLLECTOR_MAX_BODY_BYTES,
  queueDir: join(env.DATA_DIR, 'collector-queue'),
  queue: { maxBytes: env.COLLECTOR_QUEUE_MAX_BYTES },
  batch: { ackAfter: env.COLLECTOR_ACK_AFTER },
  ...collectorOptionsFromEnv(env),
});
console.log(`collector: OTLP/HTTP on ${collector.url} → ${store.describe}`);

async function shutdown(signal: string): Promise<void> {
  console.log(`collector: ${signal}, draining`);
  await collector.close();
  await store.close();
  process.exit(0);
}
process.once('SIGTERM', () => void shutdown('SIGTERM'));
process.once('SIGINT', () => void shutdown('SIGINT'));
