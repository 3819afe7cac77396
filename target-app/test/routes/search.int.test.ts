// Search, similar cars and recommendations over HTTP on a real PostgreSQL server (pg pool): free
// text, facets, sort, cursor paging, field-level validation, and injection attempts that change
// nothing. The same queries run on PGlite in test/db/car-store.int.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Car } from '../../src/cars/generate.ts';
import type { Recommendations, ScoredCar } from '../../src/db/recommendations.ts';
import type { ErrorBody } from '../../src/http/errors.ts';
import type { CarSearchResponse } from '../../src/routes/cars.ts';
import { createTestDatabase, type TestDatabase } from '../support/databases.ts';
import { startTestApp, TEST_CAR_COUNT, type TestApp, testCars } from '../support/test-app.ts';

let t: TestApp;
let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase('search_api');
  t = await startTestApp({ databaseUrl: database.url, dbPoolMax: 4, dbPoolMin: 1 });
});

afterAll(async () => {
  await t?.close();
  await database?.drop();
});

describe('search', () => {
  it('pages with the cursor through the same cars as offset pages, newest first', async () => {
    const want = testCars
      .filter((c) => c.bodyType === 'suv')
      .sort((a, b) => b.year - a.year || b.id - a.id)
      .map((c) => c.id);
    const seen: number[] = [];
    let path = '/api/cars?bodyType=suv&sort=-year&pageSize=40';
    for (let i = 0; i < 100; i++) {
      const { status, body } = await t.get<CarSearchResponse>(path);
      expect(status).toBe(200);
      expect(body.total).toBe(want.length);
      seen.push(...body.items.map((c) => c.id));
      if (body.nextCursor === null) break;
      expect(body.page).toBe(i === 0 ? 1 : undefined);
      path = `/api/cars?bodyType=suv&sort=-year&pageSize=40&cursor=${body.nextCursor}`;
    }
    expect(seen).toEqual(want);
  });

  it('answers free text by relevance and reports a typo match as fuzzy', async () => {
    const exact = await t.get<CarSearchResponse>('/api/cars?q=tesla%20model%203');
    expect(exact.body.textMatch).toBe('fulltext');
    expect(exact.body.total).toBe(testCars.filter((c) => c.make === 'Tesla' && c.model === 'Model 3').length);
    const typo = await t.get<CarSearchResponse>('/api/cars?q=volkswagn');
    expect(typo.body.textMatch).toBe('fuzzy');
    expect(typo.body.items.length).toBeGreaterThan(0);
    expect(typo.body.items.every((c: Car) => c.make === 'Volkswagen')).toBe(true);
  });

  it('returns facet counts with labelled price bands on request', async () => {
    const { body } = await t.get<CarSearchResponse>('/api/cars?fuel=electric&facets=true&pageSize=1');
    const electric = testCars.filter((c) => c.fuel === 'electric');
    expect(body.facets?.fuel).toEqual([{ value: 'electric', count: electric.length }]);
    expect(body.facetsRelation).toBe('eq');
    expect(body.facets?.make.reduce((sum, f) => sum + f.count, 0)).toBe(electric.length);
    expect(body.facets?.priceBand[0]).toMatchObject({ label: expect.any(String), min: expect.any(Number) });
    expect((await t.get<CarSearchResponse>('/api/cars?pageSize=1')).body.facets).toBeUndefined();
  });

  it('rejects bad search input with the field and the reason', async () => {
    const cases: [string, { path: string; message: string }][] = [
      ['sort=relevance', { path: 'sort', message: 'relevance needs a q (free text)' }],
      ['sort=colour', { path: 'sort', message: expect.stringContaining('expected one of') }],
      ['cursor=not-a-cursor', { path: 'cursor', message: 'is not a valid cursor' }],
      [`q=${'x'.repeat(101)}`, { path: 'q', message: 'must be at most 100 characters' }],
      ['minMileage=9000&maxMileage=10', { path: 'maxMileage', message: 'must be ≥ minMileage' }],
      ['transmission=cvt', { path: 'transmission', message: expect.any(String) }],
      ['facets=maybe', { path: 'facets', message: 'must be true or false' }],
    ];
    for (const [query, issue] of cases) {
      const bad = await t.get<ErrorBody>(`/api/cars?${query}`);
      expect(bad.status, query).toBe(400);
      expect(bad.body.issues, query).toEqual([issue]);
    }
    const first = await t.get<CarSearchResponse>('/api/cars?pageSize=5');
    const mixed = await t.get<ErrorBody>(`/api/cars?pageSize=5&page=2&cursor=${first.body.nextCursor}`);
    expect(mixed.body.issues).toEqual([{ path: 'page', message: 'cannot be combined with cursor' }]);
    const otherSort = await t.get<ErrorBody>(`/api/cars?sort=year&cursor=${first.body.nextCursor}`);
    expect(otherSort.body.issues).toEqual([
      { path: 'cursor', message: 'was issued for sort=price, not sort=year' },
    ]);
  });

  it('treats injection attempts as plain text and changes nothing', async () => {
    const attempts = [
      "make=BMW'%20OR%20'1'='1",
      'q=%27%3B%20DROP%20TABLE%20cars%3B%20--',
      'city=Berlin%22%3B%20DELETE%20FROM%20cars%3B',
      'model=%27)%20UNION%20SELECT%20*%20FROM%20pg_user--',
    ];
    for (const query of attempts) {
      const { status, body } = await t.get<CarSearchResponse>(`/api/cars?${query}`);
      expect(status, query).toBe(200);
      expect(body.total, query).toBe(0);
    }
    expect((await t.get<CarSearchResponse>('/api/cars')).body.total).toBe(TEST_CAR_COUNT);
  });
});

describe('similar cars and recommendations', () => {
  it('lists similar cars for a car, 404 for an unknown car, 400 for a bad limit', async () => {
    const car = testCars[41]!;
    const { status, body } = await t.get<{ items: ScoredCar[] }>(`/api/cars/${car.id}/similar?limit=5`);
    expect(status).toBe(200);
    expect(body.items).toHaveLength(5);
    expect(body.items.every((c) => c.bodyType === car.bodyType && c.id !== car.id)).toBe(true);
    expect((await t.get(`/api/cars/${TEST_CAR_COUNT + 1}/similar`)).status).toBe(404);
    expect(await t.get('/api/cars/1/similar?limit=500')).toMatchObject({
      status: 400,
      body: { issues: [{ path: 'limit', message: 'must be at most 50' }] },
    });
  });

  it('recommends from the user’s cars, popular cars otherwise, and validates the ids', async () => {
    const profile = await t.get<Recommendations>('/api/recommendations?carIds=3,9&limit=8');
    expect(profile).toMatchObject({ status: 200, body: { basis: 'profile' } });
    expect(profile.body.items).toHaveLength(8);
    expect(profile.body.items.map((c) => c.id)).not.toContain(3);
    const popular = await t.get<Recommendations>('/api/recommendations');
    expect(popular.body.basis).toBe('popular');
    expect(popular.body.items).toHaveLength(10);
    expect(await t.get('/api/recommendations?carIds=1,abc')).toMatchObject({
      status: 400,
      body: { issues: [{ path: 'carIds', message: 'must be comma-separated positive car ids' }] },
    });
  });
});

describe('readiness', () => {
  it('reports unavailable (503) once the database is gone', async () => {
    await database.drop();
    const ready = await t.get<{ status: string; checks: { database: { status: string } } }>('/ready');
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({ status: 'unavailable', checks: { database: { status: 'down' } } });
    expect((await t.get('/api/cars?make=BMW')).status).toBeGreaterThanOrEqual(500);
  });
});
