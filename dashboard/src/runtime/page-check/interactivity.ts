// Time to Interactive and Total Blocking Time from what a page reports about itself, as Lighthouse
// defines them (core/computed/metrics/interactive.js and tbt-utils.js), on the page's own clock
// (ms since navigation start).
//
// The approximation, compared with Lighthouse's trace-based numbers:
// - long tasks come from the Long Tasks API (main-frame tasks over 50 ms) instead of the trace's
//   top-level main-thread events of 50 ms and more;
// - network records come from Navigation + Resource Timing: only finished requests are seen (as in
//   Lighthouse, which ignores unfinished ones), but the method is not exposed, so every finished
//   request counts, not only GETs; requests answered with 4xx/5xx are left out as Lighthouse does
//   when the browser reports the status;
// - the trace end is the moment the check stopped observing; a page whose quiet window has not
//   come by then has no TTI (Lighthouse fails the metric the same way), and so no TBT either.

/** A main-thread task or a network request, ms since navigation start. */
export type Interval = { start: number; end: number };

export type InteractivityInput = {
  fcp: number;
  domContentLoaded: number;
  longTasks: readonly Interval[];
  requests: readonly Interval[];
  /** When observation stopped (Lighthouse's trace end). */
  observedUntil: number;
};

export type Interactivity = { tti: number; tbt: number };

export const QUIET_WINDOW_MS = 5_000;
export const ALLOWED_CONCURRENT_REQUESTS = 2;
export const BLOCKING_THRESHOLD_MS = 50;

/** Periods with at most ALLOWED_CONCURRENT_REQUESTS requests in flight, up to `until`. */
export function networkQuietPeriods(requests: readonly Interval[], until: number): Interval[] {
  // Starts before ends at the same instant would open and close a zero-length busy period; ends
  // first keeps a request that starts exactly as another ends from counting as concurrent.
  const events = requests
    .flatMap((r) => [
      { time: r.start, delta: 1 },
      { time: r.end, delta: -1 },
    ])
    .sort((a, b) => a.time - b.time || a.delta - b.delta);
  const quiet: Interval[] = [];
  let inflight = 0;
  let quietSince: number | undefined = 0;
  for (const { time, delta } of events) {
    const before = inflight;
    inflight += delta;
    if (before <= ALLOWED_CONCURRENT_REQUESTS && inflight > ALLOWED_CONCURRENT_REQUESTS) {
      if (quietSince !== undefined) quiet.push({ start: quietSince, end: time });
      quietSince = undefined;
    } else if (before > ALLOWED_CONCURRENT_REQUESTS && inflight <= ALLOWED_CONCURRENT_REQUESTS) {
      quietSince = time;
    }
  }
  if (quietSince !== undefined) quiet.push({ start: quietSince, end: Math.max(quietSince, until) });
  return quiet;
}

/** The gaps between long tasks (sorted by start), from 0 to `until`. */
export function cpuQuietPeriods(longTasks: readonly Interval[], until: number): Interval[] {
  const sorted = [...longTasks].sort((a, b) => a.start - b.start);
  const quiet: Interval[] = [];
  let since = 0;
  for (const task of sorted) {
    quiet.push({ start: since, end: task.start });
    since = Math.max(since, task.end);
  }
  quiet.push({ start: since, end: Math.max(since, until) });
  return quiet;
}

/**
 * The first CPU quiet period that overlaps a network quiet period for QUIET_WINDOW_MS, ending
 * after FCP + QUIET_WINDOW_MS (Lighthouse's findOverlappingQuietPeriods); undefined if none yet.
 */
function firstQuietWindow(input: InteractivityInput): Interval | undefined {
  const longEnough = (p: Interval) =>
    p.end > input.fcp + QUIET_WINDOW_MS && p.end - p.start >= QUIET_WINDOW_MS;
  const cpu = cpuQuietPeriods(input.longTasks, input.observedUntil).filter(longEnough);
  const network = networkQuietPeriods(input.requests, input.observedUntil).filter(longEnough);
  let c = 0;
  let n = 0;
  while (c < cpu.length && n < network.length) {
    const cpuPeriod = cpu[c]!;
    const networkPeriod = network[n]!;
    if (cpuPeriod.start >= networkPeriod.start) {
      if (networkPeriod.end >= cpuPeriod.start + QUIET_WINDOW_MS) return cpuPeriod;
      n++;
    } else {
      if (cpuPeriod.end >= networkPeriod.start + QUIET_WINDOW_MS) return cpuPeriod;
      c++;
    }
  }
  return undefined;
}

/**
 * Blocking time of the long tasks between `from` (FCP) and `to` (TTI): each task is clipped to the
 * range first, then whatever of it exceeds 50 ms counts (Lighthouse's calculateSumOfBlockingTime).
 */
export function totalBlockingTime(longTasks: readonly Interval[], from: number, to: number): number {
  if (to <= from) return 0;
  let sum = 0;
  for (const task of longTasks) {
    if (task.end - task.start < BLOCKING_THRESHOLD_MS || task.end < from || task.start > to) continue;
    const clipped = Math.min(task.end, to) - Math.max(task.start, from);
    if (clipped >= BLOCKING_THRESHOLD_MS) sum += clipped - BLOCKING_THRESHOLD_MS;
  }
  return sum;
}

/** TTI and TBT in ms, or undefined while no quiet window has been observed. */
export function computeInteractivity(input: InteractivityInput): Interactivity | undefined {
  const window = firstQuietWindow(input);
  if (window === undefined) return undefined;
  const tti = Math.max(window.start, input.fcp, input.domContentLoaded);
  return { tti, tbt: totalBlockingTime(input.longTasks, input.fcp, tti) };
}
