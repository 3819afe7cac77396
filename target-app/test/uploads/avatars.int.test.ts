// Profile pictures end to end on PGlite (in-process) and PostgreSQL (Redis for rate limits): upload
// with the type read from the bytes, serve back with ETag / Cache-Control, replace, remove; every
// refusal (401, 400, 413, 415) leaving the stored picture as it was; the "uploads" rate-limit class;
// metrics and a DB span.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, signUp } from '../auth/auth-client.ts';
import { createTestDatabase, type TestDatabase } from '../support/databases.ts';
import { decodeSpans } from '../support/otlp-decode.ts';
import { connectTestRedis, deleteKeys, promValue, TEST_REDIS_URL } from '../support/redis.ts';
import { eventually, startTestApp, type TestApp } from '../support/test-app.ts';
import { IMAGES } from './images.ts';

const SETUPS = [
  { engine: 'pglite', redis: false },
  { engine: 'postgresql', redis: true },
] as const;

type Stored = { userId: number; contentType: string; bytes: number; etag: string; url: string };

describe.each(SETUPS)('profile pictures on $engine (redis: $redis)', (setup) => {
  let t: TestApp;
  let database: TestDatabase | undefined;
  const prefix = `ta-avatar-${process.pid}-${setup.engine}:`;

  const upload = async (token: string | undefined, body: Uint8Array, contentType = 'image/png') => {
    const response = await fetch(`${t.url}/api/uploads/avatar`, {
      method: 'PUT',
      headers: {
        'content-type': contentType,
        ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
      },
      body,
    });
    return { status: response.status, headers: response.headers, body: (await response.json()) as Stored };
  };
  const fetchAvatar = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${t.url}${path}`, { headers });

  beforeAll(async () => {
    if (setup.engine === 'postgresql') database = await createTestDatabase('avatars_api');
    t = await startTestApp({
      authBcryptCost: 4,
      cacheKeyPrefix: prefix,
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

  it('stores an upload and serves it back with its type, ETag and caching headers', async () => {
    const user = await signUp(t.url, 'avatar');
    const stored = await upload(user.accessToken, IMAGES.png);
    expect(stored.status).toBe(201);
    expect(stored.body).toMatchObject({
      userId: user.id,
      contentType: 'image/png',
      bytes: IMAGES.png.length,
    });
    expect(stored.body.url).toBe(`/api/users/${user.id}/avatar?v=${stored.body.etag}`);
    expect(stored.headers.get('location')).toBe(stored.body.url);

    const versioned = await fetchAvatar(stored.body.url);
    expect(versioned.status).toBe(200);
    expect(versioned.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await versioned.arrayBuffer())).toEqual(IMAGES.png);
    expect(versioned.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(versioned.headers.get('etag')).toBe(`"${stored.body.etag}"`);
    expect(versioned.headers.get('x-content-type-options')).toBe('nosniff');

    const plain = await fetchAvatar(`/api/users/${user.id}/avatar`);
    expect(plain.headers.get('cache-control')).toBe('public, no-cache');
    const revalidated = await fetchAvatar(`/api/users/${user.id}/avatar`, {
      'if-none-match': `W/"other", "${stored.body.etag}"`,
    });
    expect(revalidated.status).toBe(304);
    expect(await revalidated.text()).toBe('');

    // A replacement (declared as raw bytes: the type comes from them) changes the version.
    const replaced = await upload(user.accessToken, IMAGES.jpeg, 'application/octet-stream');
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({ contentType: 'image/jpeg', bytes: IMAGES.jpeg.length });
    expect(replaced.body.etag).not.toBe(stored.body.etag);
    const stale = await fetchAvatar(`/api/users/${user.id}/avatar`, {
      'if-none-match': `"${stored.body.etag}"`,
    });
    expect(stale.status).toBe(200);
    expect(stale.headers.get('content-type')).toBe('image/jpeg');
    // The old version's URL now serves the new bytes, so it must not be cached for good.
    expect((await fetchAvatar(stored.body.url)).headers.get('cache-control')).toBe('public, no-cache');

    const webp = await upload(user.accessToken, IMAGES.webp, 'image/webp');
    expect(webp.body.contentType).toBe('image/webp');
    expect((await fetchAvatar(webp.body.url)).headers.get('content-type')).toBe('image/webp');
  });

  it('removes a picture', async () => {
    const user = await signUp(t.url, 'avatar-rm');
    expect((await call(t.url, 'DELETE', '/api/uploads/avatar', { token: user.accessToken })).status).toBe(
      404,
    );
    await upload(user.accessToken, IMAGES.png);
    expect((await call(t.url, 'DELETE', '/api/uploads/avatar', { token: user.accessToken })).status).toBe(
      204,
    );
    const gone = await call(t.url, 'GET', `/api/users/${user.id}/avatar`);
    expect(gone).toMatchObject({ status: 404, body: { error: `user ${user.id} has no profile picture` } });
  });

  it('refuses anonymous, empty, oversized and non-image uploads, keeping the stored picture', async () => {
    expect((await upload(undefined, IMAGES.png)).status).toBe(401);
    expect((await upload('forged.token.value', IMAGES.png)).status).toBe(401);
    const user = await signUp(t.url, 'avatar-bad');
    const kept = await upload(user.accessToken, IMAGES.png);
    const tooLarge = Buffer.concat([IMAGES.png, Buffer.alloc(2 * 1024 * 1024)]);
    const refusals = [
      [await upload(user.accessToken, tooLarge), 413],
      [await upload(user.accessToken, new Uint8Array(0)), 400],
      [await upload(user.accessToken, Buffer.from('<svg onload="alert(1)"/>'), 'image/png'), 415],
      [await upload(user.accessToken, IMAGES.png, 'image/jpeg'), 415],
      [await upload(user.accessToken, IMAGES.png, 'text/plain'), 415],
      [await upload(user.accessToken, Buffer.from('GIF89a'), 'image/gif'), 415],
    ] as const;
    for (const [reply, status] of refusals) {
      expect(reply.status).toBe(status);
      expect(typeof (reply.body as unknown as { error: unknown }).error).toBe('string');
    }
    const current = await fetchAvatar(`/api/users/${user.id}/avatar`);
    expect(current.headers.get('etag')).toBe(`"${kept.body.etag}"`);
    expect((await call(t.url, 'GET', '/api/users/abc/avatar')).status).toBe(400);
    expect((await call(t.url, 'GET', `/api/users/${user.id}/avatar?v=latest`)).status).toBe(400);

    const metrics = await (await fetch(`${t.url}/metrics`)).text();
    expect(promValue(metrics, 'upload_rejected_total', { reason: 'too_large' })).toBeGreaterThanOrEqual(1);
    expect(promValue(metrics, 'upload_rejected_total', { reason: 'empty' })).toBeGreaterThanOrEqual(1);
    expect(promValue(metrics, 'upload_rejected_total', { reason: 'not_an_image' })).toBeGreaterThanOrEqual(3);
    expect(promValue(metrics, 'upload_rejected_total', { reason: 'type_mismatch' })).toBeGreaterThanOrEqual(
      1,
    );
    expect(
      promValue(metrics, 'upload_size_bytes_count', { content_type: 'image/png' }),
    ).toBeGreaterThanOrEqual(1);
  });

  it('allows 10 uploads an hour per user, then 429 with Retry-After; reading pictures is not limited by it', async () => {
    const user = await signUp(t.url, 'avatar-rl');
    const put = () =>
      t.inject({
        method: 'PUT',
        url: '/api/uploads/avatar',
        remoteAddress: '203.0.113.200',
        headers: { authorization: `Bearer ${user.accessToken}`, 'content-type': 'image/png' },
        payload: IMAGES.png,
      });
    const statuses = [];
    for (let i = 0; i < 10; i++) statuses.push((await put()).statusCode);
    expect(statuses).toEqual([201, 200, 200, 200, 200, 200, 200, 200, 200, 200]);
    const refused = await put();
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['ratelimit-limit']).toBe('10');
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(60);
    expect(retryAfter).toBeLessThanOrEqual(3_600);
    expect(refused.json().error).toMatch(/^rate limit exceeded: 10 uploads requests per 3600 s/);
    const read = await t.inject({ url: `/api/users/${user.id}/avatar`, remoteAddress: '203.0.113.200' });
    expect(read.statusCode).toBe(200);
    expect(read.headers['ratelimit-limit']).toBe('100');
  });

  it('records the upload as a server span with a child span writing the avatars table', async () => {
    const user = await signUp(t.url, 'avatar-span');
    const traceId = '5af92f3577b34da6a3ce929d0e0e4737';
    const response = await fetch(`${t.url}/api/uploads/avatar`, {
      method: 'PUT',
      headers: {
        authorization: `Bearer ${user.accessToken}`,
        'content-type': 'image/png',
        traceparent: `00-${traceId}-00f067aa0ba902b7-01`,
      },
      body: IMAGES.png,
    });
    expect(response.status).toBe(201);
    const spans = await eventually(() => {
      const found = t.receiver.bodies.traces
        .flatMap((b) => decodeSpans(b))
        .filter((s) => s.traceId === traceId);
      return found.some((s) => s.name === 'INSERT avatars') ? found : undefined;
    });
    const server = spans.find((s) => s.name === 'PUT /api/uploads/avatar');
    expect(server?.attributes['http.response.status_code']).toBe(201);
    expect(spans.find((s) => s.name === 'INSERT avatars')?.parentSpanId).toBe(server?.spanId);
  });
});
