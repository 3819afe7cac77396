import { describe, expect, it } from 'vitest';
import { fingerprint } from '../src/fingerprint.ts';

describe('fingerprint', () => {
  it('matches Prometheus (FNV-1a 64 over sorted labels)', () => {
    // Vectors from prometheus/common model/signature_test.go.
    expect(BigInt(`0x${fingerprint({})}`)).toBe(14695981039346656037n);
    expect(BigInt(`0x${fingerprint({ name: 'garland, briggs', fear: 'love is not enough' })}`)).toBe(
      5799056148416392346n,
    );
  });

  it('does not depend on label order', () => {
    expect(fingerprint({ a: '1', b: '2' })).toBe(fingerprint({ b: '2', a: '1' }));
    expect(fingerprint({ a: '1', b: '2' })).not.toBe(fingerprint({ a: '1', b: '3' }));
  });
});
