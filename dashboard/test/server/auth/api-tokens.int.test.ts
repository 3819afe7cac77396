// API tokens in the real store (embedded chDB, cp_api_tokens through the migration): the secret
// is stored only as its SHA-256, a token works until it expires or is revoked, and a token with
// a changed secret or an unknown id is refused.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStore, type Store } from 'collector';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApiTokenStore } from '../../../src/server/auth/api-tokens.ts';

let dir: string;
let store: Store;
let clock = Date.parse('2026-12-07T12:00:00Z');
const DAY = 86_400_000;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dashboard-tokens-'));
  store = await createStore({ dataDir: join(dir, 'chdb') });
});

afterAll(async () => {
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

it('stores only the hash of the secret, and accepts the token until it expires', async () => {
  const tokens = createApiTokenStore(() => store.client, { now: () => clock });
  const { token, record } = await tokens.create({
    name: 'ci',
    role: 'qa',
    expiresAt: clock + DAY,
    createdBy: 'ada',
  });
  const [, id, secret] = /^cpt_([A-Za-z0-9]{16})_([A-Za-z0-9_-]{43})$/.exec(token) ?? [];
  expect(id).toBe(record.id);
  expect(Buffer.from(secret ?? '', 'base64url')).toHaveLength(32);

  const rows = await (
    await store.client.query({ query: 'SELECT * FROM cp_api_tokens', format: 'JSONEachRow' })
  ).json<Record<string, unknown>>();
  expect(rows).toHaveLength(1);
  expect(JSON.stringify(rows)).not.toContain(secret);
  expect(rows[0]?.SecretHash).toBe(
    createHash('sha256')
      .update(secret ?? '')
      .digest('hex'),
  );

  expect(await tokens.check(token)).toMatchObject({ type: 'ok', token: { name: 'ci', role: 'qa' } });
  // A fresh process (no cache) reads the same answer from the store.
  const other = createApiTokenStore(() => store.client, { now: () => clock });
  expect((await other.check(token)).type).toBe('ok');

  const changed = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
  expect(await other.check(changed)).toEqual({ type: 'refused', reason: 'unknown' });
  expect(await other.check(`cpt_${'Z'.repeat(16)}_${secret}`)).toEqual({
    type: 'refused',
    reason: 'unknown',
  });
  expect(await other.check('not-a-token')).toEqual({ type: 'refused', reason: 'malformed' });

  clock += DAY;
  expect(await other.check(token)).toMatchObject({ type: 'refused', reason: 'expired' });
});

it('refuses a revoked token, in this process at once and in another from the store', async () => {
  const tokens = createApiTokenStore(() => store.client, { now: () => clock });
  const { token, record } = await tokens.create({
    name: 'nightly',
    role: 'viewer',
    expiresAt: clock + 30 * DAY,
    createdBy: 'ada',
  });
  expect((await tokens.check(token)).type).toBe('ok');
  expect(await tokens.revoke(record.id, 'ada')).toMatchObject({ revoked: true, revokedBy: 'ada' });
  expect(await tokens.check(token)).toMatchObject({ type: 'refused', reason: 'revoked' });
  const other = createApiTokenStore(() => store.client, { now: () => clock });
  expect(await other.check(token)).toMatchObject({ type: 'refused', reason: 'revoked' });
  expect(await tokens.revoke('x'.repeat(16), 'ada')).toBeNull();

  const listed = await other.list();
  expect(listed.map((t) => [t.name, t.revoked])).toEqual([
    ['nightly', true],
    ['ci', false],
  ]);
});
