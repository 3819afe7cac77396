// Issue 20: coalescing light traffic (COLLECTOR_COALESCE_MS, 5000 in `npm start`; 15000 while nobody
// views the dashboard, COLLECTOR_COALESCE_UNWATCHED_MS) changes when rows are stored, never which
// rows or any figure. One hour of a quiet target's telemetry (seeded,
// exported every second, ending an hour ago) is replayed through the real OTLP/HTTP ingest into
// two fresh embedded stores — a collector with coalescing off (the default) and one with the
// shipped unwatched 15000 ms (the longest window `npm start` uses) — each in its own process (chDB: one data directory per process). Then the same
// rows are stored in both, once each, and every dashboard figure over the hour and sub-windows —
// scores per category and overall, per-route p50/p95/p99, error and request rates, the Overview's
// and Service page's charts — is exactly equal, read from the rollups and from the raw table alike.
// Wall time, CPU and active parts of each replay are printed, not asserted.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { planWindowSources } from 'collector/query';
import { afterAll, expect, it } from 'vitest';
import { quietHour } from '../support/quiet-hour.ts';
import { quietHourWindows } from '../support/quiet-hour-figures.ts';
import {
  CHUNK_SECONDS,
  type QuietHourReplayInput,
  type QuietHourReplayResult,
  quietHourReplayScript,
  RAW_TABLES,
} from '../support/quiet-hour-replay.ts';

const dir = mkdtempSync(join(tmpdir(), 'quiet-hour-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * The longest window `npm start` coalesces for: COLLECTOR_COALESCE_UNWATCHED_MS's default, taken
 * while nobody views the dashboard (start.sh's COLLECTOR_COALESCE_MS, 5000, while someone does).
 */
const SHIPPED_COALESCE_MS = 15_000;

const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

async function replay(name: string, input: Omit<QuietHourReplayInput, 'dataDir' | 'out'>) {
  const full = { ...input, dataDir: join(dir, name), out: join(dir, `${name}.json`) };
  await promisify(execFile)(process.execPath, [quietHourReplayScript, JSON.stringify(full)], {
    maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(readFileSync(full.out, 'utf8')) as QuietHourReplayResult;
}

it('stores the same rows and shows the same figures with coalescing off and at the shipped setting', async () => {
  // An hour ending an hour ago, on a minute boundary: long windows read the 1 min rollup.
  const t0 = Math.floor((Date.now() - 2 * 3_600_000) / 60_000) * 60_000;
  const windows = quietHourWindows(t0);
  // The windows cover both read paths: rollups (1 min, 10 s) and raw rows.
  const sources = (w: { from: number; to: number; stepSeconds: number }) =>
    planWindowSources(w, w.stepSeconds).map((p) => p.source);
  expect(sources(windows.hour)).toEqual(['1m']);
  expect(sources(windows.last15)).toEqual(['10s']);
  expect(sources(windows.odd7)).toEqual(['raw']);
  expect(sources(windows.hourRaw)).toEqual(['raw']);
  expect(sources(windows.hourInset)).toEqual(['raw', '10s', 'raw']);

  const [off, shipped] = await Promise.all([
    replay('coalescing-off', { t0, coalesceMs: 0 }),
    replay('coalescing-shipped', { t0, coalesceMs: SHIPPED_COALESCE_MS }),
  ]);

  console.log(
    `quiet hour replayed (${off.requests} requests each):\n` +
      [off, shipped]
        .map(
          (r, i) =>
            `  ${['coalescing off', `coalescing ${SHIPPED_COALESCE_MS} ms`][i]}: wall ${(r.wallMs / 1000).toFixed(1)} s, ` +
            `CPU ${(r.cpuMs / 1000).toFixed(1)} s, rows inserted directly ${r.stats.writtenRows}, via the queue ${r.stats.replayedRows}, ` +
            `active parts ${total(r.parts)} ${JSON.stringify(r.parts)}, parts on disk ${total(r.partsOnDisk)}`,
        )
        .join('\n'),
  );

  // The shipped collector really coalesced: every row went through the queue, none inserted directly.
  const expected = quietHour(t0, CHUNK_SECONDS).rows;
  const rows = total(expected);
  expect(shipped.stats.writtenRows).toBe(0);
  expect(shipped.stats.replayedRows).toBe(rows);
  expect(off.stats.writtenRows + off.stats.replayedRows).toBe(rows);
  // Nothing dropped, rejected or doubled: each raw table holds every generated row once, alike.
  for (const r of [off, shipped]) {
    expect(r.stats.droppedRows).toBe(0);
    expect(r.stats.rejectedPoints + r.stats.rejectedSpans).toBe(0);
    for (const table of RAW_TABLES) expect(r.stored[table]?.rows, table).toBe(expected[table]);
  }
  expect(shipped.stored).toEqual(off.stored);

  // The figures are real ones: every category the hour feeds is scored, 5xx are counted.
  const hour = off.figures.scores.hour;
  expect(hour.errors).toEqual([]);
  expect(hour.overall).not.toBeNull();
  for (const id of ['api', 'database', 'auth', 'storage', 'memory'])
    expect(hour.categories.find((c) => c.id === id)?.score, id).not.toBeNull();
  for (const snapshot of [...Object.values(off.figures.service), ...Object.values(off.figures.traffic)])
    expect(snapshot.error).toBeNull();
  for (const routes of Object.values(off.figures.routes)) {
    expect(routes.map((r) => r.route)).toEqual([
      '/api/auth/login',
      '/api/cars',
      '/api/cars/:id',
      '/api/recommendations',
    ]);
  }
  expect(off.figures.routes.hour?.find((r) => r.route === '/api/recommendations')?.errorRate).toBeGreaterThan(
    0,
  );

  // And they are exactly the same.
  expect(shipped.figures.scores).toEqual(off.figures.scores);
  expect(shipped.figures.routes).toEqual(off.figures.routes);
  expect(shipped.figures.service).toEqual(off.figures.service);
  expect(shipped.figures.traffic).toEqual(off.figures.traffic);
}, 300_000);
