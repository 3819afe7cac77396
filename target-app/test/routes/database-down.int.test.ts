// The database going away while the app runs: 503 with Retry-After, quickly, never a 500 or a hang.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/databases.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

let database: TestDatabase;
let t: TestApp;

beforeAll(async () => {
  database = await createTestDatabase('database_down');
  t = await startTestApp({
    carCount: 200,
    databaseUrl: database.url,
    dbPoolMin: 0,
    dbPoolMax: 2,
    dbPoolAcquireTimeoutMs: 1_000,
  });
});

afterAll(async () => {
  await t?.close();
  await database?.drop();
});

describe('database down', () => {
  it('answers 503 with Retry-After, and /ready reports it', async () => {
    expect((await t.get('/api/cars/1')).status).toBe(200);
    await database.drop();
    for (const path of ['/api/cars/2', '/api/cars?minPrice=5000', '/api/recommendations?carIds=1']) {
      const started = performance.now();
      const response = await fetch(`${t.url}${path}`);
      expect(response.status, path).toBe(503);
      expect(response.headers.get('retry-after')).toBe('5');
      expect(await response.json()).toEqual({
        error: 'service temporarily unavailable: database not reachable',
      });
      expect(performance.now() - started).toBeLessThan(5_000);
    }
    // Still served from the cache: the car read before the outage.
    expect((await t.get('/api/cars/1')).status).toBe(200);
    expect(await t.get('/ready')).toMatchObject({
      status: 503,
      body: { status: 'unavailable', db: 'down', redis: 'disabled' },
    });
  });
});
