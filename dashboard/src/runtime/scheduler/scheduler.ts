// Scheduled runs in the dashboard process: one timer set to the earliest due time of the live
// schedules (no polling); at a due time the schedule's run is launched, tagged `schedule:<id>`,
// unless its previous run is still active (skipped, with the reason). At start the missed-schedule
// rule (due-times.ts) decides what happens to due times passed while the dashboard was down. When
// a scheduled run ends, its verdict goes to the schedule's webhook or Slack URL (run-notice.ts).
// With a lock (REDIS_URL, shared by replicas), only its holder launches; the others re-read the
// store at least every minute so a change made on another replica is seen.
import type { Store } from 'collector';
import { type EndedRun, isTerminal, type Launcher, type RunLimits } from 'load-tests';
import type { Role } from '../../lib/roles.ts';
import type { ScheduleOutcome, ScheduleView } from '../../lib/schedule-view.ts';
import { decideDue, nextDue } from '../../server/schedules/due-times.ts';
import { ScheduleNotFoundError } from '../../server/schedules/schedule-errors.ts';
import type { ScheduleInput } from '../../server/schedules/schedule-input.ts';
import { readSchedules, type Schedule, writeSchedule } from '../../server/schedules/schedule-store.ts';
import { deliverNotice, judgeScheduledRun, noticeBody } from './run-notice.ts';
import { newSchedule, viewOf } from './schedule-record.ts';

export interface SchedulerLock {
  acquire(): Promise<boolean>;
  release(): Promise<void>;
}

export interface SchedulerOptions {
  client: Store['client'];
  launcher: Launcher;
  /** The load-test allowlist; a schedule without a target takes the first. */
  targets: string[];
  runLimits?: { qa: RunLimits; admin: RunLimits } | undefined;
  /** service.name of the target's telemetry (the comparison's server-side figures). */
  serverService: string;
  /** Base of the run links in notifications (PUBLIC_URL, else http://HOST:PORT). */
  externalUrl: string;
  lock?: SchedulerLock | null;
  now?: () => number;
  log: (line: string) => void;
}

export interface Scheduler {
  /** Loads the schedules and applies the missed-schedule rule once; then the timer runs. */
  start(): Promise<void>;
  list(): Promise<ScheduleView[]>;
  create(input: ScheduleInput, by: { name: string; role: Role }): Promise<ScheduleView>;
  setPaused(id: string, paused: boolean): Promise<ScheduleView>;
  remove(id: string): Promise<Schedule>;
  /** Called after every change this process makes to a schedule (the Schedules page's live stream). */
  subscribe(listener: () => void): () => void;
  stop(): Promise<void>;
}

/** How long a replica behind a lock trusts its copy of the schedules. */
const REPLICA_REFRESH_MS = 60_000;
const MAX_TIMER_MS = 2_147_483_647;

