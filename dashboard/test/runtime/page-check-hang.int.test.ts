// A page that never lets go of its main thread cannot hold the check: past its deadline the
// browser is closed, the page counts as a timeout, and the check ends.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createPageCheck } from '../../src/runtime/page-check/page-check.ts';
import { createPageCheckMetrics } from '../../src/runtime/page-check/page-metrics.ts';

let server: Server;
let base: string;

const PAGES: Record<string, string> = {
  // Paints, finishes loading, then spins forever: only the watchdog can end the observation.
  '/spin':
    '<!doctype html><h1>Loaded</h1><script>addEventListener("load",()=>setTimeout(()=>{for(;;){}},0))</script>',
  '/ok': '<!doctype html><h1>Fine</h1>',
};

beforeAll(async () => {
  server = createServer((request, response) => {
    const page = PAGES[request.url ?? ''];
    response.writeHead(page ? 200 : 404, { 'content-type': 'text/html' }).end(page ?? 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

it('ends a hung page at its deadline and skips the pages after it', async () => {
  const lines: string[] = [];
  const check = createPageCheck({
    urls: [`${base}/spin`, `${base}/ok`],
    intervalMs: 0,
    timeoutMs: 3_000,
    executablePath: '/usr/bin/chromium',
    // Nothing listens there: the export fails and is logged, which this test does not mind.
    metrics: createPageCheckMetrics({ otlpUrl: 'http://127.0.0.1:9', exportTimeoutMs: 500 }),
    log: (line) => lines.push(line),
  });
  const results = await check.runOnce();
  expect(results).toEqual([
    expect.objectContaining({ url: `${base}/spin`, state: 'failed', reason: 'timeout' }),
    expect.objectContaining({ url: `${base}/ok`, state: 'failed', reason: 'timeout' }),
  ]);
  expect(lines.some((l) => l.includes('/spin failed (timeout)'))).toBe(true);
  // The next check starts a fresh browser and measures the healthy page.
  const again = await createPageCheck({
    urls: [`${base}/ok`],
    intervalMs: 0,
    timeoutMs: 10_000,
    executablePath: '/usr/bin/chromium',
    metrics: createPageCheckMetrics({ otlpUrl: 'http://127.0.0.1:9', exportTimeoutMs: 500 }),
    log: () => undefined,
  }).runOnce();
  expect(again[0]).toMatchObject({ state: 'measured', timings: { tti: expect.any(Number), tbt: 0 } });
  await check.stop();
});
