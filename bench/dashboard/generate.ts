// Fills a fresh embedded store with realistic telemetry for the dashboard benchmark: `--hours` of
// 1 s histograms (HTTP semconv buckets, ~50 routes over four services), DB / real-time / k6
// histograms, cache / pool sums, runtime and page-check gauges, and `--spans` spans in otel_traces.
// Rows end `--ahead` seconds after now so the Overview's last-minute window stays full while the
// benchmark reads it. Run alone: node bench/dashboard/generate.ts --data-dir /tmp/x/chdb --hours 2
// Its last stdout line is `RESULT <json>` (run.ts reads it).
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { createStore, queryStat, type Store } from '../../collector/src/index.ts';
import { histogramSlice, SPANS_PER_TRACE, spanSlice, valueSlice } from './generate-sql.ts';
import { TARGET_SERVICE } from './telemetry-model.ts';

const optionsSchema = z.strictObject({
  'data-dir': z.string({ error: 'required: the embedded store directory' }).min(1),
  hours: z.coerce
    .number()
    .positive()
    .max(24 * 7)
    .default(24),
  spans: z.coerce.number().int().min(0).max(100_000_000).default(10_000_000),
  ahead: z.coerce.number().int().min(0).max(3600).default(900),
  'slice-seconds': z.coerce.number().int().min(60).max(86_400).default(3600),
  'span-batch': z.coerce.number().int().min(10_000).max(10_000_000).default(1_000_000),
});
export type GenerateOptions = z.output<typeof optionsSchema>;

export interface TableFigure {
  table: string;
  rows: number;
  seconds: number;
  rowsPerSec: number;
}

export interface GenerateResult {
  from: number;
  to: number;
  hours: number;
  tables: TableFigure[];
  rollups: Record<string, number>;
  totalRows: number;
  totalSeconds: number;
  /** Per-query cost in the store itself (same chDB client kind the dashboard uses), ms. */
  storeProbe: { query: string; p50: number; p95: number }[];
}

const ROLLUPS = [
  'otel_metrics_histogram_10s',
  'otel_metrics_histogram_1m',
  'otel_metrics_sum_10s',
  'otel_metrics_sum_1m',
  'otel_traces_trace_id_ts',
];

function parseOptions(argv: string[]): GenerateOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      'data-dir': { type: 'string' },
      hours: { type: 'string' },
      spans: { type: 'string' },
      ahead: { type: 'string' },
      'slice-seconds': { type: 'string' },
      'span-batch': { type: 'string' },
    },
    strict: true,
  });
  const parsed = optionsSchema.safeParse(values);
  if (!parsed.success) {
    throw new Error(parsed.error.issues.map((i) => `--${String(i.path[0])}: ${i.message}`).join('\n'));
  }
  return parsed.data;
}

const fmt = (n: number) =>
  n >= 1e6 ? `${(n / 1e6).toFixed(2)} M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)} k` : `${n}`;

