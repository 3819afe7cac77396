// Builds the page check from the dashboard's environment and starts its schedule (the first check
// comes one interval after start, once the target has had time to come up).
import type { DashboardEnv } from '../../env.ts';
import { createPageCheck, type PageCheck } from './page-check.ts';
import { createPageCheckMetrics } from './page-metrics.ts';

type PageCheckEnv = Pick<
  DashboardEnv,
  | 'PAGE_CHECK_INTERVAL'
  | 'PAGE_CHECK_URLS'
  | 'PAGE_CHECK_TIMEOUT'
  | 'PAGE_CHECK_CHROMIUM'
  | 'TARGET_URL'
  | 'LOAD_TARGETS'
>;

/**
 * The pages to check: PAGE_CHECK_URLS, or the target's home page. Like load tests, the check only
 * loads pages of allowlisted targets (LOAD_TARGETS), so a typo cannot point a browser elsewhere.
 */
export function pageCheckUrls(env: PageCheckEnv): string[] {
  const urls = env.PAGE_CHECK_URLS.length > 0 ? env.PAGE_CHECK_URLS : [`${env.TARGET_URL}/`];
  const allowed = new Set(env.LOAD_TARGETS.map((target) => new URL(target).origin));
  const outside = urls.filter((url) => !allowed.has(new URL(url).origin));
  if (outside.length > 0) {
    throw new Error(
      `PAGE_CHECK_URLS: ${outside.join(', ')} ${outside.length === 1 ? 'is' : 'are'} not on an allowlisted target (TARGET_URL or LOAD_TARGETS: ${[...allowed].join(', ')})`,
    );
  }
  return urls;
}

export function startPageCheck(
  env: PageCheckEnv,
  deps: {
    /** The collector's OTLP/HTTP base URL (the in-process one when the dashboard hosts it). */
    otlpUrl: string;
    /** Headers of its OTLP exports (the ingest API key when the collector asks for one). */
    otlpHeaders?: Record<string, string> | undefined;
    activeRunId: () => string | undefined;
    log: (line: string) => void;
  },
): PageCheck {
  const urls = pageCheckUrls(env);
  const check = createPageCheck({
    urls,
    intervalMs: env.PAGE_CHECK_INTERVAL * 1000,
    timeoutMs: env.PAGE_CHECK_TIMEOUT * 1000,
    executablePath: env.PAGE_CHECK_CHROMIUM,
    metrics: createPageCheckMetrics({
      otlpUrl: deps.otlpUrl,
      ...(deps.otlpHeaders ? { headers: deps.otlpHeaders } : {}),
    }),
    activeRunId: deps.activeRunId,
    log: deps.log,
  });
  check.start();
  if (env.PAGE_CHECK_INTERVAL > 0) {
    deps.log(`page check: ${urls.join(', ')} every ${env.PAGE_CHECK_INTERVAL} s`);
  }
  return check;
}
