// The public car API over HTTP, on PGlite and on a real PostgreSQL server: filters, pages, ids, errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Car } from '../../src/cars/generate.ts';
import type { ErrorBody } from '../../src/http/errors.ts';
import type { CarSearchResponse } from '../../src/routes/cars.ts';
import { createTestDatabase, type TestDatabase } from '../support/databases.ts';
import { startTestApp, TEST_CAR_COUNT, type TestApp, testCars } from '../support/test-app.ts';

const byPriceThenId = (a: Car, b: Car) => a.price - b.price || a.id - b.id;

describe.each(['pglite', 'postgresql'] as const)('car API on %s', (engine) => {
  let t: TestApp;
  let database: TestDatabase | undefined;

  beforeAll(async () => {
    if (engine === 'postgresql') database = await createTestDatabase('cars_api');
    t = await startTestApp(database === undefined ? {} : { databaseUrl: database.url });
  });

  afterAll(async () => {
    await t?.close();
    await database?.drop();
  });

  it('reports health, and readiness with the database engine', async () => {
    expect(await t.get('/health')).toMatchObject({ status: 200, body: { status: 'ok' } });
    expect(await t.get('/ready')).toMatchObject({
      status: 200,
      body: { status: 'ready', checks: { database: { status: 'up', engine } } },
    });
  });

  it('returns only cars matching every filter, sorted by price then id, with a total across pages', async () => {
    const query = 'make=BMW&bodyType=suv&minPrice=5000&maxPrice=60000&minYear=2012';
    const want = testCars
      .filter(
        (c) =>
          c.make === 'BMW' && c.bodyType === 'suv' && c.price >= 5000 && c.price <= 60000 && c.year >= 2012,
      )
      .sort(byPriceThenId);
    expect(want.length).toBeGreaterThan(25);

    const first = await t.get<CarSearchResponse>(`/api/cars?${query}&pageSize=10`);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ total: want.length, page: 1, pageSize: 10 });
    expect(first.body.items).toEqual(want.slice(0, 10));

    const pages: Car[] = [];
    for (let page = 1; page <= Math.ceil(want.length / 10); page++) {
      const { body } = await t.get<CarSearchResponse>(`/api/cars?${query}&pageSize=10&page=${page}`);
      expect(body.total).toBe(want.length);
      pages.push(...body.items);
    }
    expect(pages.map((c) => c.id)).toEqual(want.map((c) => c.id));
    const past = await t.get(`/api/cars?${query}&pageSize=10&page=${Math.ceil(want.length / 10) + 1}`);
    expect(past.body).toMatchObject({ items: [], total: want.length });
  });

  it('defaults to page 1 of 20 over all cars', async () => {
    const { body } = await t.get<CarSearchResponse>('/api/cars');
    expect(body).toMatchObject({ total: TEST_CAR_COUNT, page: 1, pageSize: 20 });
    expect(body.items).toEqual([...testCars].sort(byPriceThenId).slice(0, 20));
  });

  it('rejects a bad query with 400 and the issue at each field', async () => {
    const bad = await t.get<ErrorBody>('/api/cars?pageSize=500&minPrice=cheap&fuel=steam&colour=red');
    expect(bad.status).toBe(400);
    expect(bad.type).toMatch(/^application\/json/);
    expect(bad.body.error).toBe('invalid query');
    expect(bad.body.issues).toEqual(
      expect.arrayContaining([
        { path: 'pageSize', message: 'must be at most 100' },
        { path: 'minPrice', message: 'must be a whole number' },
        expect.objectContaining({ path: 'fuel' }),
        { path: 'colour', message: 'unknown field' },
      ]),
    );
    const inverted = await t.get('/api/cars?minPrice=9000&maxPrice=1000');
    expect(inverted).toMatchObject({
      status: 400,
      body: { issues: [{ path: 'maxPrice', message: 'must be ≥ minPrice' }] },
    });
  });

  it('returns a car by id, 404 for an unknown id, 400 for a malformed one', async () => {
    expect(await t.get('/api/cars/17')).toMatchObject({ status: 200, body: testCars[16] });
    expect(await t.get(`/api/cars/${TEST_CAR_COUNT + 1}`)).toMatchObject({
      status: 404,
      body: { error: `car ${TEST_CAR_COUNT + 1} not found` },
    });
    expect(await t.get('/api/cars/0')).toMatchObject({ status: 400, body: { issues: [{ path: 'id' }] } });
    expect(await t.get('/api/cars/abc')).toMatchObject({ status: 400, body: { issues: [{ path: 'id' }] } });
  });

  it('answers unknown routes with 404 JSON', async () => {
    expect(await t.get('/api/trucks?x=1')).toEqual({
      status: 404,
      type: expect.stringMatching(/^application\/json/),
      body: { error: 'no route for GET /api/trucks' },
    });
  });

  it('lists the makes', async () => {
    const { body } = await t.get<{ makes: string[] }>('/api/makes');
    expect(body.makes).toEqual([...new Set(testCars.map((c) => c.make))].sort());
  });
});
