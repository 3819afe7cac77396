// Password hashing: bcrypt at the configured cost, and a refusal for unknown users that still runs a
// full bcrypt comparison (so the answer's timing does not reveal whether the e-mail exists).
import { describe, expect, it } from 'vitest';
import { createPasswordHasher } from '../../src/auth/passwords.ts';

describe('passwords', () => {
  it('hashes with the configured cost and verifies only the right password', async () => {
    const hasher = await createPasswordHasher(5);
    const hash = await hasher.hash('correct horse');
    expect(hash).toMatch(/^\$2b\$05\$/);
    expect(await hasher.verify('correct horse', hash)).toBe(true);
    expect(await hasher.verify('correct horsE', hash)).toBe(false);
  });

  it('refuses an unknown user after comparing against a dummy hash of the same cost', async () => {
    const hasher = await createPasswordHasher(8);
    const hash = await hasher.hash('pw');
    const timed = async (stored: string | undefined) => {
      const started = performance.now();
      const ok = await hasher.verify('pw', stored);
      return { ok, ms: performance.now() - started };
    };
    const unknown = await timed(undefined);
    expect(unknown.ok).toBe(false);
    // Not a speed assertion: a cost-8 comparison cannot finish in under a millisecond, a shortcut would.
    expect(unknown.ms).toBeGreaterThan(1);
    expect((await timed(hash)).ok).toBe(true);
  });
});
