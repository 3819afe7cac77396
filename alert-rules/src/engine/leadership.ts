// Who evaluates, and from what state: with a Redis lock only its holder evaluates (a standby shows
// what the leader recorded); whoever takes over — or starts — first reloads every alert's last
// state from cp_alert_events, so it neither forgets a firing alert nor notifies it again.
import type { Store } from 'collector';
import { lastAlertStates } from '../store/alert-events.ts';
import type { EvaluatorLock } from './evaluator-lock.ts';
import type { RuleInstances } from './rule-instances.ts';

export interface Leadership {
  /** With a lock: true while this replica holds it (taking it over forgets the restored state). */
  mayEvaluate(): Promise<boolean>;
  /** Loads the stored states once (again after a failure, a takeover or `reloadNext`). */
  restore(): Promise<void>;
  /** The next restore() reads the store again (a standby following the leader). */
  reloadNext(): void;
  role(): 'leader' | 'standby' | 'single';
}

export function createLeadership(
  client: Store['client'],
  lock: EvaluatorLock | null,
  ruleSets: readonly RuleInstances[],
): Leadership {
  let leader = false;
  let restored: Promise<void> | null = null;
  return {
    async mayEvaluate() {
      if (!lock) return true;
      const holds = await lock.acquire();
      if (holds && !leader) restored = null;
      leader = holds;
      return holds;
    },
    restore() {
      restored ??= lastAlertStates(client).then(
        (rows) => {
          for (const set of ruleSets) set.restore(rows);
        },
        (error: unknown) => {
          restored = null; // try again on the next evaluation rather than notify from a blank slate
          throw error;
        },
      );
      return restored;
    },
    reloadNext() {
      restored = null;
    },
    role: () => (lock ? (leader ? 'leader' : 'standby') : 'single'),
  };
}
