// One active evaluator among replicas: a Redis lock (SET NX PX with a random token, renewed by
// its holder through a compare-and-extend script). A replica that cannot reach Redis evaluates
// anyway and says so: a duplicate notification (deduplicated downstream by fingerprint and
// PagerDuty's dedup_key) is better than none.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';

export interface EvaluatorLock {
  /** True when this replica holds (or just took, or renewed) the lock. */
  acquire(): Promise<boolean>;
  release(): Promise<void>;
  readonly token: string;
  /** Bumped by any replica that changes silences or acknowledgements; read by the evaluator. */
  readonly suppressionChanges: ChangeSignal;
}

/** A counter in Redis that tells replicas when shared state changed, so they reload it then. */
export interface ChangeSignal {
  /** The counter's current value; null when Redis cannot be reached (the caller then reloads). */
  version(): Promise<string | null>;
  bump(): Promise<void>;
}

const extend = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
const unlock = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

export function createEvaluatorLock(options: {
  url: string;
  key?: string | undefined;
  ttlMs: number;
  log: (message: string) => void;
}): EvaluatorLock {
  const key = options.key ?? 'alert-rules:evaluator';
  const token = randomUUID();
  const redis = new Redis(options.url, {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    enableOfflineQueue: true,
  });
  redis.on('error', () => {}); // reported per acquire() below
  let unreachableLogged = false;
  const changesKey = `${key}:suppression-changes`;
  return {
    token,
    suppressionChanges: {
      async version() {
        try {
          return (await redis.get(changesKey)) ?? '0';
        } catch {
          return null;
        }
      },
      async bump() {
        // Without Redis the other replicas fall back to their periodic reload.
        await redis.incr(changesKey).catch(() => undefined);
      },
    },
    async acquire() {
      try {
        const extended = await redis.eval(extend, 1, key, token, String(options.ttlMs));
        if (Number(extended) === 1) return true;
        const taken = await redis.set(key, token, 'PX', options.ttlMs, 'NX');
        unreachableLogged = false;
        return taken === 'OK';
      } catch (e) {
        if (!unreachableLogged)
          options.log(`evaluator lock: Redis unreachable (${String(e)}); evaluating anyway`);
        unreachableLogged = true;
        return true;
      }
    },
    async release() {
      try {
        await redis.eval(unlock, 1, key, token);
      } catch {
        // the lock expires on its own
      }
      redis.disconnect();
    },
  };
}
