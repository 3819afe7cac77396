// Assembles the real-time price feed for one app instance: price_history table, bus (Redis or
// in-process), hub of sockets, and the price changer; and takes them down in the reverse order.
import type { Meter } from '@opentelemetry/api';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { TwoLevelCache } from '../cache/two-level-cache.ts';
import type { Database } from '../db/database.ts';
import type { Config } from '../env.ts';
import type { PromMetrics } from '../metrics.ts';
import type { DbInstrumentation } from '../telemetry/db-client.ts';
import { createInProcessBus, createRedisBus, type PriceBus } from './price-bus.ts';
import { createPriceChanger, type PriceChanger, type PriceChangerSettings } from './price-changer.ts';
import { registerPriceHistoryRoutes } from './price-history-routes.ts';
import { createPriceHub, type PriceHub } from './price-hub.ts';
import { createPriceStore, ensurePriceHistory } from './price-store.ts';
import { createRealtimeMetrics } from './realtime-metrics.ts';

export type Realtime = {
  bus: PriceBus;
  hub: PriceHub;
  changer: PriceChanger;
  /** The configured settings: what PUT /admin/price-changer falls back to. */
  defaults: PriceChangerSettings;
  /** Adds GET /api/cars/:id/prices to the /api instance. */
  registerApiRoutes(api: FastifyInstance): void;
  close(): Promise<void>;
};

export type RealtimeOptions = {
  config: Pick<
    Config,
    'carCount' | 'cacheKeyPrefix' | 'priceChangerEnabled' | 'priceChangeIntervalMs' | 'priceChangesPerTick'
  >;
  database: Database;
  instrumentation: DbInstrumentation;
  meter: Meter;
  prom: PromMetrics;
  cache: TwoLevelCache;
  redis?: Redis | undefined;
  warn: (message: string, error?: unknown) => void;
};

export async function startRealtime(options: RealtimeOptions): Promise<Realtime> {
  const { config, database } = options;
  await database.withSession((session) => ensurePriceHistory((sql) => session.exec(sql)));
  const metrics = createRealtimeMetrics(options.meter, options.prom);
  let lastWarned = 0;
  let lastTickWarning = 0;
  const bus =
    options.redis === undefined
      ? createInProcessBus()
      : createRedisBus({
          redis: options.redis,
          channel: `${config.cacheKeyPrefix}prices`,
          onError: (error) => {
            // Redis is down: delivery falls back to this instance. Say so once a minute at most.
            if (Date.now() - lastWarned < 60_000) return;
            lastWarned = Date.now();
            options.warn('price bus: redis publish failed, delivering to local clients only', error);
          },
        });
  // A changed price makes this instance's cached copy of the car stale, whichever instance changed it.
  const unsubscribeCache = bus.subscribe((change) => {
    void options.cache.invalidate('car', String(change.carId)).catch(() => undefined);
  });
  const hub = createPriceHub(bus, metrics);
  const defaults: PriceChangerSettings = {
    enabled: config.priceChangerEnabled,
    intervalMs: config.priceChangeIntervalMs,
    changesPerTick: config.priceChangesPerTick,
  };
  const changer = createPriceChanger({
    store: createPriceStore(database, options.instrumentation),
    bus,
    carCount: config.carCount,
    settings: defaults,
    onChanges: (count) => metrics.priceChanges(count),
    // While the database is down every tick fails: say so once a minute, not once a tick.
    onError: (error) => {
      if (Date.now() - lastTickWarning < 60_000) return;
      lastTickWarning = Date.now();
      options.warn('price changer tick failed', error);
    },
  });
  return {
    bus,
    hub,
    changer,
    defaults,
    registerApiRoutes: (api) => registerPriceHistoryRoutes(api, database, options.instrumentation),
    async close() {
      await changer.stop();
      hub.detach();
      unsubscribeCache();
      await bus.close();
    },
  };
}
