// Percentile accuracy benchmark (issue 16): do the store's p50/p95/p99 of a run agree with k6's exact
// values? Runs the repo's scenarios on real k6 against the real target app (127.0.0.1, telemetry to
// a real collector over a fresh embedded store) in several shapes — smoke, a short load, chaos latency
// on one route, a bimodal mix (latency switched on mid-run), a 2-segment distributed run — once per
// k6 histogram layout (explicit buckets, base-2 exponential). Per endpoint it holds the store's
// figures (read as the run report reads them) against k6's exact percentile over every
// http_req_duration sample (`--out csv`; the same formula as k6's summary, checked against each
// process's handleSummary in the same run), and the target's server-side histograms against the exact
// durations of its server spans. Prints tables, writes bench/results/accuracy-<time>.json.
// Run: node bench/accuracy/run.ts [--seconds 15] [--layouts explicit,exponential] [--shapes smoke,load,…]
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createStore, startCollector } from 'collector';
import { startTargetApp } from 'target-app';
import { resolveK6Path } from '../../load-tests/src/k6-binary.ts';
import type { HistogramLayout } from '../../load-tests/src/k6-process.ts';
import { exactByGroup, type GroupQuantiles, QUANTILES, qLabel, relativeError } from './exact.ts';
import { type BenchRun, benchRun } from './k6-run.ts';
import { ALL, runFigures, serverFigures, storeQuantiles } from './store-figures.ts';

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};
const SECONDS = Number(arg('seconds', '15'));
if (!Number.isInteger(SECONDS) || SECONDS < 4 || SECONDS > 60)
  throw new RangeError('--seconds must be 4..60');
const LAYOUTS = arg('layouts', 'explicit,exponential').split(',') as HistogramLayout[];
for (const l of LAYOUTS)
  if (l !== 'explicit' && l !== 'exponential') throw new RangeError(`unknown layout ${l}`);
const ADMIN = 'bench-accuracy-admin-token';
/** Endpoints with fewer samples are listed but left out of the "≥ 100" maximum. */
const MIN_SAMPLES = 100;

const dir = mkdtempSync(join(tmpdir(), 'bench-accuracy-'));
const store = await createStore({ dataDir: join(dir, 'chdb') });
const collector = await startCollector({ store, port: 0, batch: { maxDelayMs: 50 } });
const target = await startTargetApp({
  port: 0,
  host: '127.0.0.1',
  carCount: 2000,
  logLevel: 'error',
  adminToken: ADMIN,
  jwtSecret: 'bench-accuracy-jwt-secret-of-32-chars-at-least',
  authBcryptCost: 4,
  telemetryEnabled: true,
  otlpEndpoint: `http://127.0.0.1:${collector.port}`,
});
const setChaos = async (body: Record<string, unknown>): Promise<void> => {
  const res = await fetch(`${target.url}/admin/chaos`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`chaos: ${res.status} ${await res.text()}`);
};

type Shape = {
  name: string;
  scenario: 'smoke' | 'load';
  params: Record<string, unknown>;
  segments: number;
  chaos?: Record<string, unknown>;
  /** Chaos switched on half-way through the run (two latency modes in every route). */
  chaosMidRun?: Record<string, unknown>;
};
const d = `${SECONDS}s`;
const ALL_SHAPES: Shape[] = [
  { name: 'smoke', scenario: 'smoke', params: { vus: 4, duration: d }, segments: 1 },
  { name: 'load', scenario: 'load', params: { scale: 0.002, duration: d }, segments: 1 },
  {
    name: 'chaos-route',
    scenario: 'smoke',
    params: { vus: 4, duration: d },
    segments: 1,
    chaos: { latencyMs: 250, jitterMs: 150, routes: ['/api/cars/:id'] },
  },
  {
    name: 'bimodal',
    scenario: 'smoke',
    params: { vus: 4, duration: d },
    segments: 1,
    chaosMidRun: { latencyMs: 400, jitterMs: 50 },
  },
  { name: 'distributed-2', scenario: 'load', params: { scale: 0.002, duration: d }, segments: 2 },
];
const wanted = arg('shapes', ALL_SHAPES.map((s) => s.name).join(',')).split(',');
const SHAPES = ALL_SHAPES.filter((s) => wanted.includes(s.name));

