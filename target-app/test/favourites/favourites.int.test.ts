// Favourites end to end on PGlite (in-process cache) and PostgreSQL (Redis L2): add, remove, list,
// the car's counter changing in the same transaction (also under concurrent writes), cached car
// details invalidated, and recommendations seeded by the signed-in user's favourites.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Car } from '../../src/cars/generate.ts';
import type { Recommendations } from '../../src/db/recommendations.ts';
import type { FavouriteCar } from '../../src/favourites/favourites.ts';
import { call, signUp } from '../auth/auth-client.ts';
import { createTestDatabase, type TestDatabase } from '../support/databases.ts';
import { connectTestRedis, deleteKeys, TEST_REDIS_URL } from '../support/redis.ts';
import { startTestApp, type TestApp, testCars } from '../support/test-app.ts';

const SETUPS = [
  { engine: 'pglite', redis: false },
  { engine: 'postgresql', redis: true },
] as const;

describe.each(SETUPS)('favourites on $engine (redis: $redis)', (setup) => {
  let t: TestApp;
  let database: TestDatabase | undefined;
  const prefix = `ta-fav-${process.pid}-${setup.engine}:`;
  const seeded = (id: number) => testCars.find((c) => c.id === id)?.favouriteCount ?? Number.NaN;
  const car = async (id: number) => (await call<Car>(t.url, 'GET', `/api/cars/${id}`)).body;
  const add = (token: string, carId: unknown) =>
    call(t.url, 'POST', '/api/favourites', { token, body: { carId } });
  const remove = (token: string, carId: number | string) =>
    call(t.url, 'DELETE', `/api/favourites/${carId}`, { token });
  const list = (token: string, query = '') =>
    call<{ items: FavouriteCar[]; total: number }>(t.url, 'GET', `/api/favourites${query}`, { token });

  beforeAll(async () => {
    if (setup.engine === 'postgresql') database = await createTestDatabase('favourites_api');
    t = await startTestApp({
      authBcryptCost: 4,
      cacheKeyPrefix: prefix,
      // The test reads the counter through the API: keep the price changer from touching cars' rows.
      priceChangerEnabled: false,
      ...(database === undefined ? {} : { databaseUrl: database.url }),
      ...(setup.redis ? { redisUrl: TEST_REDIS_URL } : {}),
    });
  });

  afterAll(async () => {
    await t?.close();
    await database?.drop();
    if (setup.redis) {
      const redis = await connectTestRedis();
      await deleteKeys(redis, prefix);
      redis.disconnect();
    }
  });

  it('needs a signed-in user', async () => {
    expect((await call(t.url, 'GET', '/api/favourites')).status).toBe(401);
    expect((await call(t.url, 'POST', '/api/favourites', { body: { carId: 1 } })).status).toBe(401);
    expect((await call(t.url, 'DELETE', '/api/favourites/1')).status).toBe(401);
    expect((await call(t.url, 'GET', '/api/favourites', { token: 'forged.token.value' })).status).toBe(401);
  });

  it('adds, lists and removes a favourite, moving the car counter and its cached details with it', async () => {
    const user = await signUp(t.url, 'fav');
    const id = 17;
    const price = testCars.find((c) => c.id === id)?.price;
    const searched = async () =>
      (
        await call<{ items: Car[] }>(t.url, 'GET', `/api/cars?minPrice=${price}&maxPrice=${price}`)
      ).body.items.find((c) => c.id === id)?.favouriteCount;
    // Both responses are cached from here on.
    expect((await car(id)).favouriteCount).toBe(seeded(id));
    expect(await searched()).toBe(seeded(id));
    const added = await add(user.accessToken, id);
    expect(added).toMatchObject({
      status: 201,
      body: { carId: id, favourite: true, favouriteCount: seeded(id) + 1 },
    });
    expect((await car(id)).favouriteCount).toBe(seeded(id) + 1);
    expect(await searched()).toBe(seeded(id) + 1);
    // Adding twice changes nothing.
    expect(await add(user.accessToken, id)).toMatchObject({
      status: 200,
      body: { favouriteCount: seeded(id) + 1 },
    });
    const listed = await list(user.accessToken);
    expect(listed.body.total).toBe(1);
    expect(listed.body.items.map((c) => c.id)).toEqual([id]);
    expect(listed.body.items[0]?.favouritedAt).toMatch(/^\d{4}-\d\d-\d\dT/);

    expect(await remove(user.accessToken, id)).toMatchObject({
      status: 200,
      body: { favouriteCount: seeded(id) },
    });
    expect((await car(id)).favouriteCount).toBe(seeded(id));
    expect((await remove(user.accessToken, id)).status).toBe(404);
    expect((await list(user.accessToken)).body).toEqual({ items: [], total: 0 });
  });

  it('validates input: 404 for an unknown car, 400 with the field for bad ids', async () => {
    const user = await signUp(t.url, 'fav-bad');
    expect((await add(user.accessToken, 99_999_999)).status).toBe(404);
    const asText = await add(user.accessToken, '5');
    expect(asText).toMatchObject({
      status: 400,
      body: { issues: [{ path: 'carId', message: 'must be a number' }] },
    });
    expect((await add(user.accessToken, -1)).body.issues).toEqual([
      { path: 'carId', message: 'must be a positive car id' },
    ]);
    expect((await add(user.accessToken, '1; DELETE FROM favourites')).status).toBe(400);
    expect((await remove(user.accessToken, "1' OR '1'='1")).status).toBe(400);
    expect(
      (await call(t.url, 'GET', '/api/favourites?limit=0', { token: user.accessToken })).body.issues,
    ).toEqual([{ path: 'limit', message: 'must be at least 1' }]);
  });

  it('keeps counters and favourite rows in agreement under concurrent adds and removes', async () => {
    const users = await Promise.all([1, 2, 3, 4].map((n) => signUp(t.url, `race${n}`)));
    const cars = [101, 102, 103];
    // Every user adds and removes each car several times, all at once, including duplicate adds.
    const operations = users.flatMap((user, u) =>
      cars.flatMap((carId, c) =>
        [0, 1, 2, 3, 4].map((step) =>
          (step + u + c) % 2 === 0 ? add(user.accessToken, carId) : remove(user.accessToken, carId),
        ),
      ),
    );
    const replies = await Promise.all(operations);
    for (const reply of replies) expect([200, 201, 404]).toContain(reply.status);

    const rows = new Map<number, number>(cars.map((id) => [id, 0]));
    for (const user of users) {
      for (const item of (await list(user.accessToken)).body.items)
        rows.set(item.id, (rows.get(item.id) ?? 0) + 1);
    }
    for (const id of cars) expect((await car(id)).favouriteCount - seeded(id)).toBe(rows.get(id));
  });

  it("seeds a signed-in user's recommendations with their favourites", async () => {
    const user = await signUp(t.url, 'recs');
    const anonymous = await call<Recommendations>(t.url, 'GET', '/api/recommendations?limit=5');
    expect(anonymous.body.basis).toBe('popular');
    const noFavourites = await call<Recommendations>(t.url, 'GET', '/api/recommendations?limit=5', {
      token: user.accessToken,
    });
    expect(noFavourites.body.basis).toBe('popular');

    const suvs = testCars.filter((c) => c.bodyType === 'suv').slice(0, 3);
    for (const c of suvs) expect((await add(user.accessToken, c.id)).status).toBe(201);
    const recs = await call<Recommendations>(t.url, 'GET', '/api/recommendations?limit=10', {
      token: user.accessToken,
    });
    expect(recs.status).toBe(200);
    expect(recs.body.basis).toBe('profile');
    expect(recs.body.items).toHaveLength(10);
    const ids = new Set(suvs.map((c) => c.id));
    for (const item of recs.body.items) {
      expect(ids.has(item.id)).toBe(false); // favourites are not recommended back
      expect(item.bodyType).toBe('suv');
    }
    const badToken = await call(t.url, 'GET', '/api/recommendations', { token: `${user.accessToken}x` });
    expect(badToken.status).toBe(401);
  });
});
