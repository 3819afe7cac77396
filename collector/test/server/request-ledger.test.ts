// The request ledger on its own: a digest is stored once within its window, forgotten after it
// (or when the ledger is full, oldest first), a failed store is not remembered, and the file
// beside the queue brings the window back after a restart, skipping a line cut short by a crash.
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LEDGER_FILE, RequestLedger } from '../../src/server/request-ledger.ts';

const dirs: string[] = [];
const newDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('RequestLedger', () => {
  it('stores a request once within the window, again after it', async () => {
    let now = 1_000_000;
    const ledger = new RequestLedger(newDir(), { windowMs: 60_000, now: () => now });
    let stores = 0;
    const store = async () => ({ rejected: ++stores, message: `store ${stores}` });
    const digest = RequestLedger.digest('metrics', Buffer.from('body'));
    expect(await ledger.once(digest, store)).toEqual({ rejected: 1, message: 'store 1' });
    now += 59_000;
    expect(await ledger.once(digest, store)).toEqual({ rejected: 1, message: 'store 1' });
    expect(ledger.repeats).toBe(1);
    now += 2_000;
    expect(await ledger.once(digest, store)).toEqual({ rejected: 2, message: 'store 2' });
    // The same bytes for another signal are another request.
    expect(await ledger.once(RequestLedger.digest('logs', Buffer.from('body')), store)).toMatchObject({
      rejected: 3,
    });
  });

  it('lets a copy that arrives mid-store wait for the first, and forgets a failed store', async () => {
    const ledger = new RequestLedger(newDir());
    let release!: () => void;
    let stores = 0;
    const slow = () =>
      new Promise<{ rejected: number; message: string }>((resolve) => {
        stores++;
        release = () => resolve({ rejected: 0, message: '' });
      });
    const first = ledger.once('d', slow);
    const second = ledger.once('d', slow);
    release();
    expect(await Promise.all([first, second])).toEqual([
      { rejected: 0, message: '' },
      { rejected: 0, message: '' },
    ]);
    expect(stores).toBe(1);
    await expect(ledger.once('e', () => Promise.reject(new Error('store down')))).rejects.toThrow(
      'store down',
    );
    expect(await ledger.once('e', async () => ({ rejected: 0, message: 'stored now' }))).toMatchObject({
      message: 'stored now',
    });
  });

  it('keeps at most maxEntries, oldest out first', async () => {
    const ledger = new RequestLedger(newDir(), { maxEntries: 2 });
    const answer = async () => ({ rejected: 0, message: '' });
    for (const d of ['a', 'b', 'c']) await ledger.once(d, answer);
    expect(ledger.size).toBe(2);
    let stored = false;
    await ledger.once('a', async () => {
      stored = true;
      return { rejected: 0, message: '' };
    });
    expect(stored).toBe(true);
  });

  it('reads its window back after a restart and skips a torn last line', async () => {
    const dir = newDir();
    let now = 5_000_000;
    const before = new RequestLedger(dir, { windowMs: 60_000, now: () => now });
    await before.once('old', async () => ({ rejected: 0, message: 'old' }));
    now += 30_000;
    await before.once('kept', async () => ({ rejected: 2, message: 'kept' }));
    appendFileSync(join(dir, LEDGER_FILE), '{"d":"torn","at":');
    now += 45_000; // 'old' is now out of the window, 'kept' is not
    const after = new RequestLedger(dir, { windowMs: 60_000, now: () => now });
    expect(after.size).toBe(1);
    expect(await after.once('kept', async () => ({ rejected: 9, message: 'stored again' }))).toEqual({
      rejected: 2,
      message: 'kept',
    });
  });
});
