// The WebSocket price feed seen by a real `ws` client: watch lists validated per message, price
// changes delivered with timestamps and persisted (price history, fresh car details), the admin
// switch, metrics; on PostgreSQL + Redis a change made by one instance reaches clients of another.
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Car } from '../../src/cars/generate.ts';
import type { ServerMessage } from '../../src/realtime/messages.ts';
import type { PriceChangerState } from '../../src/realtime/price-changer.ts';
import type { PriceHistoryResponse } from '../../src/realtime/price-history-routes.ts';
import { createTestDatabase, type TestDatabase } from '../support/databases.ts';
import { closedPort, connectTestRedis, deleteKeys, promValue, TEST_REDIS_URL } from '../support/redis.ts';
import { startTestApp, TEST_CAR_COUNT, TEST_TOKEN, type TestApp } from '../support/test-app.ts';
import { connectFeed, type FeedClient, isType } from '../support/ws-client.ts';

type Price = Extract<ServerMessage, { type: 'price' }>;
const WATCHED = Array.from({ length: 60 }, (_, i) => i + 1);
const clients: FeedClient[] = [];

async function feed(t: TestApp): Promise<FeedClient> {
  const client = await connectFeed(t.url);
  clients.push(client);
  return client;
}

afterEach(() => {
  for (const client of clients.splice(0)) client.socket.terminate();
});

