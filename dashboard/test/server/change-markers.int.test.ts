// Change markers from the audit log on a real chDB store: chaos changes (as the Chaos page records
// them) and an experiment's switches (as the experiment host records them, one row per switch)
// written before, inside and after a window; the window's markers are exactly those inside, in time
// order, with their labels — through the server function and the changes router.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createStore, type Store } from 'collector';
import type { ExperimentEvent, Settings } from 'load-tests';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { switchAuditor } from '../../src/runtime/experiments/switch-audit.ts';
import { type AuditLog, createAuditLog } from '../../src/server/audit.ts';
import { readChangeMarkers } from '../../src/server/change-markers.ts';
import { createCaller } from '../../src/server/routers/_app.ts';
import type { Services } from '../../src/server/services.ts';

let dir: string;
let store: Store;
let audit: AuditLog;
let services: Services;

const noChaos = {
  latencyMs: 0,
  jitterMs: 0,
  errorRate: 0,
  routes: [] as string[],
  cacheEnabled: true,
  slowQueryMs: 0,
  slowQueryRate: 1,
  memoryLeakMbPerSec: 0,
  memoryLeakCapMb: 256,
  cpuBurn: 0,
  poolMax: null,
  updatedAt: '2026-12-07T15:00:00.000Z',
};
const optimisationsOn = { responseCache: true, redisL2: true, poolSize: 10 };

/** A chaos change exactly as the chaos router records it. */
const recordChaos = (next: typeof noChaos, previous = noChaos) =>
  audit.record({
    actor: 'ada',
    role: 'admin',
    action: 'chaos.change',
    target: 'http://127.0.0.1:8080',
    details: { previous, next },
  });

/** An experiment's events, as runExperiment reports them, for the host's switch auditor. */
function experimentEvents(experimentId: string) {
  const started: ExperimentEvent = {
    type: 'started',
    experimentId,
    order: [],
    originalSettings: optimisationsOn,
  };
  const switched = (variant: string, index: number, settings: Settings): ExperimentEvent => ({
    type: 'switched',
    experimentId,
    slot: { variant, round: 1, index },
    total: 3,
    settings,
  });
  const reset: ExperimentEvent = { type: 'reset', experimentId, settings: optimisationsOn };
  return { started, switched, reset };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dashboard-change-markers-'));
  store = await createStore({ dataDir: join(dir, 'chdb') });
  audit = createAuditLog(store.client, (line) => {
    throw new Error(line);
  });
  services = { audit, store, config: { liveSnapshots: 'fresh' } } as unknown as Services;
});

afterAll(async () => {
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Lets the clock move on, so rows on either side of a window edge never share a millisecond. */
const tick = () => sleep(15);

describe('change markers', () => {
  it('gives exactly the chaos changes and optimisation switches inside a window, oldest first', async () => {
    const auditSwitch = switchAuditor({
      audit,
      target: 'http://127.0.0.1:8080',
      resource: '/admin/optimisations',
      actor: 'quinn',
      role: 'qa',
    });
    const events = experimentEvents('exp_test_1');
    auditSwitch(events.started);

    // Before the window.
    await recordChaos({ ...noChaos, errorRate: 0.5 });
    await auditSwitch(events.switched('no-cache', 0, { ...optimisationsOn, responseCache: false }));
    await tick();
    const from = Date.now();
    await tick();

    // Inside: a chaos change, a switch, a switch that changes nothing (no row), the reset,
    // another chaos change and an audit row of something else.
    await recordChaos({ ...noChaos, latencyMs: 400, routes: ['/api/cars'] });
    await tick();
    await auditSwitch(events.switched('small-pool', 1, { ...optimisationsOn, poolSize: 2 }));
    await tick();
    expect(auditSwitch(events.switched('small-pool', 2, { ...optimisationsOn, poolSize: 2 }))).toBe(
      undefined,
    );
    await auditSwitch(events.reset);
    await tick();
    await recordChaos(noChaos, { ...noChaos, latencyMs: 400 });
    await audit.record({ actor: 'quinn', role: 'qa', action: 'run.launch', target: 'run_1', details: {} });
    await tick();
    const to = Date.now();
    await tick();

    // After the window.
    await recordChaos({ ...noChaos, cacheEnabled: false });

    const markers = await readChangeMarkers(audit, { from, to });
    expect(markers.map(({ kind, label }) => ({ kind, label }))).toEqual([
      { kind: 'chaos', label: 'chaos: +400 ms on /api/cars' },
      { kind: 'optimisation', label: 'responseCache on, poolSize 2' },
      { kind: 'optimisation', label: 'poolSize 10 (reset)' },
      { kind: 'chaos', label: 'chaos: off' },
    ]);
    for (const m of markers) expect(m.at).toBeGreaterThanOrEqual(from);
    for (const m of markers) expect(m.at).toBeLessThanOrEqual(to);
    expect(markers.map((m) => m.at)).toEqual([...markers.map((m) => m.at)].sort((a, b) => a - b));

    // Each switch is on the audit log with the settings it changed, from and to.
    const switches = await audit.list({ fromMs: from, toMs: to, action: 'experiment.switch', limit: 10 });
    expect(switches.map((s) => s.details)).toEqual([
      {
        experimentId: 'exp_test_1',
        resource: '/admin/optimisations',
        variant: null,
        changed: { poolSize: { from: 2, to: 10 } },
      },
      {
        experimentId: 'exp_test_1',
        resource: '/admin/optimisations',
        variant: 'small-pool',
        changed: { responseCache: { from: false, to: true }, poolSize: { from: 10, to: 2 } },
      },
    ]);
    expect(switches[0]).toMatchObject({
      actor: 'quinn',
      role: 'qa',
      target: 'http://127.0.0.1:8080/admin/optimisations',
    });

    // The same through the API a viewer may call.
    const viewer = createCaller({ services, headers: new Headers(), user: { name: 'vic', role: 'viewer' } });
    expect(await viewer.changes.forWindow({ from, to })).toEqual(markers);
    const live = await viewer.changes.live({ range: '5m' });
    for await (const snapshot of live) {
      expect(snapshot.error).toBeNull();
      // Every marker written in this test is within the last 5 minutes, the one after the window too.
      expect(snapshot.markers.map((m) => m.label)).toEqual([
        'chaos: 50% errors',
        'responseCache off',
        ...markers.map((m) => m.label),
        'chaos: cache off',
      ]);
      break;
    }
  });

  it('keeps only the newest 20 markers of a busy window', async () => {
    const from = Date.now();
    await tick();
    for (let ms = 1; ms <= 25; ms++) {
      await recordChaos({ ...noChaos, latencyMs: ms });
      await sleep(3);
    }
    const markers = await readChangeMarkers(audit, { from, to: Date.now() });
    expect(markers.map((m) => m.label)).toEqual(Array.from({ length: 20 }, (_, i) => `chaos: +${i + 6} ms`));
  });
});