export function createScheduler(opts: SchedulerOptions): Scheduler {
  const now = opts.now ?? Date.now;
  const lock = opts.lock ?? null;
  const schedules = new Map<string, Schedule>();
  let chain: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout | null = null;
  const listeners = new Set<() => void>();
  let closed = false;
  /** Behind a lock another replica holds: look again in a minute, not at every due time it handles. */
  let standby = false;

  /** One change at a time: ticks, edits and notices never interleave their read-modify-writes. */
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = chain.then(fn, fn);
    chain = next.catch(() => undefined);
    return next;
  };

  const refresh = async () => {
    const rows = await readSchedules(opts.client);
    schedules.clear();
    for (const s of rows) schedules.set(s.id, s);
  };

  const save = async (s: Schedule) => {
    // A newer row must win FINAL even when two changes land in the same millisecond.
    s.updatedAt = Math.max(now(), s.updatedAt + 1);
    await writeSchedule(opts.client, s);
    if (s.deleted) schedules.delete(s.id);
    else schedules.set(s.id, s);
    for (const listener of listeners) {
      try {
        listener();
      } catch (error) {
        opts.log(`scheduler: a listener threw: ${String(error)}`);
      }
    }
  };

  const limitsOf = (role: 'qa' | 'admin'): RunLimits | undefined => {
    const own = opts.runLimits?.[role];
    return own ? { ...own, appliesTo: `the ${role} role` } : undefined;
  };

  const arm = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (closed) return;
    let earliest = Number.POSITIVE_INFINITY;
    for (const s of schedules.values()) {
      if (s.paused) continue;
      const next = nextDue(s.cron, s.timeZone, s.dueFrom);
      if (next !== null) earliest = Math.min(earliest, next);
    }
    const cap = lock ? REPLICA_REFRESH_MS : MAX_TIMER_MS;
    const delay = standby ? cap : Math.min(Math.max(0, earliest - now()), cap);
    if (!Number.isFinite(delay)) return;
    timer = setTimeout(() => {
      serial(tick).catch((error: unknown) => opts.log(`scheduler: tick failed: ${String(error)}`));
    }, delay);
    timer.unref();
  };

  const watch = (scheduleId: string, runId: string) => {
    opts.launcher
      .whenEnded(runId)
      .then((run) => notify(scheduleId, run))
      .catch((error: unknown) => opts.log(`scheduler: notice for ${runId} failed: ${String(error)}`));
  };

  const notify = async (scheduleId: string, run: EndedRun) => {
    const s = schedules.get(scheduleId);
    if (!s) return;
    let verdict: Awaited<ReturnType<typeof judgeScheduledRun>>;
    try {
      verdict = await judgeScheduledRun(opts.client, run, opts.serverService);
    } catch (error) {
      verdict = {
        verdict: 'failed',
        failures: [`could not judge the run: ${(error as Error).message}`],
        baselineRunId: null,
        regressions: [],
      };
    }
    const runUrl = `${opts.externalUrl}/runs/${run.id}`;
    const delivery = s.notifyUrl
      ? await deliverNotice(s.notifyUrl, noticeBody(s.notifyFormat, { schedule: s, run, verdict, runUrl }))
      : 'no notification URL';
    if (delivery.startsWith('not delivered')) opts.log(`scheduler: ${s.id} notice for ${run.id} ${delivery}`);
    await serial(async () => {
      const cur = schedules.get(scheduleId);
      if (!cur) return;
      cur.lastNotice = { runId: run.id, at: now(), verdict: verdict.verdict, delivery };
      await save(cur);
    });
  };

  /** The schedule's run for a due time: launched, skipped (previous still active) or refused. */
  const fire = (s: Schedule, dueAt: number): ScheduleOutcome => {
    const previous = s.lastRunId ? opts.launcher.get(s.lastRunId) : undefined;
    if (previous && !isTerminal(previous.state))
      return {
        type: 'skipped',
        dueAt,
        reason: `skipped: the previous run ${previous.id} was still ${previous.state}`,
      };
    try {
      const run = opts.launcher.launch({
        scenario: s.scenario,
        params: s.params,
        launchedBy: `schedule:${s.id}`,
        limits: limitsOf(s.createdRole),
      });
      s.lastRunId = run.id;
      watch(s.id, run.id);
      return { type: 'launched', dueAt, runId: run.id };
    } catch (error) {
      return { type: 'refused', dueAt, reason: `not launched: ${(error as Error).message}` };
    }
  };

  /** Handles every schedule whose due time has come; the timer is set again whatever happens. */
  const tick = async () => {
    if (closed) return;
    try {
      if (lock) {
        await refresh();
        standby = !(await lock.acquire());
        if (standby) return;
      }
      const t = now();
      for (const s of [...schedules.values()]) {
        if (s.paused) continue;
        try {
          const decision = decideDue(s.cron, s.timeZone, s.dueFrom, t);
          if (decision.type === 'wait') continue;
          s.last =
            decision.type === 'run'
              ? fire(s, decision.dueAt)
              : { type: 'missed', dueAt: decision.dueAt, reason: decision.reason };
          // Handled in memory first: a store that fails the write below cannot cause a second launch.
          s.dueFrom = decision.dueAt;
          opts.log(
            `scheduler: ${s.id} (${s.name}) ${s.last.type === 'launched' ? `launched ${s.last.runId}` : s.last.reason}`,
          );
          await save(s);
        } catch (error) {
          opts.log(`scheduler: ${s.id} (${s.name}): ${(error as Error).message}`);
        }
      }
    } finally {
      arm();
    }
  };

  const view = (s: Schedule) => viewOf(s, { launcher: opts.launcher, client: opts.client, now: now() });

  const existing = (id: string) => {
    const s = schedules.get(id);
    if (!s) throw new ScheduleNotFoundError(id);
    return s;
  };

  return {
    start: () =>
      serial(async () => {
        await opts.launcher.reconciled;
        await refresh();
        await tick();
      }),

    list: () =>
      serial(async () => {
        if (lock) await refresh();
        return Promise.all([...schedules.values()].map(view));
      }),

    create: (input, by) =>
      serial(async () => {
        if (lock) await refresh();
        // The same checks a launch gets, now rather than at 3 a.m.
        const s = newSchedule(input, by, { targets: opts.targets, limitsOf, now: now() });
        await save(s);
        arm();
        return view(s);
      }),

    setPaused: (id, paused) =>
      serial(async () => {
        if (lock) await refresh();
        const s = existing(id);
        if (s.paused !== paused) {
          s.paused = paused;
          // Due times during a pause are not made up on resume.
          if (!paused) s.dueFrom = Math.max(s.dueFrom, now());
          await save(s);
          arm();
        }
        return view(s);
      }),

    remove: (id) =>
      serial(async () => {
        if (lock) await refresh();
        const s = existing(id);
        s.deleted = true;
        await save(s);
        arm();
        return s;
      }),

    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    async stop() {
      closed = true;
      if (timer) clearTimeout(timer);
      await chain;
      await lock?.release();
    },
  };
}
