// Fixed-window request counters for @fastify/rate-limit: in Redis when it is configured and up (one
// count shared by every instance), else in-process. While Redis is down the limits keep holding per
// instance instead of switching off, the way the response cache keeps answering from L1.
import type { FastifyRateLimitStore } from '@fastify/rate-limit';
import type { Redis } from 'ioredis';

type Count = { current: number; ttl: number };
type Callback = (error: Error | null, result?: Count) => void;

// One round trip: count the request, start the window on the first one, report what is left of it.
const INCREMENT = `local current = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if current == 1 or ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {current, ttl}`;

type WithIncrement = Redis & { rateLimitIncrement(key: string, windowMs: number): Promise<[number, number]> };

/** In-process windows, bounded: the oldest clients are dropped first beyond `maxKeys`. */
export class LocalCounters {
  readonly #windows = new Map<string, { count: number; endsAt: number }>();
  readonly #maxKeys: number;
  readonly #now: () => number;

  constructor(maxKeys: number, now: () => number = Date.now) {
    this.#maxKeys = maxKeys;
    this.#now = now;
  }

  increment(key: string, windowMs: number): Count {
    const now = this.#now();
    let window = this.#windows.get(key);
    if (window === undefined || window.endsAt <= now) {
      this.#windows.delete(key);
      window = { count: 0, endsAt: now + windowMs };
      this.#windows.set(key, window);
      if (this.#windows.size > this.#maxKeys) {
        const oldest = this.#windows.keys().next();
        if (oldest.done !== true) this.#windows.delete(oldest.value);
      }
    }
    window.count += 1;
    return { current: window.count, ttl: window.endsAt - now };
  }
}

export type CounterStoreOptions = {
  redis?: Redis | undefined;
  keyPrefix: string;
  maxLocalKeys?: number;
  /** Called when a Redis count failed and the local one was used instead. */
  onRedisError?: (error: unknown) => void;
};

/** A store class for the plugin's `store` option (it constructs it once; routes share it). */
export function counterStore(options: CounterStoreOptions): new () => FastifyRateLimitStore {
  const local = new LocalCounters(options.maxLocalKeys ?? 100_000);
  const redis = options.redis as WithIncrement | undefined;
  if (redis !== undefined && typeof redis.rateLimitIncrement !== 'function') {
    redis.defineCommand('rateLimitIncrement', { numberOfKeys: 1, lua: INCREMENT });
  }

  return class CounterStore implements FastifyRateLimitStore {
    incr(key: string, callback: Callback, timeWindow: number): void {
      if (redis === undefined || redis.status !== 'ready') {
        callback(null, local.increment(key, timeWindow));
        return;
      }
      redis.rateLimitIncrement(`${options.keyPrefix}${key}`, timeWindow).then(
        ([current, ttl]) => callback(null, { current, ttl }),
        (error: unknown) => {
          options.onRedisError?.(error);
          callback(null, local.increment(key, timeWindow));
        },
      );
    }

    child(): FastifyRateLimitStore {
      return this;
    }
  };
}