async function priceChanger(t: TestApp, body: unknown, token: string | null = TEST_TOKEN) {
  const response = await fetch(`${t.url}/admin/price-changer`, {
    method: 'PUT',
    headers: {
      'content-type': 'application/json',
      ...(token === null ? {} : { authorization: `Bearer ${token}` }),
    },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    body: (await response.json()) as PriceChangerState & { issues?: unknown[] },
  };
}

async function priceChangerState(t: TestApp): Promise<PriceChangerState> {
  const response = await fetch(`${t.url}/admin/price-changer`, {
    headers: { authorization: `Bearer ${TEST_TOKEN}` },
  });
  return (await response.json()) as PriceChangerState;
}

const isWatchedPrice = (m: ServerMessage): m is Price => m.type === 'price' && WATCHED.includes(m.carId);

/**
 * Reads every watched car's details, so they sit in the instance's cache: whichever cars the
 * (random) changer then moves, their details are served stale unless the change invalidated them.
 */
async function cacheDetails(t: TestApp): Promise<void> {
  for (const id of WATCHED) expect((await t.get<Car>(`/api/cars/${id}`)).status).toBe(200);
}

describe.each(['pglite', 'postgresql'] as const)('price feed on %s (in-process bus)', (engine) => {
  let t: TestApp;
  let database: TestDatabase | undefined;

  beforeAll(async () => {
    if (engine === 'postgresql') database = await createTestDatabase('price_feed');
    t = await startTestApp(database === undefined ? {} : { databaseUrl: database.url, dbPoolMin: 0 });
  });

  afterAll(async () => {
    await t?.close();
    await database?.drop();
  });

  it('answers bad messages with an error and keeps the socket open', async () => {
    const client = await feed(t);
    const bad: unknown[] = [
      'not json',
      { type: 'subscribe', carIds: [1] },
      { type: 'watch', carIds: [0, 1.5] },
      { type: 'watch', carIds: [] },
      { type: 'watch', carIds: [1], extra: true },
    ];
    const errors = [];
    for (const message of bad) {
      client.send(message);
      errors.push(await client.next(isType('error')));
    }
    expect(errors[0]?.error).toMatch(/JSON/);
    expect(errors[1]?.error).toBe('invalid message');
    expect(errors[2]?.issues?.map((i) => i.path)).toEqual(['carIds.0', 'carIds.1']);
    expect(errors[3]?.issues?.[0]?.message).toMatch(/at least one/);
    expect(errors[4]?.issues).toEqual([{ path: 'extra', message: 'unknown field' }]);
    client.send({ type: 'watch', carIds: [3, 1, 2] });
    expect(await client.next(isType('watching'))).toEqual({ type: 'watching', carIds: [1, 2, 3] });
    client.send({ type: 'unwatch', carIds: [2] });
    expect(await client.next(isType('watching'))).toEqual({ type: 'watching', carIds: [1, 3] });
    expect(client.socket.readyState).toBe(client.socket.OPEN);
  });

  it('delivers changes of watched cars only, stamped, persisted, and the car details follow', async () => {
    await cacheDetails(t);
    const client = await feed(t);
    client.send({ type: 'watch', carIds: WATCHED });
    await client.next(isType('watching'));
    const switched = await priceChanger(t, { enabled: true, intervalMs: 20, changesPerTick: 500 });
    expect(switched).toMatchObject({
      status: 200,
      body: { enabled: true, intervalMs: 20, changesPerTick: 500 },
    });

    const first = await client.next(isWatchedPrice);
    for (let i = 0; i < 5; i++) await client.next(isWatchedPrice);
    expect((await priceChanger(t, { enabled: false })).body.enabled).toBe(false);
    const prices = client.messages.filter(isType('price'));
    expect(prices.every((m) => WATCHED.includes(m.carId))).toBe(true);
    expect(first.sentAt).toBeGreaterThanOrEqual(first.changedAt);
    expect(first.sentAt - first.changedAt).toBeLessThan(5_000);
    expect(first.price).not.toBe(first.previousPrice);
    expect(Math.abs(first.price / first.previousPrice - 1)).toBeLessThanOrEqual(0.051);

    // The last message per car is the car's price now, in details (cache invalidated: every
    // watched car's details were cached before the changes) and history.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const latest = new Map(client.messages.filter(isType('price')).map((m) => [m.carId, m]));
    expect(latest.size).toBeGreaterThan(0);
    for (const [carId, last] of latest)
      expect((await t.get<Car>(`/api/cars/${carId}`)).body.price, `car ${carId}`).toBe(last.price);
    const [carId, last] = [...latest.entries()][0] as [number, Price];
    const history = await t.get<PriceHistoryResponse>(`/api/cars/${carId}/prices?limit=1`);
    expect(history.body.items[0]).toMatchObject({ price: last.price, previousPrice: last.previousPrice });

    const metrics = await (await fetch(`${t.url}/metrics`)).text();
    expect(promValue(metrics, 'realtime_connections', {})).toBe(1);
    expect(promValue(metrics, 'realtime_messages_sent_total', { type: 'price' })).toBeGreaterThanOrEqual(6);
    expect(promValue(metrics, 'realtime_message_latency_seconds_count', {})).toBeGreaterThanOrEqual(6);
    expect(promValue(metrics, 'realtime_price_changes_total', {})).toBeGreaterThan(0);
  });

  it('the admin switch needs the token, validates, and really stops the changer', async () => {
    expect((await priceChanger(t, { enabled: true }, null)).status).toBe(401);
    const bad = await priceChanger(t, { enabled: 'yes', intervalMs: 1, rate: 3 });
    expect(bad.status).toBe(400);
    expect(bad.body.issues).toHaveLength(3);
    const stopped = await priceChanger(t, { enabled: false });
    await new Promise((resolve) => setTimeout(resolve, 150));
    const state = await (
      await fetch(`${t.url}/admin/price-changer`, { headers: { authorization: `Bearer ${TEST_TOKEN}` } })
    ).json();
    expect(state).toMatchObject({ enabled: false, ticks: stopped.body.ticks });
  });
});

describe('price feed across instances (PostgreSQL + Redis pub/sub)', () => {
  const prefix = `ta-feed-test-${process.pid}:`;
  let redis: Redis;
  let database: TestDatabase;
  let a: TestApp;
  let b: TestApp;
  let bClosed = false;

  beforeAll(async () => {
    redis = await connectTestRedis();
    database = await createTestDatabase('price_feed_redis');
    const shared = {
      databaseUrl: database.url,
      dbPoolMin: 0,
      redisUrl: TEST_REDIS_URL,
      cacheKeyPrefix: prefix,
    };
    a = await startTestApp(shared);
    b = await startTestApp(shared);
  });

  afterAll(async () => {
    await Promise.all([a?.close(), bClosed ? undefined : b?.close()]);
    await deleteKeys(redis, prefix);
    redis?.disconnect();
    await database?.drop();
  });

  it("delivers a change made by instance A to B's clients, and B's cached car follows", async () => {
    await cacheDetails(b);
    const client = await feed(b);
    client.send({ type: 'watch', carIds: WATCHED });
    await client.next(isType('watching'));
    await priceChanger(a, { enabled: true, intervalMs: 20, changesPerTick: 500 });
    const message = await client.next(isWatchedPrice);
    await priceChanger(a, { enabled: false });
    expect(message.sentAt).toBeGreaterThanOrEqual(message.changedAt);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const latest = new Map(client.messages.filter(isType('price')).map((m) => [m.carId, m.price]));
    expect(latest.size).toBeGreaterThan(0);
    for (const [carId, price] of latest) {
      expect((await b.get<Car>(`/api/cars/${carId}`)).body.price, `car ${carId}`).toBe(price);
    }
    const metrics = await (await fetch(`${a.url}/metrics`)).text();
    expect(promValue(metrics, 'realtime_price_changes_total', {})).toBeGreaterThan(0);
  });

  it('lets two instances change overlapping cars at once: no deadlock, no lost update', async () => {
    const fast = { enabled: true, intervalMs: 10, changesPerTick: 1_000 };
    await Promise.all([priceChanger(a, fast), priceChanger(b, fast)]);
    // At least two ticks each, however busy the machine (a tick of 1,000 changes can take a while).
    const ticks = async (app: typeof a) => (await priceChangerState(app)).ticks;
    await expect
      .poll(async () => Math.min(await ticks(a), await ticks(b)), { timeout: 30_000 })
      .toBeGreaterThan(1);
    const [stateA, stateB] = await Promise.all([
      priceChanger(a, { enabled: false }),
      priceChanger(b, { enabled: false }),
    ]);
    expect(stateA.body.ticks).toBeGreaterThan(1);
    expect(stateB.body.ticks).toBeGreaterThan(1);
    expect(stateA.body.errors + stateB.body.errors).toBe(0);
    // The changers pick cars at random (a given car stays unchanged in ~20 % of runs): check the
    // first three cars that changed at least twice.
    const changed: { carId: number; items: PriceHistoryResponse['items'] }[] = [];
    for (let carId = 1; changed.length < 3 && carId <= TEST_CAR_COUNT; carId++) {
      const { body } = await a.get<PriceHistoryResponse>(`/api/cars/${carId}/prices?limit=50`);
      if (body.items.length >= 2) changed.push({ carId, items: [...body.items].reverse() });
    }
    expect(changed).toHaveLength(3);
    // Each change starts from the price the one before it left: the history is one unbroken chain.
    for (const { carId, items } of changed) {
      for (let i = 1; i < items.length; i++) expect(items[i]?.previousPrice).toBe(items[i - 1]?.price);
      // b's last change reaches a's cache as an invalidation through Redis, a moment after it commits.
      await expect
        .poll(async () => (await a.get<Car>(`/api/cars/${carId}`)).body.price, { timeout: 10_000 })
        .toBe(items.at(-1)?.price);
    }
  });

  it('keeps delivering to its own clients while Redis is unreachable', async () => {
    const alone = await startTestApp({
      databaseUrl: database.url,
      dbPoolMin: 0,
      redisUrl: `redis://127.0.0.1:${await closedPort()}`,
      cacheKeyPrefix: prefix,
    });
    try {
      const client = await feed(alone);
      client.send({ type: 'watch', carIds: WATCHED });
      await client.next(isType('watching'));
      await priceChanger(alone, { enabled: true, intervalMs: 20, changesPerTick: 500 });
      const message = await client.next(isWatchedPrice);
      await priceChanger(alone, { enabled: false });
      expect(message.price).not.toBe(message.previousPrice);
    } finally {
      await alone.close();
    }
  });

  it('on close, answers in-flight HTTP requests first, then closes sockets with 1001', async () => {
    const client = await feed(b);
    expect((await b.chaos('PUT', { latencyMs: 600 })).status).toBe(200);
    const slow = fetch(`${b.url}/api/cars/2`).then((response) => ({
      status: response.status,
      at: performance.now(),
    }));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const closing = b.close();
    bClosed = true;
    const [answered, closed] = await Promise.all([slow, client.closed]);
    await closing;
    expect(answered.status).toBe(200);
    expect(closed.code).toBe(1001);
    expect(closed.at).toBeGreaterThanOrEqual(answered.at);
  });
});
