// The collector as its own process (server mode, or embedded when nothing else holds the store).
import { collectorOptionsFromEnv, parseCollectorEnv, storeOptionsFromEnv } from './env.ts';
import { startCollector } from './server/collector-server.ts';
import { createStore } from './store/create-store.ts';

const env = parseCollectorEnv();
const store = await createStore(storeOptionsFromEnv(env));
const collector = await startCollector({ store, ...collectorOptionsFromEnv(env) });
console.log(`collector: OTLP/HTTP on ${collector.url} → ${store.describe}`);

async function shutdown(signal: string): Promise<void> {
  console.log(`collector: ${signal}, draining`);
  await collector.close();
  await store.close();
  process.exit(0);
}
process.once('SIGTERM', () => void shutdown('SIGTERM'));
process.once('SIGINT', () => void shutdown('SIGINT'));
