// k6's --out opentelemetry as the launcher configures it, received by a real OTLP/HTTP server:
// metrics arrive as protobuf, sums and histograms with delta temporality, every point tagged run_id.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createLauncher } from '../src/launcher.ts';
import { JOURNEY_ROUTES } from './helpers/journey-routes.ts';
import { type OtlpReceiver, startOtlpReceiver } from './helpers/otlp-receiver.ts';
import { startTestTarget, type TestTarget } from './helpers/test-target.ts';

const DELTA = 1;
let target: TestTarget;
let receiver: OtlpReceiver;

beforeAll(async () => {
  target = await startTestTarget();
  receiver = await startOtlpReceiver();
});
afterAll(async () => {
  await target?.close();
  await receiver?.close();
});

test('a run exports delta metrics tagged with its run id', async () => {
  const launcher = createLauncher({
    targets: [target.url],
    runsDir: mkdtempSync(join(tmpdir(), 'lt-runs-')),
    otlpEndpoint: receiver.endpoint,
  });
  const run = launcher.launch({ scenario: 'smoke', params: { target: target.url, vus: 2, duration: '3s' } });
  const ended = await launcher.whenEnded(run.id);
  await launcher.close();
  expect(ended.state).toBe('finished');

  const byName = (name: string) => receiver.metrics.filter((m) => m.name === name);
  expect(byName('http_reqs').length).toBeGreaterThan(0);
  for (const m of byName('http_reqs')) expect([m.kind, m.temporality]).toEqual(['sum', DELTA]);
  for (const m of byName('http_req_duration')) expect([m.kind, m.temporality]).toEqual(['histogram', DELTA]);
  const points = receiver.metrics.flatMap((m) => m.attributes);
  expect(points.length).toBeGreaterThan(0);
  expect(points.every((a) => a.run_id === run.id)).toBe(true);
  const routes = new Set(byName('http_req_duration').flatMap((m) => m.attributes.map((a) => a.name)));
  // Points per route of the journeys that ran: browse, and the signed-in user's sign-up and login.
  expect([...routes]).toEqual(
    expect.arrayContaining([
      'GET /api/cars',
      'GET /api/cars/:id',
      'GET /api/makes',
      'GET /api/recommendations',
      'POST /api/auth/register',
      'POST /api/auth/login',
    ]),
  );
  for (const route of routes) expect(JOURNEY_ROUTES).toContain(route);
});