type Row = {
  endpoint: string;
  count: number;
  exact: Record<string, number | null>;
  estimate: Record<string, number | null>;
  error: Record<string, number | null>;
};
type Comparison = {
  rows: Row[];
  max: Record<string, number | null>;
  maxAtMin: Record<string, number | null>;
};

function compare(exact: Map<string, GroupQuantiles>, estimate: Map<string, GroupQuantiles>): Comparison {
  const rows: Row[] = [...exact]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([endpoint, e]) => {
      const est = estimate.get(endpoint);
      const values = est?.values ?? {};
      const error = Object.fromEntries(
        QUANTILES.map((q) => [
          qLabel(q),
          relativeError(values[qLabel(q)] ?? null, e.values[qLabel(q)] ?? null),
        ]),
      );
      return { endpoint, count: e.count, exact: e.values, estimate: values, error };
    });
  // null when no endpoint qualifies (not 0: nothing was measured).
  const maxOf = (rs: Row[]) =>
    Object.fromEntries(
      QUANTILES.map((q) => [
        qLabel(q),
        rs.length === 0 ? null : Math.max(...rs.map((r) => r.error[qLabel(q)] ?? Number.POSITIVE_INFINITY)),
      ]),
    );
  return { rows, max: maxOf(rows), maxAtMin: maxOf(rows.filter((r) => r.count >= MIN_SAMPLES)) };
}

/** k6's own summary against the CSV reference (proves the reference is k6's figure). */
function summaryCheck(run: BenchRun): number {
  let worst = 0;
  for (const p of run.processes) {
    const exact = exactByGroup(p.samples.map((s) => ({ group: s.name, value: s.value })));
    const all = exactByGroup(p.samples.map((s) => ({ group: ALL, value: s.value })));
    for (const [metric, def] of Object.entries(p.summary?.metrics ?? {})) {
      const name =
        metric === 'http_req_duration' ? ALL : /^http_req_duration\{name:(.+)\}$/.exec(metric)?.[1];
      const ref = name === ALL ? all.get(ALL) : name ? exact.get(name) : undefined;
      if (!ref) continue;
      for (const [key, label] of [
        ['med', 'p50'],
        ['p(95)', 'p95'],
        ['p(99)', 'p99'],
      ] as const) {
        const err = relativeError(ref.values[label] ?? null, def.values[key] ?? null);
        // 6 decimals in the CSV: differences below a nanosecond are rounding.
        if (err !== null && Math.abs((ref.values[label] ?? 0) - (def.values[key] ?? 0)) > 1e-5)
          worst = Math.max(worst, err);
      }
    }
  }
  return worst;
}

async function waitForStore(runId: string, window: { from: number; to: number }, count: number) {
  for (let i = 0; i < 100; i++) {
    const q = await storeQuantiles(store.client, runId, window);
    if ((q.groups.get(ALL)?.count ?? 0) >= count) return q;
    await sleep(200);
  }
  return storeQuantiles(store.client, runId, window);
}

const k6Path = resolveK6Path();

/**
 * What the samples cost: smoke at 40 VUs with and without `--out csv` + ingest, alternated, k6's CPU
 * per request and this process's (target app, collector, store, ingest) CPU per request.
 */
