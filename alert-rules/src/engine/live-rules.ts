// The fast path: threshold rules over short windows evaluated on arriving data. The engine
// subscribes to the collector's accepted batches (in the same process); each batch's rows go into
// the windows of the rules that read them, and those rules are evaluated at once — at most once
// per `debounceMs`, so a burst costs one or two evaluations — besides their interval tick. A rule
// is also evaluated when a row leaves its window (its stamp + the window has passed; at most once
// per `debounceMs` too), so a resolve does not wait for the next batch or tick. Each window is
// seeded from the store first (at start and after a restart), so it continues where the store is.
import type { AcceptedMetrics, AcceptedMetricsListener, Store } from 'collector';
import { bothWindows, type GroupedRuleValue } from '../evaluate.ts';
import { queryWindowRows } from '../query/window-rows.ts';
import type { Rule, StatRule } from '../rule-schema.ts';
import { ruleReads } from './live-filter.ts';
import { batchRows, createLiveWindow, type LiveWindow } from './live-window.ts';

/** Subscribes a listener to accepted batches and returns its unsubscribe (CollectorServer.onAcceptedMetrics). */
export type SubscribeAcceptedMetrics = (listener: AcceptedMetricsListener) => () => void;

export interface LiveRulesOptions {
  client: Store['client'];
  rules: readonly Rule[];
  subscribe: SubscribeAcceptedMetrics;
  /**
   * true: values come from memory. false: arriving data only triggers evaluations, whose values
   * come from the store (replicas behind a lock: this process's collector sees only its share).
   */
  inMemory: boolean;
  /** Rules whose batch landed: evaluate them (called once per burst). */
  onData: (rules: ReadonlySet<string>) => void;
  log: (message: string) => void;
  now: () => number;
  /**
   * At most one evaluation per this long (default 25 ms): the first batch after a quiet spell is
   * evaluated at once, the batches landing within this time after it together once it is over.
   */
  debounceMs?: number | undefined;
  /** Longest window held in memory (default 10 min); longer windows read the store. */
  maxWindowMs?: number | undefined;
  /** Rows one rule may hold; past it the rule goes back to the store (default 200,000). */
  maxRows?: number | undefined;
  /**
   * A second seed this long after start() (default 10 s): it picks up rows the collector had
   * acknowledged before the subscription but not stored yet at the first seed (it coalesces light
   * traffic in its queue for COLLECTOR_COALESCE_MS, 5 s on the embedded store). Rows count once.
   */
  reseedAfterMs?: number | undefined;
}

export interface LiveRules {
  /** Names of the rules that take the fast path. */
  readonly names: ReadonlySet<string>;
  start(): void;
  stop(): void;
  /** The rule's values from memory, or undefined: ask the store (not a live rule, not seeded yet, or trigger-only). */
  values(rule: Rule): ((now: number) => GroupedRuleValue[]) | undefined;
}

export const defaultMaxLiveWindowMs = 10 * 60_000;

/** A stat rule whose window (both, for a burn-rate rule) is at most maxWindowMs takes the fast path. */
export function takesFastPath(rule: Rule, maxWindowMs = defaultMaxLiveWindowMs): rule is StatRule {
  return rule.type === 'stat' && rule.windowMs <= maxWindowMs && (rule.shortWindowMs ?? 0) <= maxWindowMs;
}

