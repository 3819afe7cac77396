// The sample ingest against a real embedded store (chDB): a CSV file written the way k6 writes it —
// header, rows of many metrics, a line cut mid-way at a flush — is tailed in small chunks; every
// http_req_duration row lands once, also when inserts fail (before or after the store took them)
// and are retried; the file goes once all of it is stored, and stays when the store never answers.
import { appendFile, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createStore, type Store } from 'collector';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ingestRunSamples, type SampleInsertClient } from '../src/run-samples.ts';

let dir: string;
let store: Store;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lt-samples-'));
  store = await createStore({ dataDir: join(dir, 'chdb') });
});
afterAll(async () => {
  await store?.close();
  await rm(dir, { recursive: true, force: true });
});

const fixture = await readFile(join(import.meta.dirname, 'fixtures', 'k6-samples.csv'), 'utf8');
const [header, ...rows] = fixture.trimEnd().split('\n');

/** n iterations of the fixture's rows, each duration made unique (i + its own value). */
function csvRows(n: number): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++)
    for (const row of rows)
      out.push(row.replace(/^(http_req_duration,\d+,)([\d.]+)/, (_, a, v) => `${a}${i + Number(v)}`));
  return `${out.join('\n')}\n`;
}

async function stored(runId: string): Promise<{ n: number; sum: number; segments: string[] }> {
  const result = await store.client.query({
    query: `SELECT count() AS n, sum(DurationMs) AS sum, groupUniqArray(Segment) AS segments
      FROM cp_run_samples WHERE RunId = {runId:String}`,
    query_params: { runId },
    format: 'JSONEachRow',
  });
  const [row] = await result.json<{ n: string; sum: number; segments: string[] }>();
  return { n: Number(row?.n), sum: Number(row?.sum), segments: row?.segments ?? [] };
}

const samplesPerIteration = rows.filter((r) => r.startsWith('http_req_duration,')).length;

test('a file written in pieces is stored whole, once, despite failed inserts, then removed', async () => {
  const csvPath = join(dir, 'a.csv');
  const iterations = 60;
  const text = `${header}\n${csvRows(iterations)}`;
  let calls = 0;
  // The store is real; the faults are injected around it: the 2nd insert fails after the store took
  // it (as a timeout would look), the 3rd before.
  const client: SampleInsertClient = {
    async insert(args) {
      calls++;
      if (calls === 2) {
        await store.client.insert(args);
        throw new Error('timeout after the insert landed');
      }
      if (calls === 3) throw new Error('store unavailable');
      return store.client.insert(args);
    },
  };
  const warnings: string[] = [];
  const ingest = ingestRunSamples({
    client,
    runId: 'run_a',
    segment: '0:1/2',
    csvPath,
    pollMs: 20,
    chunkBytes: 2048,
    retryDelayMs: 10,
    warn: (m) => warnings.push(m),
  });
  // k6 flushes whatever it has: cut the text at arbitrary points, mid-line included.
  for (let at = 0; at < text.length; ) {
    const next = Math.min(text.length, at + 1500 + ((at * 7) % 900));
    await appendFile(csvPath, text.slice(at, next));
    at = next;
    await sleep(15);
  }
  const report = await ingest.finish();
  expect(report).toEqual({ stored: iterations * samplesPerIteration, complete: true });
  expect(calls).toBeGreaterThan(5);
  // One warning per outage (its first failed attempt), not one per retry.
  expect(warnings).toEqual([
    expect.stringMatching(/samples not stored yet \(attempt 1\): Error: timeout after the insert landed/),
  ]);
  const expectedSum = text
    .split('\n')
    .filter((l) => l.startsWith('http_req_duration,'))
    .reduce((a, l) => a + Number(l.split(',')[2]), 0);
  const got = await stored('run_a');
  expect(got.n).toBe(iterations * samplesPerIteration);
  expect(got.sum).toBeCloseTo(expectedSum, 6);
  expect(got.segments).toEqual(['0:1/2']);
  await expect(stat(csvPath)).rejects.toThrow(/ENOENT/);
});

test('a store that never answers: the ingest gives up, says so, and keeps the file', async () => {
  const csvPath = join(dir, 'b.csv');
  await appendFile(csvPath, `${header}\n${csvRows(3)}`);
  const ingest = ingestRunSamples({
    client: { insert: () => Promise.reject(new Error('store down')) },
    runId: 'run_b',
    segment: '',
    csvPath,
    pollMs: 20,
    attempts: 3,
    retryDelayMs: 5,
  });
  const report = await ingest.finish();
  expect(report.complete).toBe(false);
  expect(report.stored).toBe(0);
  expect(report.error).toMatch(/from byte 0 on not stored: store down/);
  expect((await stat(csvPath)).size).toBeGreaterThan(0);
  expect((await stored('run_b')).n).toBe(0);
});

test('the stored part of a growing file gives its disk blocks back while k6 still writes', async () => {
  const csvPath = join(dir, 'c.csv');
  const iterations = 400;
  await appendFile(csvPath, `${header}\n${csvRows(iterations)}`);
  const ingest = ingestRunSamples({
    client: store.client,
    runId: 'run_c',
    segment: '',
    csvPath,
    pollMs: 20,
    chunkBytes: 64 * 1024,
    punchBytes: 64 * 1024,
  });
  await expect
    .poll(async () => (await stored('run_c')).n, { timeout: 20_000 })
    .toBe(iterations * samplesPerIteration);
  const { size, blocks } = await stat(csvPath);
  expect(size).toBeGreaterThan(500_000);
  // What is left on disk: the last part not yet freed (< 64 KiB + a block).
  expect(blocks * 512).toBeLessThan(size / 4);
  expect((await ingest.finish()).complete).toBe(true);
});

test('a store that is down while k6 runs only delays the tail: nothing is given up before k6 exits', async () => {
  const csvPath = join(dir, 'd.csv');
  await appendFile(csvPath, `${header}\n${csvRows(5)}`);
  let failures = 0;
  const ingest = ingestRunSamples({
    client: {
      insert: (args) =>
        ++failures <= 6 ? Promise.reject(new Error('store down')) : store.client.insert(args),
    },
    runId: 'run_d',
    segment: '',
    csvPath,
    pollMs: 20,
    attempts: 2,
    retryDelayMs: 5,
  });
  // More failures than `attempts` while k6 still runs, then the store is back.
  await expect.poll(() => failures, { timeout: 10_000 }).toBeGreaterThan(6);
  expect(await ingest.finish()).toEqual({ stored: 5 * samplesPerIteration, complete: true });
  expect((await stored('run_d')).n).toBe(5 * samplesPerIteration);
});