export async function generate(options: GenerateOptions, log = console.log): Promise<GenerateResult> {
  // Hour slices of generated telemetry are long statements: no per-query bound here.
  const store = await createStore({ dataDir: options['data-dir'], queryTimeoutMs: 0 });
  const client = store.client;
  const count = async (table: string) => {
    const rows = await (
      await client.query({ query: `SELECT count() AS n FROM ${table}`, format: 'JSONEachRow' })
    ).json<{
      n: string;
    }>();
    return Number(rows[0]?.n ?? 0);
  };
  const to = Math.floor(Date.now() / 1000) + options.ahead;
  const totalSeconds = Math.round(options.hours * 3600);
  const from = to - totalSeconds;
  const tables: TableFigure[] = [];
  const started = performance.now();
  try {
    for (const table of ['otel_metrics_histogram', 'otel_metrics_sum', 'otel_metrics_gauge'] as const) {
      const t0 = performance.now();
      for (let at = from; at < to; at += options['slice-seconds']) {
        const seconds = Math.min(options['slice-seconds'], to - at);
        const statement =
          table === 'otel_metrics_histogram' ? histogramSlice(at, seconds) : valueSlice(table, at, seconds);
        await client.command(statement);
        const rows = await count(table);
        const elapsed = (performance.now() - t0) / 1000;
        log(
          `generate: ${table} ${((at + seconds - from) / 3600).toFixed(1)}/${options.hours} h, ${fmt(rows)} rows, ${fmt(Math.round(rows / elapsed))} rows/s`,
        );
      }
      const seconds = (performance.now() - t0) / 1000;
      const rows = await count(table);
      tables.push({ table, rows, seconds, rowsPerSec: rows / seconds });
    }
    if (options.spans > 0) {
      const t0 = performance.now();
      // Whole traces per batch, so a trace's spans land in one insert.
      const batch = Math.ceil(options['span-batch'] / SPANS_PER_TRACE) * SPANS_PER_TRACE;
      for (let first = 0; first < options.spans; first += batch) {
        const n = Math.min(batch, options.spans - first);
        await client.command(spanSlice(first, n, options.spans, from, totalSeconds));
        const elapsed = (performance.now() - t0) / 1000;
        log(
          `generate: otel_traces ${fmt(first + n)}/${fmt(options.spans)} spans, ${fmt(Math.round((first + n) / elapsed))} rows/s`,
        );
      }
      const seconds = (performance.now() - t0) / 1000;
      const rows = await count('otel_traces');
      tables.push({ table: 'otel_traces', rows, seconds, rowsPerSec: rows / seconds });
    }
    const rollups: Record<string, number> = {};
    for (const table of ROLLUPS) rollups[table] = await count(table);
    const empty = ROLLUPS.slice(0, 4).filter((t) => !rollups[t]);
    if (empty.length) throw new Error(`rollup views did not fill: ${empty.join(', ')}`);
    const totalRows = tables.reduce((a, t) => a + t.rows, 0);
    const storeProbe = await probeStore(store);
    return {
      from: from * 1000,
      to: to * 1000,
      hours: options.hours,
      tables,
      rollups,
      totalRows,
      totalSeconds: (performance.now() - started) / 1000,
      storeProbe,
    };
  } finally {
    await store.close();
  }
}

/**
 * The floor under every dashboard figure: a trivial query and one Overview-style statistic (p95
 * of the target's HTTP histogram over the last 15 min) timed straight on the store, 20 times each.
 */
async function probeStore(store: Store): Promise<GenerateResult['storeProbe']> {
  const now = Date.now();
  const probes: [string, () => Promise<unknown>][] = [
    ['SELECT 1', async () => (await store.client.query({ query: 'SELECT 1', format: 'JSONEachRow' })).json()],
    [
      'queryStat p95 http 15m',
      () =>
        queryStat(store.client, {
          metric: 'http.server.request.duration',
          kind: 'histogram',
          stat: 'p95',
          serviceName: TARGET_SERVICE,
          window: { from: now - 900_000, to: now },
        }),
    ],
  ];
  const figures: GenerateResult['storeProbe'] = [];
  for (const [query, run] of probes) {
    const samples: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t = performance.now();
      await run();
      samples.push(performance.now() - t);
    }
    samples.sort((a, b) => a - b);
    const at = (q: number) => Math.round((samples[Math.ceil(q * samples.length) - 1] ?? 0) * 10) / 10;
    figures.push({ query, p50: at(0.5), p95: at(0.95) });
  }
  return figures;
}

if (import.meta.main) {
  try {
    const result = await generate(parseOptions(process.argv.slice(2)));
    console.log(`RESULT ${JSON.stringify(result)}`);
    process.exit(0);
  } catch (error) {
    console.error(`generate failed: ${(error as Error).message}`);
    process.exit(1);
  }
}
