// The completion notice's bodies (Slack's {text}, the plain webhook's JSON) and its delivery to a
// real local HTTP server: a refused or unreachable receiver is reported as not delivered, never thrown.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EndedRun } from 'load-tests';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverNotice, noticeBody, type RunVerdict } from '../../src/runtime/scheduler/run-notice.ts';

const run = {
  id: 'run_20260101T030000Z_abc123',
  scenario: 'smoke',
  state: 'finished',
} as EndedRun;
const failed: RunVerdict = {
  verdict: 'failed',
  failures: ['regression: (all) p95Ms: 100 → 180 (+80.0 %), 4.0× the noise band'],
  baselineRunId: 'run_base',
  regressions: [{ endpoint: '(all)', metric: 'p95Ms', base: 100, candidate: 180, deltaPct: 80 }],
};
const input = {
  schedule: { id: 'sch_abcdef', name: 'nightly', cron: '0 3 * * *', timeZone: 'Europe/Berlin' },
  run,
  verdict: failed,
  runUrl: 'http://perf.example.com/runs/run_20260101T030000Z_abc123',
};

describe('noticeBody', () => {
  it('gives Slack one text with the verdict, each failure and the run link', () => {
    expect(noticeBody('slack', input)).toEqual({
      text: [
        '❌ Scheduled run "nightly" (smoke) finished: gate FAILED',
        '• regression: (all) p95Ms: 100 → 180 (+80.0 %), 4.0× the noise band',
        'baseline run_base — <http://perf.example.com/runs/run_20260101T030000Z_abc123|run_20260101T030000Z_abc123>',
      ].join('\n'),
    });
  });

  it('gives a webhook the schedule, run, state, verdict, regressions and link as JSON', () => {
    expect(noticeBody('webhook', input)).toEqual({
      schedule: input.schedule,
      runId: run.id,
      scenario: 'smoke',
      state: 'finished',
      verdict: 'failed',
      failures: failed.failures,
      baselineRunId: 'run_base',
      regressions: failed.regressions,
      url: input.runUrl,
    });
  });
});

describe('deliverNotice', () => {
  let server: Server;
  let base = '';
  const received: string[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push(`${req.method} ${req.url} ${req.headers['content-type']} ${body}`);
        res.writeHead(req.url === '/broken' ? 500 : 200).end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => server.close());

  it('posts JSON and says sent', async () => {
    expect(await deliverNotice(`${base}/hook`, { text: 'hi' })).toBe('sent');
    expect(received).toContain('POST /hook application/json {"text":"hi"}');
  });

  it('reports a refusal and an unreachable receiver instead of throwing', async () => {
    expect(await deliverNotice(`${base}/broken`, {})).toBe('not delivered: HTTP 500');
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    expect(await deliverNotice(`http://127.0.0.1:${port}/`, {})).toBe('not delivered: ECONNREFUSED');
  });
});
