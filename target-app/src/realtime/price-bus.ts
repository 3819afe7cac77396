// Where price changes travel from the changer to the sockets: Redis pub/sub when REDIS_URL is set, so
// every instance delivers every change to its own clients; an in-process emitter otherwise.
import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import { type PriceChange, priceChangeSchema } from './messages.ts';

export type PriceListener = (change: PriceChange) => void;

export type PriceBus = {
  readonly kind: 'redis' | 'in-process';
  publish(changes: readonly PriceChange[]): Promise<void>;
  subscribe(listener: PriceListener): () => void;
  close(): Promise<void>;
};

function localFanOut() {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    emit: (change: PriceChange) => emitter.emit('price', change),
    subscribe(listener: PriceListener) {
      emitter.on('price', listener);
      return () => void emitter.off('price', listener);
    },
  };
}

export function createInProcessBus(): PriceBus {
  const local = localFanOut();
  return {
    kind: 'in-process',
    async publish(changes) {
      for (const change of changes) local.emit(change);
    },
    subscribe: local.subscribe,
    close: async () => {},
  };
}

export type RedisBusOptions = {
  /** The app's command connection (publishes); a duplicate is opened for the subscription. */
  redis: Redis;
  channel: string;
  onError: (error: Error) => void;
};

/**
 * Redis pub/sub. While Redis is disconnected, changes go to this instance's own clients instead, so
 * a single instance keeps its feed alive. A publish that fails otherwise (a timeout) may still have
 * reached Redis: it is reported, not delivered twice.
 */
export function createRedisBus(options: RedisBusOptions): PriceBus {
  const local = localFanOut();
  // A subscribed connection cannot run other commands, hence the second connection. Subscribing on
  // every 'ready' covers the first connect and every reconnect after Redis was away.
  const subscriber = options.redis.duplicate({ enableOfflineQueue: true, commandTimeout: undefined });
  subscriber.on('error', () => {});
  subscriber.on('ready', () => {
    subscriber.subscribe(options.channel).catch((error: Error) => options.onError(error));
  });
  subscriber.on('message', (channel: string, text: string) => {
    if (channel !== options.channel) return;
    try {
      const parsed = priceChangeSchema.array().safeParse(JSON.parse(text));
      if (parsed.success) for (const change of parsed.data) local.emit(change);
    } catch {
      // Not ours (someone else published on the channel): ignored.
    }
  });
  return {
    kind: 'redis',
    async publish(changes) {
      if (changes.length === 0) return;
      if (options.redis.status !== 'ready') {
        options.onError(new Error(`redis is ${options.redis.status}`));
        for (const change of changes) local.emit(change);
        return;
      }
      try {
        await options.redis.publish(options.channel, JSON.stringify(changes));
      } catch (error) {
        options.onError(error as Error);
      }
    },
    subscribe: local.subscribe,
    async close() {
      subscriber.disconnect();
    },
  };
}
