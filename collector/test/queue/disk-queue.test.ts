// The on-disk queue on its own: what was appended survives a reopen, a torn tail (a crash mid-append)
// is cut off, a replay plan survives a crash with its token, the byte bound refuses new appends, and
// replayed segments are deleted.
import { appendFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DiskQueue, QueueFullError } from '../../src/index.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function tempDir() {
  const dir = mkdtempSync(join(tmpdir(), 'disk-queue-'));
  dirs.push(dir);
  return dir;
}
const record = (token: string, n = 2, table = 'otel_metrics_gauge') => ({
  table,
  token,
  rows: Array.from({ length: n }, (_, i) => ({ MetricName: 'm', Value: i })),
});

describe('DiskQueue', () => {
  it('keeps appended records across a reopen and replays them in order', async () => {
    const dir = tempDir();
    const queue = await DiskQueue.open(dir);
    await Promise.all([queue.append(record('a')), queue.append(record('b')), queue.append(record('c'))]);
    await queue.close();
    const reopened = await DiskQueue.open(dir);
    expect(reopened.pendingRecords).toBe(3);
    expect(reopened.peek(3).map((r) => r.token)).toEqual(['a', 'b', 'c']);
    await reopened.commit(2);
    await reopened.close();
    const third = await DiskQueue.open(dir);
    expect(third.peek(5).map((r) => r.token)).toEqual(['c']);
    await third.close();
  });

  it('cuts off a torn tail left by a crash mid-append', async () => {
    const dir = tempDir();
    const queue = await DiskQueue.open(dir);
    await queue.append(record('whole'));
    await queue.close();
    const [segment] = readdirSync(dir).filter((f) => f.endsWith('.seg'));
    appendFileSync(join(dir, segment ?? ''), Buffer.from([0x31, 0x4c, 0x51, 0x4f, 0xff, 0, 0, 0, 1, 2]));
    const reopened = await DiskQueue.open(dir);
    expect(reopened.peek(5).map((r) => r.token)).toEqual(['whole']);
    expect(reopened.corruptRecords).toBe(1);
    await reopened.append(record('after'));
    expect(reopened.peek(5).map((r) => r.token)).toEqual(['whole', 'after']);
    await reopened.close();
  });

  it('recovers an unfinished replay plan with the same records and token', async () => {
    const dir = tempDir();
    const queue = await DiskQueue.open(dir);
    for (const t of ['a', 'b', 'c']) await queue.append(record(t));
    expect(queue.nextRun(256, 20_000)).toBe(3);
    await queue.savePlan({ count: 2, token: 'plan-1' });
    await queue.append(record('d'));
    await queue.close(); // a crash here: the insert may or may not have landed
    const reopened = await DiskQueue.open(dir);
    expect(reopened.recoveredPlan).toEqual({ count: 2, token: 'plan-1' });
    expect(reopened.peek(2).map((r) => r.token)).toEqual(['a', 'b']);
    await reopened.close();
  });

  it('replays a batch whose direct insert was tried on its own', async () => {
    const queue = await DiskQueue.open(tempDir());
    await queue.append({ ...record('tried'), attempted: true });
    await queue.append(record('x'));
    await queue.append(record('y'));
    expect(queue.nextRun(256, 20_000)).toBe(1);
    await queue.commit(1);
    expect(queue.nextRun(256, 20_000)).toBe(2);
    expect(queue.nextRun(256, 3)).toBe(1);
    await queue.close();
  });

  it('refuses appends beyond its byte bound and takes them again once drained', async () => {
    const queue = await DiskQueue.open(tempDir(), { maxBytes: 1500 });
    await queue.append(record('a', 20));
    await expect(queue.append(record('b', 40))).rejects.toBeInstanceOf(QueueFullError);
    expect(queue.pendingRecords).toBe(1);
    await queue.commit(1);
    await queue.append(record('b', 40));
    expect(queue.pendingRecords).toBe(1);
    await queue.close();
  });

  it('rotates segments and deletes those fully replayed', async () => {
    const dir = tempDir();
    const queue = await DiskQueue.open(dir, { segmentBytes: 300 });
    for (let i = 0; i < 10; i++) await queue.append(record(`r${i}`, 5));
    expect(readdirSync(dir).filter((f) => f.endsWith('.seg')).length).toBeGreaterThan(3);
    await queue.commit(10);
    expect(readdirSync(dir).filter((f) => f.endsWith('.seg')).length).toBeLessThanOrEqual(2);
    await queue.close();
  });
});