const COST_PAIRS = Number(arg('cost-pairs', '2'));
const cost: { samples: boolean; requests: number; k6CpuSec: number; benchCpuSec: number }[] = [];
async function measureCost(): Promise<void> {
  // As many requests as the target serves here: smoke at 40 VUs (0.3 s think time).
  const shape = { scenario: 'smoke' as const, params: { vus: 40, duration: d } };
  for (let i = 0; i < COST_PAIRS * 2; i++) {
    const withSamples = i % 2 === 0;
    const before = process.cpuUsage();
    const run = await benchRun({
      scenario: shape.scenario,
      params: { ...shape.params, target: target.url },
      segments: 1,
      histograms: 'exponential',
      k6Path,
      otlpEndpoint: `127.0.0.1:${collector.port}`,
      sampleStore: store.client,
      samples: withSamples,
      target: target.url,
      dir: join(dir, 'runs'),
    });
    const used = process.cpuUsage(before);
    const requests = run.processes.reduce((a, p) => a + (p.summary?.metrics.http_reqs?.values.count ?? 0), 0);
    const k6CpuSec = run.processes.reduce((a, p) => a + p.cpuSec, 0);
    cost.push({ samples: withSamples, requests, k6CpuSec, benchCpuSec: (used.user + used.system) / 1e6 });
    console.log(
      `cost ${withSamples ? 'with samples' : 'without    '} ${requests} requests, k6 ${k6CpuSec.toFixed(2)} s CPU, bench process ${((used.user + used.system) / 1e6).toFixed(2)} s CPU`,
    );
    await sleep(3000);
  }
}
const results: Record<string, unknown>[] = [];
const pct = (x: number | null | undefined) =>
  x === null || x === undefined ? '-' : Number.isFinite(x) ? `${(x * 100).toFixed(2)}%` : 'n/a';
console.log(
  `accuracy bench: ${SECONDS}s per run, layouts ${LAYOUTS.join(', ')}, ${cpus().length} cores, load ${loadavg()[0]!.toFixed(2)}`,
);
try {
  for (const shape of SHAPES) {
    for (const layout of LAYOUTS) {
      await setChaos(shape.chaos ?? {});
      const run = await benchRun({
        scenario: shape.scenario,
        params: { ...shape.params, target: target.url },
        segments: shape.segments,
        histograms: layout,
        k6Path,
        otlpEndpoint: `127.0.0.1:${collector.port}`,
        sampleStore: store.client,
        target: target.url,
        dir: join(dir, 'runs'),
        during: shape.chaosMidRun
          ? async () => {
              await sleep((SECONDS * 1000) / 2);
              await setChaos(shape.chaosMidRun!);
            }
          : undefined,
      });
      await setChaos({});
      const samples = run.processes.flatMap((p) => p.samples);
      const window = { from: run.startedAt - 60_000, to: run.endedAt + 60_000 };
      const stored = await waitForStore(run.runId, window, samples.length);
      const exact = exactByGroup([
        ...samples.map((s) => ({ group: s.name, value: s.value })),
        ...samples.map((s) => ({ group: ALL, value: s.value })),
      ]);
      const k6 = compare(exact, stored.groups);
      const figures = await runFigures(store.client, run.runId, window, samples.length);
      const fromSamples = compare(exact, figures.groups);
      // The target exports every second; its last point lands shortly after the run.
      await sleep(2500);
      const server = await serverFigures(store.client, 'car-suggester', {
        from: run.startedAt - 1000,
        to: run.endedAt + 2000,
      });
      const srv = compare(server.exact, server.histogram.groups);
      const check = summaryCheck(run);
      results.push({
        shape: shape.name,
        layout,
        runId: run.runId,
        segments: shape.segments,
        exitCodes: run.processes.map((p) => p.exitCode),
        requests: samples.length,
        storeCount: stored.groups.get(ALL)?.count ?? 0,
        storeKind: stored.kind,
        summaryVsCsvMaxError: check,
        k6,
        samples: {
          source: figures.kind,
          stored: run.processes.reduce((a, p) => a + (p.ingest?.stored ?? 0), 0),
          complete: run.processes.every((p) => p.ingest?.complete),
          ...fromSamples,
        },
        server: { kind: server.histogram.kind, ...srv },
        k6CpuSec: run.processes.reduce((a, p) => a + p.cpuSec, 0),
      });
      console.log(
        `${shape.name.padEnd(14)} ${layout.padEnd(11)} n=${String(samples.length).padStart(6)} store n=${String(stored.groups.get(ALL)?.count ?? 0).padStart(6)} (${stored.kind})  max err p50 ${pct(k6.max.p50)} p95 ${pct(k6.max.p95)} p99 ${pct(k6.max.p99)}  (n≥${MIN_SAMPLES}: ${pct(k6.maxAtMin.p50)} ${pct(k6.maxAtMin.p95)} ${pct(k6.maxAtMin.p99)})  summary≠csv ${pct(check)}`,
      );
      console.log(
        `${''.padEnd(14)} samples     n=${String(samples.length).padStart(6)} store n=${String(figures.groups.get(ALL)?.count ?? 0).padStart(6)} (${figures.kind})  max err p50 ${pct(fromSamples.max.p50)} p95 ${pct(fromSamples.max.p95)} p99 ${pct(fromSamples.max.p99)}`,
      );
      await sleep(3000);
    }
  }
  if (COST_PAIRS > 0) await measureCost();
} finally {
  await target.close();
  await collector.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}

