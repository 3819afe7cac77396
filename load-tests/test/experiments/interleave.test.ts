import { describe, expect, it } from 'vitest';
import { interleavedOrder } from '../../src/experiments/interleave.ts';

const names = (slots: { variant: string }[]) => slots.map((s) => s.variant);

describe('interleavedOrder', () => {
  it('runs every variant once per round, R rounds, each variant leading a different round', () => {
    const order = interleavedOrder(['a', 'b', 'c'], 3, 7);
    expect(order).toHaveLength(9);
    expect(order.map((s) => s.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    for (const round of [1, 2, 3]) {
      const inRound = order.filter((s) => s.round === round);
      expect(names(inRound).sort()).toEqual(['a', 'b', 'c']);
    }
    const leaders = [1, 2, 3].map((r) => order.find((s) => s.round === r)?.variant);
    expect(new Set(leaders).size).toBe(3);
  });

  it('gives two variants × two repeats as A B B A (counterbalanced), never A B A B', () => {
    const order = names(interleavedOrder(['before', 'after'], 2, 1));
    expect(order).toHaveLength(4);
    expect(order[0]).toBe(order[3]);
    expect(order[1]).toBe(order[2]);
    expect(order[0]).not.toBe(order[1]);
  });

  it('spreads a variant over the positions of ten variants × three rounds (rotation by ⌈10/3⌉ = 4)', () => {
    const variants = Array.from({ length: 10 }, (_, i) => `v${i}`);
    const order = interleavedOrder(variants, 3, 47);
    for (const v of variants) {
      const positions = order.filter((s) => s.variant === v).map((s) => s.index - (s.round - 1) * 10);
      expect(positions).toHaveLength(3);
      // Rotated by 4 each round: the three positions are all different.
      expect(new Set(positions).size).toBe(3);
    }
  });

  it('is the same for the same seed and differs for another', () => {
    const v = ['a', 'b', 'c', 'd', 'e'];
    expect(interleavedOrder(v, 3, 5)).toEqual(interleavedOrder(v, 3, 5));
    const orders = new Set([1, 2, 3, 4, 5, 6].map((seed) => names(interleavedOrder(v, 3, seed)).join()));
    expect(orders.size).toBeGreaterThan(1);
  });

  it('refuses duplicate names and a repeat count below one', () => {
    expect(() => interleavedOrder(['a', 'a'], 2, 1)).toThrow('variant names must be unique');
    expect(() => interleavedOrder(['a', 'b'], 0, 1)).toThrow('repeats must be a whole number');
  });
});
