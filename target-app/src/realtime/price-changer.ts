// The price changer inside the service: every interval it moves the prices of a few random cars by
// 0.5–5 % (database first, then the bus), so the real-time feed has something to deliver. Ticks never
// overlap (a setTimeout chain); the admin API switches it and changes its pace at run time.
import { z } from 'zod';
import type { PriceChange } from './messages.ts';
import type { PriceBus } from './price-bus.ts';
import type { PriceStore } from './price-store.ts';

export const priceChangerSettingsSchema = z.strictObject({
  enabled: z.boolean(),
  intervalMs: z.number().int().min(10, 'must be at least 10 ms').max(3_600_000, 'must be at most an hour'),
  changesPerTick: z.number().int().min(1, 'must be at least 1').max(1_000, 'must be at most 1000'),
});

export type PriceChangerSettings = z.output<typeof priceChangerSettingsSchema>;

export type PriceChangerState = PriceChangerSettings & {
  ticks: number;
  changes: number;
  errors: number;
  lastTickAt: string | null;
  updatedAt: string;
};

export type PriceChanger = {
  state(): PriceChangerState;
  /** Switching off resolves once a tick in flight has finished: no change follows the answer. */
  configure(settings: PriceChangerSettings): Promise<PriceChangerState>;
  /** One tick now, outside the schedule (tests, and a manual nudge). */
  tick(): Promise<PriceChange[]>;
  stop(): Promise<void>;
};

export type PriceChangerOptions = {
  store: PriceStore;
  bus: PriceBus;
  /** Car ids are 1..carCount. */
  carCount: number;
  settings: PriceChangerSettings;
  onError: (error: unknown) => void;
  onChanges?: (count: number) => void;
  random?: () => number;
};

/** `count` distinct ids in 1..max. */
export function pickCarIds(count: number, max: number, random: () => number): number[] {
  const wanted = Math.min(count, max);
  const picked = new Set<number>();
  while (picked.size < wanted) picked.add(1 + Math.floor(random() * max));
  return [...picked];
}

/** A factor of 0.95–0.995 or 1.005–1.05: every change is visible. */
export function priceFactor(random: () => number): number {
  const size = 0.005 + random() * 0.045;
  return random() < 0.5 ? 1 - size : 1 + size;
}

export function createPriceChanger(options: PriceChangerOptions): PriceChanger {
  const random = options.random ?? Math.random;
  let settings = options.settings;
  let updatedAt = new Date().toISOString();
  let ticks = 0;
  let changes = 0;
  let errors = 0;
  let lastTickAt: string | null = null;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<PriceChange[]> | undefined;
  let stopped = false;

  const state = (): PriceChangerState => ({ ...settings, ticks, changes, errors, lastTickAt, updatedAt });

  async function tickOnce(): Promise<PriceChange[]> {
    const ids = pickCarIds(settings.changesPerTick, options.carCount, random);
    const changed = await options.store.changePrices(
      ids.map((carId) => ({ carId, factor: priceFactor(random) })),
    );
    ticks++;
    changes += changed.length;
    lastTickAt = new Date().toISOString();
    options.onChanges?.(changed.length);
    await options.bus.publish(changed);
    return changed;
  }

  function tick(): Promise<PriceChange[]> {
    // Serialised: a manual tick waits for a scheduled one in flight.
    const next = (running ?? Promise.resolve([])).catch(() => []).then(tickOnce);
    running = next;
    return next;
  }

  function schedule(): void {
    clearTimeout(timer);
    timer = undefined;
    if (stopped || !settings.enabled) return;
    timer = setTimeout(() => {
      tick()
        .catch((error: unknown) => {
          errors++;
          options.onError(error);
        })
        .finally(schedule);
    }, settings.intervalMs);
    timer.unref();
  }

  schedule();
  return {
    state,
    async configure(next) {
      settings = { ...next };
      updatedAt = new Date().toISOString();
      schedule();
      if (!settings.enabled) await running?.catch(() => undefined);
      return state();
    },
    tick,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running?.catch(() => undefined);
    },
  };
}
