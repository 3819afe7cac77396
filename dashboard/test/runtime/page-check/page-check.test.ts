// A check that cannot run (no browser at the configured path, no collector to send to) is counted
// and logged, never thrown; the schedule runs one check at a time and stop() ends it.
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createPageCheck } from '../../../src/runtime/page-check/page-check.ts';
import { createPageCheckMetrics } from '../../../src/runtime/page-check/page-metrics.ts';

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function brokenCheck(intervalMs: number) {
  const lines: string[] = [];
  const check = createPageCheck({
    urls: ['http://127.0.0.1:9/'],
    intervalMs,
    timeoutMs: 10_000,
    executablePath: '/nonexistent/chromium',
    metrics: createPageCheckMetrics({
      otlpUrl: `http://127.0.0.1:${await closedPort()}`,
      exportTimeoutMs: 500,
    }),
    log: (line) => lines.push(line),
  });
  return { check, lines };
}

describe('page check failures', () => {
  it('reports a missing browser as a failed check and logs the export failure', async () => {
    const { check, lines } = await brokenCheck(0);
    const results = await check.runOnce();
    expect(results).toEqual([
      {
        state: 'failed',
        url: 'http://127.0.0.1:9/',
        reason: 'browser',
        message: expect.stringContaining('cannot start Chromium at /nonexistent/chromium'),
      },
    ]);
    expect(lines[0]).toMatch(/^page check: http:\/\/127\.0\.0\.1:9\/ failed \(browser\)/);
    expect(lines.some((l) => l.startsWith('page check: could not send its metrics'))).toBe(true);
    await check.stop();
  });

  it('shares a check under way instead of starting a second one', async () => {
    const { check } = await brokenCheck(0);
    const first = check.runOnce();
    expect(check.runOnce()).toBe(first);
    await first;
    await check.stop();
  });

  it('keeps checking on schedule after failures (a repeated failure logged once), and stops', async () => {
    const { check, lines } = await brokenCheck(50);
    check.start();
    // Every check also fails to send its failure count: one such line per check.
    const checks = () => lines.filter((l) => l.includes('could not send')).length;
    await expect.poll(checks, { timeout: 4_000 }).toBeGreaterThanOrEqual(3);
    expect(lines.filter((l) => l.includes('failed (browser)'))).toHaveLength(1);
    await check.stop();
    const after = lines.length;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(lines.length).toBe(after);
  });
});
