// Failed sign-ins slow down whoever fails, not the account: each (account, client) pair and each
// client across all accounts get a few free attempts, then a wait that doubles with every further
// failure (capped). Nobody can lock `admin` out for others, and a guesser from one address gets a
// handful of tries an hour. Attempts are counted when they start, before any hashing, so a burst of
// concurrent requests is judged as the sequence of attempts it is.

export interface ThrottleLimits {
  /** Failures allowed before the waits start. */
  free: number;
  /** The first wait; each further failure doubles it, up to maxWaitMs. */
  firstWaitMs: number;
  maxWaitMs: number;
}

export const PAIR_LIMITS: ThrottleLimits = { free: 3, firstWaitMs: 1_000, maxWaitMs: 15 * 60_000 };
export const CLIENT_LIMITS: ThrottleLimits = { free: 10, firstWaitMs: 1_000, maxWaitMs: 15 * 60_000 };
/** A key with no failure for this long starts afresh. */
const FORGET_AFTER_MS = 60 * 60_000;
/** Bound on remembered keys (an attacker rotating addresses must not grow memory without end). */
const MAX_KEYS = 50_000;

/** 'not-tried': refused before the password was checked (hashing busy); counts as nothing. */
export type AttemptOutcome = 'signed-in' | 'failed' | 'not-tried';

export type ThrottleDecision =
  | { type: 'go' /** Call once the attempt is over. */; settle(outcome: AttemptOutcome): void }
  | {
      type: 'wait';
      retryAfterSeconds: number /** The first refusal since the last failure. */;
      first: boolean;
    };

export interface SignInThrottle {
  /** Reserves an attempt for `account` from `client`, or says how long to wait. Synchronous. */
  begin(account: string, client: string): ThrottleDecision;
}

interface Entry {
  failures: number;
  inFlight: number;
  /** When the latest attempt started or failed, whichever is later. */
  lastAt: number;
  refusedSinceFailure: boolean;
}

/** How long after `lastAt` the next attempt must wait, counting attempts still in flight as failures. */
export function waitMs(entry: Pick<Entry, 'failures' | 'inFlight'>, limits: ThrottleLimits): number {
  const over = entry.failures + entry.inFlight - limits.free;
  if (over < 0) return 0;
  return Math.min(limits.maxWaitMs, limits.firstWaitMs * 2 ** Math.min(over, 30));
}

export function createSignInThrottle(now: () => number = Date.now): SignInThrottle {
  const entries = new Map<string, Entry>();

  const entryOf = (key: string, t: number): Entry => {
    let entry = entries.get(key);
    if (entry && entry.inFlight === 0 && t - entry.lastAt > FORGET_AFTER_MS) {
      entries.delete(key);
      entry = undefined;
    }
    if (!entry) {
      if (entries.size >= MAX_KEYS) prune(t);
      entry = { failures: 0, inFlight: 0, lastAt: t, refusedSinceFailure: false };
      entries.set(key, entry);
    }
    return entry;
  };

  function prune(t: number) {
    for (const [key, e] of entries)
      if (e.inFlight === 0 && t - e.lastAt > FORGET_AFTER_MS) entries.delete(key);
    // Still full: forget the oldest half (Map keeps insertion order).
    if (entries.size >= MAX_KEYS) {
      let drop = entries.size / 2;
      for (const key of entries.keys()) {
        if (drop-- <= 0) break;
        entries.delete(key);
      }
    }
  }

  return {
    begin(account, client) {
      const t = now();
      const keyed = [
        { entry: entryOf(`${account}\u0000${client}`, t), limits: PAIR_LIMITS },
        { entry: entryOf(`\u0000${client}`, t), limits: CLIENT_LIMITS },
      ];
      const readyAt = Math.max(...keyed.map(({ entry, limits }) => entry.lastAt + waitMs(entry, limits)));
      if (readyAt > t) {
        const first = keyed.some(({ entry }) => !entry.refusedSinceFailure);
        for (const { entry } of keyed) entry.refusedSinceFailure = true;
        return { type: 'wait', retryAfterSeconds: Math.max(1, Math.ceil((readyAt - t) / 1000)), first };
      }
      for (const { entry } of keyed) {
        entry.inFlight++;
        entry.lastAt = t;
      }
      let settled = false;
      return {
        type: 'go',
        settle(outcome) {
          if (settled) return;
          settled = true;
          const done = now();
          for (const { entry } of keyed) {
            entry.inFlight--;
            if (outcome === 'failed') {
              entry.failures++;
              entry.lastAt = done;
              entry.refusedSinceFailure = false;
            }
          }
          // A right password clears that account's count from this client (not the client's own).
          if (outcome === 'signed-in') {
            const pair = keyed[0]?.entry;
            if (pair) pair.failures = 0;
          }
        },
      };
    },
  };
}
