// Loads one page in a fresh browser context (a first visit: empty cache, no cookies) and reads what
// the page reports about its own loading: paint timings, layout shifts, long tasks and network
// timings. Observation continues after `load` until Lighthouse's TTI quiet window is seen or the
// deadline passes.
import type { Browser } from 'playwright-core';
import { computeInteractivity, type Interval } from './interactivity.ts';
import { cumulativeLayoutShift, type LayoutShift } from './layout-shift.ts';

/** The header the product's own senders set; the target marks such requests `traffic.source=internal`. */
export const SYNTHETIC_HEADER = 'x-synthetic';

/** Milliseconds since navigation start, as the page's Performance APIs report them. */
export type PageTimings = {
  load: number;
  fcp: number;
  lcp: number | undefined;
  cls: number;
  tti: number | undefined;
  tbt: number | undefined;
};

export const FAILURE_REASONS = ['browser', 'navigation', 'http_status', 'no_paint', 'timeout'] as const;
export type FailureReason = (typeof FAILURE_REASONS)[number];

export class PageCheckError extends Error {
  readonly reason: FailureReason;
  constructor(reason: FailureReason, message: string) {
    super(message);
    this.name = 'PageCheckError';
    this.reason = reason;
  }
}

/** What the page's observers have collected so far (serialisable: it crosses into Node). */
type Observed = {
  now: number;
  fcp: number | undefined;
  domContentLoaded: number;
  loadEventEnd: number;
  lcp: number | undefined;
  shifts: LayoutShift[];
  longTasks: Interval[];
  requests: Interval[];
};

// Runs in the page before its own scripts. Buffered observers also replay entries from before
// they were registered; layout shifts and LCP are only available through an observer.
function installObservers(): void {
  const w = window as unknown as { __pageCheck: { lcp?: number; shifts: unknown[]; longTasks: unknown[] } };
  w.__pageCheck = { shifts: [], longTasks: [] };
  const state = w.__pageCheck;
  const observe = (type: string, onEntry: (entry: PerformanceEntry) => void) => {
    try {
      new PerformanceObserver((list) => list.getEntries().forEach(onEntry)).observe({ type, buffered: true });
    } catch {
      // An entry type this browser does not support leaves its metric unmeasured.
    }
  };
  observe('largest-contentful-paint', (e) => {
    state.lcp = e.startTime;
  });
  observe('layout-shift', (e) => {
    const shift = e as PerformanceEntry & { value: number; hadRecentInput: boolean };
    state.shifts.push({
      startTime: shift.startTime,
      value: shift.value,
      hadRecentInput: shift.hadRecentInput,
    });
  });
  observe('longtask', (e) => {
    state.longTasks.push({ start: e.startTime, end: e.startTime + e.duration });
  });
}

function readObserved(): Observed {
  const state = (window as unknown as { __pageCheck: { lcp?: number; shifts: []; longTasks: [] } })
    .__pageCheck;
  const navigation = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
  const ok = (status: number | undefined) => !(status !== undefined && status >= 400);
  const resources = (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
    .filter((r) => ok(r.responseStatus) && r.responseEnd > 0)
    .map((r) => ({ start: r.startTime, end: r.responseEnd }));
  return {
    now: performance.now(),
    fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime,
    domContentLoaded: navigation?.domContentLoadedEventEnd ?? 0,
    loadEventEnd: navigation?.loadEventEnd ?? 0,
    lcp: state.lcp,
    shifts: state.shifts,
    longTasks: state.longTasks,
    requests: navigation ? [{ start: 0, end: navigation.responseEnd }, ...resources] : resources,
  };
}

export type MeasureOptions = {
  /** Navigation and observation together end by this time (Date.now() ms). */
  deadline: number;
  pollIntervalMs?: number;
  signal?: AbortSignal;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function measurePage(
  browser: Browser,
  url: string,
  options: MeasureOptions,
): Promise<PageTimings> {
  // Lighthouse's desktop viewport; no service workers, so every check is a first visit. Every
  // request the page makes says it is the product's own (x-synthetic), so the target counts it
  // apart from its API's traffic.
  const context = await browser.newContext({
    viewport: { width: 1350, height: 940 },
    serviceWorkers: 'block',
    extraHTTPHeaders: { [SYNTHETIC_HEADER]: 'page-check' },
  });
  try {
    await context.addInitScript(installObservers);
    const page = await context.newPage();
    const remaining = () => Math.max(1, options.deadline - Date.now());
    const response = await page
      .goto(url, { waitUntil: 'load', timeout: remaining() })
      .catch((error: unknown) => {
        const timedOut = error instanceof Error && error.name === 'TimeoutError';
        throw new PageCheckError(
          timedOut ? 'timeout' : 'navigation',
          (error as Error).message.split('\n')[0]!,
        );
      });
    if (response === null) throw new PageCheckError('navigation', `no response for ${url}`);
    if (response.status() >= 400) {
      throw new PageCheckError('http_status', `${url} answered ${response.status()}`);
    }
    for (;;) {
      if (options.signal?.aborted) throw new PageCheckError('timeout', 'page check stopped');
      const observed = await page.evaluate(readObserved);
      const expired = Date.now() >= options.deadline;
      if (observed.fcp !== undefined && observed.loadEventEnd > 0) {
        const interactivity = computeInteractivity({
          fcp: observed.fcp,
          domContentLoaded: observed.domContentLoaded,
          longTasks: observed.longTasks,
          requests: observed.requests,
          observedUntil: observed.now,
        });
        if (interactivity !== undefined || expired) {
          return {
            load: observed.loadEventEnd,
            fcp: observed.fcp,
            lcp: observed.lcp,
            cls: cumulativeLayoutShift(observed.shifts),
            tti: interactivity?.tti,
            tbt: interactivity?.tbt,
          };
        }
      } else if (expired) {
        throw new PageCheckError('no_paint', `${url} painted no content before the check's deadline`);
      }
      await sleep(Math.min(options.pollIntervalMs ?? 250, remaining()));
    }
  } finally {
    await context.close().catch(() => undefined);
  }
}
