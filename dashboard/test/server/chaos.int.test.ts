// Chaos from the dashboard against the real target app: admins change it (audited with the
// settings before and after), other roles are refused and the target stays as it was.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTargetApp, type TargetApp } from 'target-app';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDashboardEnv } from '../../src/env.ts';
import type { Role } from '../../src/lib/roles.ts';
import { type RunningServices, startServices } from '../../src/runtime/start-services.ts';
import { createCaller } from '../../src/server/routers/_app.ts';
import { chaosSettingsSchema } from '../../src/server/target-chaos.ts';

const ADMIN_TOKEN = 'chaos-test-admin-token';
let dir: string;
let target: TargetApp;
let running: RunningServices;

const as = (role: Role) =>
  createCaller({ services: running.services, headers: new Headers(), user: { name: `${role}-user`, role } });

async function targetChaos() {
  const res = await fetch(`${target.url}/admin/chaos`, {
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
  });
  return (await res.json()) as { latencyMs: number; jitterMs: number; errorRate: number; routes: string[] };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dashboard-chaos-'));
  target = await startTargetApp({ port: 0, carCount: 200, adminToken: ADMIN_TOKEN, logLevel: 'warn' });
  const env = parseDashboardEnv({
    DATA_DIR: dir,
    COLLECTOR_ENABLED: 'false',
    PORT: '0',
    TARGET_URL: target.url,
    TARGET_ADMIN_TOKEN: ADMIN_TOKEN,
  });
  running = await startServices(env, () => undefined);
});

afterAll(async () => {
  await running?.close();
  await target?.close();
  rmSync(dir, { recursive: true, force: true });
});

const settings = (over: object) => chaosSettingsSchema.parse(over);

describe('chaos', () => {
  it('shows everyone the current settings', async () => {
    const { state, error } = await as('viewer').chaos.state();
    expect(error).toBeNull();
    expect(state).toMatchObject({ latencyMs: 0, errorRate: 0, cacheEnabled: true });
  });

  it('refuses viewers and qa: the target is not touched', async () => {
    for (const role of ['viewer', 'qa'] as const) {
      await expect(as(role).chaos.set(settings({ latencyMs: 500 }))).rejects.toMatchObject({
        code: 'FORBIDDEN',
      });
      await expect(as(role).chaos.reset()).rejects.toMatchObject({ code: 'FORBIDDEN' });
    }
    expect((await targetChaos()).latencyMs).toBe(0);
  });

  it('lets an admin change and reset it, each change audited with before and after', async () => {
    const next = await as('admin').chaos.set(settings({ latencyMs: 120, errorRate: 0.05 }));
    expect(next).toMatchObject({ latencyMs: 120, errorRate: 0.05 });
    expect(await targetChaos()).toMatchObject({ latencyMs: 120, errorRate: 0.05 });
    await as('admin').chaos.reset();
    expect((await targetChaos()).latencyMs).toBe(0);

    const { entries } = await as('admin').audit.list({ action: 'chaos.change' });
    expect(entries).toHaveLength(2);
    expect(entries[1]).toMatchObject({
      actor: 'admin-user',
      target: target.url,
      details: { previous: { latencyMs: 0 }, next: { latencyMs: 120, errorRate: 0.05 } },
    });
    expect(entries[0]?.details).toMatchObject({ reset: true, next: { latencyMs: 0 } });
  });

  it('lists the routes a setting may be scoped to, and round-trips a scope and jitter (audited)', async () => {
    const { knownRoutes } = await as('viewer').chaos.state();
    expect(knownRoutes).toEqual(expect.arrayContaining(['/api/cars/:id', '/api/makes']));
    expect(knownRoutes.every((r) => r.startsWith('/api'))).toBe(true);

    const scoped = { latencyMs: 40, jitterMs: 250, routes: ['/api/makes', '/api/cars/:id'] };
    expect(await as('admin').chaos.set(settings(scoped))).toMatchObject(scoped);
    expect(await targetChaos()).toMatchObject(scoped);
    expect((await as('viewer').chaos.state()).state).toMatchObject(scoped);
    const { entries } = await as('admin').audit.list({ action: 'chaos.change' });
    expect(entries[0]?.details).toMatchObject({ previous: { jitterMs: 0, routes: [] }, next: scoped });

    await as('admin').chaos.reset();
    expect(await targetChaos()).toMatchObject({ jitterMs: 0, routes: [] });
  });

  it("passes on the target's refusal field by field, and changes nothing", async () => {
    const before = await targetChaos();
    await expect(
      as('admin').chaos.set(settings({ jitterMs: 10, routes: ['/api/makes', '/api/nope'] })),
    ).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      cause: {
        issues: [
          {
            field: 'routes.1',
            message: expect.stringMatching(/^unknown route '\/api\/nope'; known: .*\/api\/cars\/:id/),
          },
        ],
      },
    });
    expect(await targetChaos()).toEqual(before);
  });

  it('rejects jitter outside the target’s bounds before calling the target', async () => {
    await expect(as('admin').chaos.set({ ...settings({}), jitterMs: 30_001 })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('jitter is 0..30000 ms'),
    });
  });

  it('rejects bad input before calling the target', async () => {
    await expect(as('admin').chaos.set({ ...settings({}), errorRate: 3 })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
  });
});
