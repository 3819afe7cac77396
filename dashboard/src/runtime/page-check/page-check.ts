// The synthetic page check: on a schedule, headless Chromium loads each configured page of the
// target and the timings go to the collector as `page-check` gauges (the Frontend score reads
// them). One check at a time; each bounded by a timeout; a failure is counted, logged and never
// thrown into the server.
//
// A browser is launched per check and closed after it rather than kept running: between checks
// (a minute by default) the dashboard holds no Chromium memory (a few hundred MB of renderer and
// GPU processes), and every check starts from a clean profile. The launch costs well under a
// second, outside the measured page loads.
import { type Browser, chromium } from 'playwright-core';
import { type FailureReason, measurePage, PageCheckError, type PageTimings } from './measure-page.ts';
import type { PageCheckMetrics } from './page-metrics.ts';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
];

export type PageResult =
  | { state: 'measured'; url: string; timings: PageTimings }
  | { state: 'failed'; url: string; reason: FailureReason; message: string };

export type PageCheckOptions = {
  urls: readonly string[];
  /** 0 = no schedule (runOnce still works). */
  intervalMs: number;
  /** For one page: navigation plus observation until TTI. */
  timeoutMs: number;
  executablePath: string;
  metrics: PageCheckMetrics;
  /** The load-test run active now, if any: its id tags the points so a run's report can show them. */
  activeRunId?: () => string | undefined;
  log: (line: string) => void;
};

export type PageCheck = {
  start(): void;
  /** One check of every page now (waits for a check already under way instead of overlapping). */
  runOnce(): Promise<PageResult[]>;
  /** Stops the schedule, ends a check under way, sends what was recorded. */
  stop(): Promise<void>;
};

const BROWSER_LAUNCH_TIMEOUT_MS = 15_000;
const WATCHDOG_GRACE_MS = 5_000;

function failureOf(url: string, error: unknown): PageResult {
  const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
  const reason = error instanceof PageCheckError ? error.reason : 'navigation';
  return { state: 'failed', url, reason, message };
}

export function createPageCheck(options: PageCheckOptions): PageCheck {
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<PageResult[]> | undefined;
  let abort: AbortController | undefined;
  let stopped = false;
  // A page that keeps failing the same way is logged once (the counter still counts every time),
  // so a dashboard without Chromium does not repeat the same line every minute.
  const lastFailure = new Map<string, FailureReason>();

  async function checkPages(signal: AbortSignal): Promise<PageResult[]> {
    const runId = options.activeRunId?.();
    const results: PageResult[] = [];
    let browser: Browser | undefined;
    // Closing the browser makes whatever it is doing fail fast: the way a stop ends a check.
    const closeBrowser = () => void browser?.close().catch(() => undefined);
    signal.addEventListener('abort', closeBrowser);
    try {
      browser = await chromium.launch({
        executablePath: options.executablePath,
        args: CHROMIUM_ARGS,
        timeout: BROWSER_LAUNCH_TIMEOUT_MS,
      });
    } catch (error) {
      const message = `cannot start Chromium at ${options.executablePath}: ${(error as Error).message.split('\n')[0]}`;
      results.push(...options.urls.map((url) => failureOf(url, new PageCheckError('browser', message))));
    }
    try {
      let hung = false;
      for (const url of browser === undefined ? [] : options.urls) {
        if (signal.aborted) break;
        if (hung) {
          results.push(
            failureOf(url, new PageCheckError('timeout', 'skipped: an earlier page hung the browser')),
          );
          continue;
        }
        // Navigation has its own timeout, but a page whose main thread never yields would hold
        // page.evaluate forever: past the deadline (and a grace period) the browser is closed.
        const watchdog = setTimeout(() => {
          hung = true;
          closeBrowser();
        }, options.timeoutMs + WATCHDOG_GRACE_MS);
        try {
          const timings = await measurePage(browser!, url, {
            deadline: Date.now() + options.timeoutMs,
            signal,
          });
          results.push({ state: 'measured', url, timings });
        } catch (error) {
          // A check ended by stop() is not a failure of the page: nothing is recorded for it.
          if (signal.aborted) break;
          const stuck = new PageCheckError('timeout', `${url} did not finish within ${options.timeoutMs} ms`);
          results.push(failureOf(url, hung ? stuck : error));
        } finally {
          clearTimeout(watchdog);
        }
      }
    } finally {
      signal.removeEventListener('abort', closeBrowser);
      await browser?.close().catch(() => undefined);
    }
    for (const result of results) {
      const path = new URL(result.url).pathname;
      const attributes = { 'url.full': result.url, 'url.path': path, ...(runId ? { run_id: runId } : {}) };
      if (result.state === 'measured') {
        options.metrics.recordTimings(attributes, result.timings);
        if (lastFailure.delete(result.url)) options.log(`page check: ${result.url} measured again`);
      } else {
        options.metrics.recordFailure(attributes, result.reason);
        if (lastFailure.get(result.url) !== result.reason) {
          options.log(`page check: ${result.url} failed (${result.reason}): ${result.message}`);
        }
        lastFailure.set(result.url, result.reason);
      }
    }
    await options.metrics.export().catch((error: unknown) => {
      options.log(`page check: could not send its metrics to the collector: ${(error as Error).message}`);
    });
    return results;
  }

  function runOnce(): Promise<PageResult[]> {
    if (current) return current;
    abort = new AbortController();
    current = checkPages(abort.signal).finally(() => {
      current = undefined;
    });
    return current;
  }

  function schedule(): void {
    if (stopped || options.intervalMs <= 0) return;
    timer = setTimeout(() => {
      runOnce()
        .catch((error: unknown) => options.log(`page check: ${(error as Error).message}`))
        .finally(schedule);
    }, options.intervalMs);
    // The schedule alone must not keep the process alive.
    timer.unref();
  }

  return {
    start() {
      if (timer === undefined && !stopped) schedule();
    },
    runOnce,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      abort?.abort();
      await current?.catch(() => undefined);
      await options.metrics.shutdown().catch(() => undefined);
    },
  };
}