type Result = {
  shape: string;
  layout: string;
  requests: number;
  k6: Comparison;
  samples: Comparison;
  server: Comparison & { kind: string };
};
const table = (title: string, pick: (r: Result) => Comparison) => {
  console.log(`\n${title}`);
  console.log(
    '| shape | layout | requests | endpoints | max err p50 | p95 | p99 | n≥100: p50 | p95 | p99 | worst p95 endpoint |',
  );
  console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|');
  for (const r of results as Result[]) {
    const c = pick(r);
    const worst = [...c.rows].sort((a, b) => (b.error.p95 ?? 0) - (a.error.p95 ?? 0))[0];
    console.log(
      `| ${r.shape} | ${r.layout} | ${r.requests} | ${c.rows.length} | ${pct(c.max.p50)} | ${pct(c.max.p95)} | ${pct(c.max.p99)} | ${pct(c.maxAtMin.p50)} | ${pct(c.maxAtMin.p95)} | ${pct(c.maxAtMin.p99)} | ${worst ? `${worst.endpoint} (n=${worst.count}) ${pct(worst.error.p95)}` : '-'} |`,
    );
  }
};
table(
  "k6 http_req_duration: store histograms (the report's reading before) vs k6's exact percentile",
  (r) => r.k6,
);
table(
  "k6 http_req_duration: the run's figures now (run-percentiles.ts over cp_run_samples) vs k6's exact percentile",
  (r) => r.samples,
);
table(
  "target http.server.request.duration (explicit semconv buckets) vs its server spans' exact durations",
  (r) => r.server,
);

const perRequest = (withSamples: boolean, key: 'k6CpuSec' | 'benchCpuSec') => {
  const runs = cost.filter((c) => c.samples === withSamples);
  const requests = runs.reduce((a, c) => a + c.requests, 0);
  return requests > 0 ? (runs.reduce((a, c) => a + c[key], 0) / requests) * 1e6 : null;
};
const costSummary = (['k6CpuSec', 'benchCpuSec'] as const).map((key) => {
  const withS = perRequest(true, key);
  const without = perRequest(false, key);
  return {
    key,
    withSamplesUsPerRequest: withS,
    withoutUsPerRequest: without,
    ratio: withS && without ? withS / without : null,
  };
});
if (cost.length > 0) {
  console.log(
    `\nCost of the samples (smoke at 40 VUs, ${COST_PAIRS} alternated pairs; reference: the same run without --out csv)`,
  );
  console.log('| CPU of | with samples µs/request | without µs/request | ratio |');
  console.log('|---|---:|---:|---:|');
  for (const c of costSummary)
    console.log(
      `| ${c.key === 'k6CpuSec' ? 'k6' : 'bench process (target, collector, store, ingest)'} | ${c.withSamplesUsPerRequest?.toFixed(0) ?? '-'} | ${c.withoutUsPerRequest?.toFixed(0) ?? '-'} | ${c.ratio?.toFixed(2) ?? '-'} |`,
    );
}

mkdirSync(join(import.meta.dirname, '..', 'results'), { recursive: true });
const out = join(
  import.meta.dirname,
  '..',
  'results',
  `accuracy-${new Date().toISOString().replace(/[:.]/g, '-')}.json`,
);
writeFileSync(
  out,
  JSON.stringify(
    {
      bench: 'accuracy',
      at: new Date().toISOString(),
      seconds: SECONDS,
      cores: cpus().length,
      loadavg: loadavg(),
      reference:
        "k6's percentile formula over every http_req_duration sample (--out csv), checked against handleSummary",
      results,
      cost: { runs: cost, perRequest: costSummary },
    },
    null,
    1,
  ),
);
console.log(`\nwrote ${out}`);
