// The L2 cache's Redis connection. Redis is an optimisation here: commands fail fast (no offline queue,
// short timeout) while it is down, and the client keeps reconnecting in the background.
import { Redis } from 'ioredis';

export function connectRedis(url: string, commandTimeoutMs: number, onError: (error: Error) => void): Redis {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    commandTimeout: commandTimeoutMs,
    connectTimeout: 1_000,
    maxRetriesPerRequest: 0,
    // Back off to one attempt per 2 s while Redis is away; never give up.
    retryStrategy: (attempt) => Math.min(attempt * 100, 2_000),
  });
  let lastLogged = 0;
  redis.on('error', (error: Error) => {
    // Reconnect attempts fail every 2 s while Redis is down: log at most once a minute.
    if (Date.now() - lastLogged > 60_000) {
      lastLogged = Date.now();
      onError(error);
    }
  });
  return redis;
}

/** Resolves when Redis answers PING within timeoutMs. */
export async function pingRedis(redis: Redis, timeoutMs: number): Promise<void> {
  if (redis.status !== 'ready') throw new Error(`redis is ${redis.status}`);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([redis.ping(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
