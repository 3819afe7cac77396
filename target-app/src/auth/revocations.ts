// Revoked token ids (logout) and consumed refresh tokens (rotation), kept until the token would have
// expired anyway: in Redis when REDIS_URL is set (shared by every instance), and always in-process, so
// revocation still holds on this instance while Redis is down.
import type { Redis } from 'ioredis';

export type RevocationStore = {
  /** Revokes `jti` until `expiresAt` (epoch seconds). */
  revoke(jti: string, expiresAt: number): Promise<void>;
  isRevoked(jti: string): Promise<boolean>;
  /** Atomically marks `jti` used: true the first time, false for every later call (reuse). */
  consume(jti: string, expiresAt: number): Promise<boolean>;
};

export function createRevocationStore(
  redis: Redis | undefined,
  keyPrefix: string,
  now: () => number = Date.now,
): RevocationStore {
  const local = new Map<string, number>();
  const redisUp = () => redis?.status === 'ready';
  const keyOf = (jti: string) => `${keyPrefix}revoked:${jti}`;
  const ttlMs = (expiresAt: number) => Math.max(1, expiresAt * 1000 - now());
  let lastSweep = now();

  function sweep(): void {
    // Expired entries are dropped at most once a minute: the map only holds live tokens' ids.
    if (now() - lastSweep < 60_000) return;
    lastSweep = now();
    for (const [jti, expiresAt] of local) if (expiresAt * 1000 <= lastSweep) local.delete(jti);
  }

  function localHas(jti: string): boolean {
    const expiresAt = local.get(jti);
    return expiresAt !== undefined && expiresAt * 1000 > now();
  }

  return {
    async revoke(jti, expiresAt) {
      sweep();
      local.set(jti, expiresAt);
      if (redis !== undefined && redisUp()) {
        await redis.set(keyOf(jti), '1', 'PX', ttlMs(expiresAt)).catch(() => undefined);
      }
    },
    async isRevoked(jti) {
      if (localHas(jti)) return true;
      if (redis === undefined || !redisUp()) return false;
      try {
        return (await redis.exists(keyOf(jti))) === 1;
      } catch {
        return false;
      }
    },
    async consume(jti, expiresAt) {
      sweep();
      // Checked and set in one synchronous step: two concurrent uses in this process cannot both win.
      if (localHas(jti)) return false;
      local.set(jti, expiresAt);
      if (redis === undefined || !redisUp()) return true;
      try {
        // SET NX: of several instances racing with the same token, exactly one gets 'OK'.
        return (await redis.set(keyOf(jti), '1', 'PX', ttlMs(expiresAt), 'NX')) === 'OK';
      } catch {
        return true;
      }
    },
  };
}
