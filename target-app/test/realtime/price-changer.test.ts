// The price changer's arithmetic and its settings in the environment.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/env.ts';
import { pickCarIds, priceFactor } from '../../src/realtime/price-changer.ts';

function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe('price changer', () => {
  it('picks distinct car ids in 1..max, never more than there are cars', () => {
    const ids = pickCarIds(50, 100, seeded(1));
    expect(new Set(ids).size).toBe(50);
    expect(ids.every((id) => Number.isInteger(id) && id >= 1 && id <= 100)).toBe(true);
    expect(pickCarIds(10, 3, seeded(2)).sort()).toEqual([1, 2, 3]);
  });

  it('moves a price by 0.5–5 %, up or down, never by nothing', () => {
    const random = seeded(3);
    const factors = Array.from({ length: 2_000 }, () => priceFactor(random));
    for (const f of factors) {
      expect(Math.abs(f - 1)).toBeGreaterThanOrEqual(0.005);
      expect(Math.abs(f - 1)).toBeLessThanOrEqual(0.05);
    }
    expect(factors.some((f) => f > 1) && factors.some((f) => f < 1)).toBe(true);
  });

  it('reads its settings and the trace sampler from the environment, with clear errors', () => {
    const config = parseConfig(
      {},
      {
        PRICE_CHANGER_ENABLED: 'false',
        PRICE_CHANGE_INTERVAL_MS: '250',
        PRICE_CHANGES_PER_TICK: '20',
        OTEL_TRACES_SAMPLER: 'ParentBased_TraceIdRatio',
        OTEL_TRACES_SAMPLER_ARG: '0.25',
      },
    );
    expect(config).toMatchObject({
      priceChangerEnabled: false,
      priceChangeIntervalMs: 250,
      priceChangesPerTick: 20,
      tracesSampler: 'parentbased_traceidratio',
      tracesSamplerArg: 0.25,
    });
    expect(parseConfig({}, {})).toMatchObject({
      priceChangerEnabled: true,
      priceChangeIntervalMs: 1_000,
      priceChangesPerTick: 5,
      tracesSampler: 'parentbased_always_on',
      tracesSamplerArg: 1,
    });
    expect(() =>
      parseConfig(
        {},
        { PRICE_CHANGES_PER_TICK: '0', OTEL_TRACES_SAMPLER: 'sometimes', OTEL_TRACES_SAMPLER_ARG: '2' },
      ),
    ).toThrow(
      /PRICE_CHANGES_PER_TICK: must be at least 1[\s\S]*OTEL_TRACES_SAMPLER: [\s\S]*OTEL_TRACES_SAMPLER_ARG: must be between 0 and 1/,
    );
  });
});
