// Pass/fail criteria shared by every scenario: the product plan's API targets.
// A run whose thresholds fail exits 99 — a result, not a launcher failure.

/** Route names used as the `name` tag, so URLs with ids and query strings group into one series. */
export const routes = {
  makes: 'GET /api/makes',
  search: 'GET /api/cars',
  details: 'GET /api/cars/:id',
  recommendations: 'GET /api/recommendations',
  register: 'POST /api/auth/register',
  login: 'POST /api/auth/login',
  refresh: 'POST /api/auth/refresh',
  me: 'GET /api/auth/me',
  favourites: 'GET /api/favourites',
  favouriteAdd: 'POST /api/favourites',
  favouriteRemove: 'DELETE /api/favourites/:carId',
};

/**
 * The plan's targets: API p95 < 200 ms, error rate < 0.1 %, search p95 < 300 ms,
 * recommendations p95 < 150 ms, checks > 99 %, real-time delivery p95 < 50 ms.
 */
export const planThresholds = {
  http_req_duration: ['p(95)<200'],
  http_req_failed: ['rate<0.001'],
  [`http_req_duration{name:${routes.search}}`]: ['p(95)<300'],
  [`http_req_duration{name:${routes.recommendations}}`]: ['p(95)<150'],
  checks: ['rate>0.99'],
  // Price feed delivery (journeys-realtime.js defines the Trend; every scenario imports it).
  realtime_latency: ['p(95)<50'],
};

/**
 * Expression that never fails. k6 puts a sub-metric into the end-of-test summary only when a
 * threshold names it, so each route gets one of these to expose its own count and p95; the
 * launcher recognises this expression and leaves it out of the pass/fail list.
 */
export const BREAKDOWN_EXPR = 'max>=0';

/** One always-true threshold per route on http_req_duration, for the per-endpoint table. */
export function routeBreakdown() {
  const out = {};
  for (const name of Object.values(routes)) {
    out[`http_req_duration{name:${name}}`] = [BREAKDOWN_EXPR];
  }
  return out;
}

/**
 * The plan's thresholds plus the per-route breakdown. With `abortOnFail`, a failing plan threshold
 * stops the run at once (after `delayAbortEval`, so the first noisy seconds do not count).
 */
export function scenarioThresholds(opts = {}) {
  const out = routeBreakdown();
  for (const [metric, exprs] of Object.entries(planThresholds)) {
    const wrapped = opts.abortOnFail
      ? exprs.map((threshold) => ({
          threshold,
          abortOnFail: true,
          delayAbortEval: opts.delayAbortEval ?? '10s',
        }))
      : exprs;
    out[metric] = [...(out[metric] ?? []), ...wrapped];
  }
  return out;
}

/** Trend stats the launcher reads from summary.json (med = p50; count gives per-route counts). */
export const summaryTrendStats = ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)', 'count'];
