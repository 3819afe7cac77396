import { describe, expect, it } from 'vitest';
import { createHashQueue } from '../../../src/server/auth/hash-queue.ts';

describe('hash queue', () => {
  it('runs one at a time, lets a few wait and refuses the rest at once with a wait', async () => {
    const queue = createHashQueue({ concurrency: 1, maxWaiting: 2 });
    let running = 0;
    let most = 0;
    const work = async () => {
      running++;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 20));
      running--;
      return 'hashed';
    };
    const results = await Promise.all(Array.from({ length: 10 }, () => queue.run(work)));
    expect(most).toBe(1);
    expect(results.filter((r) => r.type === 'done')).toHaveLength(3);
    const busy = results.filter((r) => r.type === 'busy');
    expect(busy).toHaveLength(7);
    for (const r of busy) expect(r.type === 'busy' && r.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(queue.busyFor()).toBeNull();
    expect(await queue.run(work)).toEqual({ type: 'done', value: 'hashed' });
  });

  it('frees the slot when the work throws', async () => {
    const queue = createHashQueue({ concurrency: 1, maxWaiting: 0 });
    await expect(queue.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await queue.run(async () => 1)).toEqual({ type: 'done', value: 1 });
  });
});
