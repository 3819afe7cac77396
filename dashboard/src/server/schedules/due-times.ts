// When a schedule is due, and what to do with due times that passed unhandled (the dashboard was
// down, or its timer woke late): pure functions of the cron, its time zone and a clock, so the
// missed-schedule rule (MISSED_RULE) is tested with fixed clocks.
import { Cron } from 'croner';

/**
 * How old the latest missed due time may be and still run at start. (A grace of "one interval"
 * would say nothing more: the latest missed due time is always younger than the gap to the next.)
 */
export const GRACE_MS = 3_600_000;

const cronOf = (cron: string, timeZone: string) => new Cron(cron, { timezone: timeZone, paused: true });

/** The first due time strictly after `after` (unix ms); null when the cron never fires again. */
export function nextDue(cron: string, timeZone: string, after: number): number | null {
  return cronOf(cron, timeZone).nextRun(new Date(after))?.getTime() ?? null;
}

/** What the scheduler does for a schedule whose due times after `dueFrom` may have passed by `now`. */
export type DueDecision =
  | { type: 'wait'; nextAt: number | null }
  /** Run now for the latest due time (`missed` earlier ones collapse into it). */
  | { type: 'run'; dueAt: number; missed: number }
  /** The latest due time is older than its grace: skipped, recorded as missed. */
  | { type: 'skip'; dueAt: number; missed: number; reason: string };

const skipped = (dueAt: number, now: number, missed: number): DueDecision => ({
  type: 'skip',
  dueAt,
  missed,
  reason: `missed: due ${new Date(dueAt).toISOString()}, ${Math.round((now - dueAt) / 1000)} s before the dashboard could run it (grace ${GRACE_MS / 1000} s)`,
});

/**
 * The due times in (dueFrom, now]: none → wait for the next one; else the latest of them, run when
 * it is at most GRACE_MS old, skipped (shown as missed) otherwise; earlier ones collapse into it.
 * Due times are walked only within the last GRACE_MS: anything older is skipped anyway.
 */
export function decideDue(cron: string, timeZone: string, dueFrom: number, now: number): DueDecision {
  const job = cronOf(cron, timeZone);
  const first = job.nextRun(new Date(dueFrom))?.getTime() ?? null;
  if (first === null || first > now) return { type: 'wait', nextAt: first };
  let latest = first;
  let missed = 0;
  let cursor = Math.max(first, now - GRACE_MS - 1);
  if (cursor > first) {
    // Jump close to now; the due times between first and the window only count as missed.
    const inWindow = job.nextRun(new Date(cursor))?.getTime() ?? null;
    if (inWindow === null || inWindow > now) return skipped(first, now, 1);
    missed = 1; // at least `first`, which lies before the window
    latest = inWindow;
    cursor = inWindow;
  }
  for (;;) {
    const next = job.nextRun(new Date(cursor))?.getTime() ?? null;
    if (next === null || next > now) {
      if (now - latest <= GRACE_MS) return { type: 'run', dueAt: latest, missed };
      return skipped(latest, now, missed + 1);
    }
    missed += 1;
    latest = next;
    cursor = next;
  }
}
