// Ended sign-in sessions (logout), kept until the last access token of the session would have expired
// anyway: in Redis when REDIS_URL is set (shared by every instance), and always in-process, so
// revocation still holds on this instance while Redis is down. Refresh tokens need none of this: they
// are rows in refresh_tokens, deleted when spent or when their session ends.
import type { Redis } from 'ioredis';

export type RevocationStore = {
  /** Revokes `id` (a session id) until `expiresAt` (epoch seconds). */
  revoke(id: string, expiresAt: number): Promise<void>;
  isRevoked(id: string): Promise<boolean>;
};

export function createRevocationStore(
  redis: Redis | undefined,
  keyPrefix: string,
  now: () => number = Date.now,
): RevocationStore {
  const local = new Map<string, number>();
  const redisUp = () => redis?.status === 'ready';
  const keyOf = (id: string) => `${keyPrefix}revoked:${id}`;
  const ttlMs = (expiresAt: number) => Math.max(1, expiresAt * 1000 - now());
  let lastSweep = now();

  function sweep(): void {
    // Expired entries are dropped at most once a minute: the map only holds live sessions' ids.
    if (now() - lastSweep < 60_000) return;
    lastSweep = now();
    for (const [id, expiresAt] of local) if (expiresAt * 1000 <= lastSweep) local.delete(id);
  }

  function localHas(id: string): boolean {
    const expiresAt = local.get(id);
    return expiresAt !== undefined && expiresAt * 1000 > now();
  }

  return {
    async revoke(id, expiresAt) {
      sweep();
      local.set(id, expiresAt);
      if (redis !== undefined && redisUp()) {
        await redis.set(keyOf(id), '1', 'PX', ttlMs(expiresAt)).catch(() => undefined);
      }
    },
    async isRevoked(id) {
      if (localHas(id)) return true;
      if (redis === undefined || !redisUp()) return false;
      try {
        return (await redis.exists(keyOf(id))) === 1;
      } catch {
        return false;
      }
    },
  };
}