export function createLiveRules(options: LiveRulesOptions): LiveRules {
  const maxWindowMs = options.maxWindowMs ?? defaultMaxLiveWindowMs;
  const maxRows = options.maxRows ?? 200_000;
  const debounceMs = options.debounceMs ?? 25;
  const live = options.rules.filter((r) => takesFastPath(r, maxWindowMs));
  const windows = new Map<string, LiveWindow>(live.map((r) => [r.alert, createLiveWindow(r)]));
  /** Seeded windows answer; the others are being (or will be) seeded and the store answers meanwhile. */
  const seeded = new Set<string>();
  const seeding = new Map<string, Promise<void>>();
  const due = new Set<string>();
  let timer: NodeJS.Timeout | null = null;
  /** When the last evaluation on data was handed over (the throttle's start). */
  let lastRunAt = Number.NEGATIVE_INFINITY;
  /**
   * Per rule: the evaluation when a row next leaves (or enters) its window, and when the last one
   * ran. They are throttled per rule, apart from batches: windows a whole number of export
   * intervals long see a row leave just as the next batch is sent, which must not wait for it.
   */
  const changeTimers = new Map<string, NodeJS.Timeout>();
  const changeRunAt = new Map<string, number>();
  let unsubscribe: (() => void) | null = null;
  let reseed: NodeJS.Timeout | null = null;
  /** Bumped by stop(): a seed that began before it is stale. */
  let generation = 0;

  function seed(rule: StatRule, again = false): void {
    if (!options.inMemory || seeding.has(rule.alert) || (seeded.has(rule.alert) && !again)) return;
    const now = options.now();
    const started = generation;
    // Rows after `now` too: points stamped a little ahead (clock skew) are in the window later.
    const run = queryWindowRows(options.client, rule, { from: now - rule.windowMs, to: now + 86_400_000 })
      .then((rows) => {
        const window = windows.get(rule.alert);
        if (!window || started !== generation) return;
        window.addRows(rows); // batches that landed meanwhile are held already; their rows count once
        seeded.add(rule.alert);
      })
      .catch((e: unknown) =>
        options.log(`seeding ${rule.alert} from the store failed (retried): ${String(e)}`),
      )
      .finally(() => seeding.delete(rule.alert));
    seeding.set(rule.alert, run);
  }

  const onBatch = (batch: AcceptedMetrics) => {
    if (!options.inMemory) {
      for (const rule of live)
        if (batchRows(rule, batch).some((row) => ruleReads(rule, row))) due.add(rule.alert);
    }
    for (const [name, window] of options.inMemory ? windows : []) {
      if (!window.add(batch)) continue;
      if (window.size() > maxRows) {
        options.log(`${name}: over ${maxRows} rows in its window; evaluated from the store from now on`);
        windows.delete(name);
        seeded.delete(name);
      }
      due.add(name);
    }
    runDue();
  };

  /** Hands the due rules over now, or when the throttle allows (performance.now: the wall clock may be a test's). */
  function runDue(): void {
    if (due.size === 0 || timer) return;
    const wait = Math.max(0, lastRunAt + debounceMs - performance.now());
    timer = setTimeout(() => {
      timer = null;
      lastRunAt = performance.now();
      const names = new Set(due);
      due.clear();
      options.onData(names);
    }, wait);
  }

  /** Evaluates the rule again when its window's rows change with time alone. */
  function scheduleChange(rule: StatRule, window: LiveWindow, now: number): void {
    clearTimeout(changeTimers.get(rule.alert));
    changeTimers.delete(rule.alert);
    if (!unsubscribe) return;
    const at = window.nextChange(now, [rule.windowMs, ...(rule.shortWindowMs ? [rule.shortWindowMs] : [])]);
    if (at === null) return;
    const earliest = (changeRunAt.get(rule.alert) ?? Number.NEGATIVE_INFINITY) + debounceMs;
    const changeTimer = setTimeout(
      () => {
        changeTimers.delete(rule.alert);
        changeRunAt.set(rule.alert, performance.now());
        options.onData(new Set([rule.alert]));
      },
      Math.max(0, at - options.now(), earliest - performance.now()),
    );
    changeTimer.unref();
    changeTimers.set(rule.alert, changeTimer);
  }

  return {
    names: new Set(live.map((r) => r.alert)),
    start() {
      if (unsubscribe) return;
      // Subscribed before seeding: a batch landing while the seed query runs is not missed.
      unsubscribe = options.subscribe(onBatch);
      for (const rule of live) seed(rule);
      reseed = setTimeout(() => {
        reseed = null;
        for (const rule of live) if (windows.has(rule.alert)) seed(rule, true);
      }, options.reseedAfterMs ?? 10_000);
    },
    stop() {
      unsubscribe?.();
      unsubscribe = null;
      if (timer) clearTimeout(timer);
      if (reseed) clearTimeout(reseed);
      for (const t of changeTimers.values()) clearTimeout(t);
      changeTimers.clear();
      changeRunAt.clear();
      timer = null;
      reseed = null;
      due.clear();
      // Batches accepted while stopped are not in the windows: a start() seeds them afresh.
      for (const rule of live) if (windows.has(rule.alert)) windows.set(rule.alert, createLiveWindow(rule));
      seeded.clear();
      generation++;
    },
    values(rule) {
      const window = windows.get(rule.alert);
      if (!window || rule.type !== 'stat' || !options.inMemory || !unsubscribe) return undefined;
      if (!seeded.has(rule.alert)) {
        seed(rule);
        return undefined;
      }
      const short = rule.shortWindowMs;
      return (now) => {
        const values =
          short === undefined
            ? window.values(now)
            : bothWindows(rule, window.values(now), window.values(now, short));
        scheduleChange(rule, window, now);
        return values;
      };
    },
  };
}
