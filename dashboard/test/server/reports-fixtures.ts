// Two recorded smoke runs for the report tests: cp_runs records and k6's OTel output for them
// (http_req_duration as an ms histogram, http_reqs and checks.total as delta counters).
import type { FinishedRun } from 'load-tests';

const BOUNDS = [10, 50, 100, 250, 500];
const ns = (ms: number) => String(BigInt(ms) * 1_000_000n);
const attrs = (o: Record<string, string>) =>
  Object.entries(o).map(([key, v]) => ({ key, value: { stringValue: v } }));

type Step = { atMs: number; name: string; status: string; count: number; buckets: number[] };

/** k6's OTel output for one run: http_req_duration (ms histogram), http_reqs and checks.total. */
export function k6Body(runId: string, steps: Step[]) {
  const tags = (s: Step) => ({
    run_id: runId,
    scenario: 'default',
    name: s.name,
    method: 'GET',
    status: s.status,
    expected_response: String(s.status.startsWith('2')),
  });
  const mids = [5, 30, 75, 175, 375, 600];
  return {
    resourceMetrics: [
      {
        resource: { attributes: attrs({ 'service.name': 'k6' }) },
        scopeMetrics: [
          {
            scope: { name: 'k6' },
            metrics: [
              {
                name: 'http_req_duration',
                unit: 'ms',
                histogram: {
                  aggregationTemporality: 1,
                  dataPoints: steps.map((s) => ({
                    startTimeUnixNano: ns(s.atMs - 1000),
                    timeUnixNano: ns(s.atMs),
                    count: String(s.count),
                    sum: s.buckets.reduce((a, c, i) => a + c * (mids[i] ?? 0), 0),
                    bucketCounts: s.buckets.map(String),
                    explicitBounds: BOUNDS,
                    attributes: attrs(tags(s)),
                  })),
                },
              },
              {
                name: 'http_reqs',
                sum: {
                  aggregationTemporality: 1,
                  isMonotonic: true,
                  dataPoints: steps.map((s) => ({
                    startTimeUnixNano: ns(s.atMs - 1000),
                    timeUnixNano: ns(s.atMs),
                    asInt: String(s.count),
                    attributes: attrs(tags(s)),
                  })),
                },
              },
              {
                name: 'checks.total',
                sum: {
                  aggregationTemporality: 1,
                  isMonotonic: true,
                  dataPoints: steps.map((s) => ({
                    startTimeUnixNano: ns(s.atMs - 1000),
                    timeUnixNano: ns(s.atMs),
                    asInt: String(s.count),
                    attributes: attrs({
                      run_id: runId,
                      check: 'status is 200',
                      condition: s.status.startsWith('2') ? 'nonzero' : 'zero',
                    }),
                  })),
                },
              },
            ],
          },
        ],
      },
    ],
  };
}

function finishedRun(id: string, startedAt: number, p95Ms: number, thresholdOk: boolean): FinishedRun {
  return {
    id,
    scenario: 'smoke',
    state: 'finished',
    params: { vus: 2, duration: '10s', target: 'http://127.0.0.1:9' },
    target: 'http://127.0.0.1:9',
    launchedBy: 'quinn',
    createdAt: startedAt - 500,
    startedAt,
    endedAt: startedAt + 10_000,
    runDir: '/nonexistent',
    logPath: '/nonexistent/k6.log',
    summaryPath: '/nonexistent/summary.json',
    result: {
      exitCode: thresholdOk ? 0 : 99,
      exitMeaning: thresholdOk ? 'finished' : 'thresholds failed',
      thresholdsPassed: thresholdOk,
      thresholds: [{ metric: 'http_req_duration', expr: 'p(95)<200', ok: thresholdOk }],
      stats: {
        httpReqs: 1000,
        reqRate: 100,
        errorRate: 0,
        checksRate: 1,
        p50Ms: p95Ms / 2,
        p90Ms: p95Ms * 0.9,
        p95Ms,
        p99Ms: p95Ms * 1.1,
        maxMs: p95Ms * 1.5,
        iterations: 500,
        durationMs: 10_000,
        dataReceived: 1e6,
        dataSent: 1e5,
      },
    },
  };
}

const t0 = Date.now() - 10 * 60_000;
export const fast = finishedRun('run_20261123T000000Z_fast01', t0, 45, true);
export const slow = finishedRun('run_20261123T000100Z_slow01', t0 + 120_000, 220, false);

/** Ten 1 s steps of 100 requests: /api/cars and /api/cars/:id, the slow run with a few 500s. */
export function steps(run: FinishedRun, slowRun: boolean): Step[] {
  return Array.from({ length: 10 }, (_, i) => {
    const atMs = run.startedAt! + (i + 1) * 1000;
    const buckets = slowRun ? [0, 10, 20, 15, 5, 0] : [10, 35, 5, 0, 0, 0];
    const out: Step[] = [
      { atMs, name: 'GET /api/cars', status: '200', count: 50, buckets },
      {
        atMs,
        name: 'GET /api/cars/:id',
        status: '200',
        count: slowRun ? 48 : 50,
        buckets: slowRun ? [0, 10, 20, 13, 5, 0] : buckets,
      },
    ];
    if (slowRun)
      out.push({ atMs, name: 'GET /api/cars/:id', status: '500', count: 2, buckets: [0, 2, 0, 0, 0, 0] });
    return out;
  }).flat();
}
