// OTEL_TRACES_SAMPLER names map to the SDK's samplers with the ratio from OTEL_TRACES_SAMPLER_ARG.
import { ROOT_CONTEXT, SpanKind, TraceFlags, trace } from '@opentelemetry/api';
import { SamplingDecision } from '@opentelemetry/sdk-trace';
import { describe, expect, it } from 'vitest';
import type { TRACES_SAMPLERS } from '../../src/env.ts';
import { createSampler } from '../../src/telemetry/sampler.ts';

const sampledParent = trace.setSpanContext(ROOT_CONTEXT, {
  traceId: '0af7651916cd43dd8448eb211c80319c',
  spanId: 'b7ad6b7169203331',
  traceFlags: TraceFlags.SAMPLED,
  isRemote: true,
});

function decide(
  name: (typeof TRACES_SAMPLERS)[number],
  ratio: number,
  parent = ROOT_CONTEXT,
  traceId = 'f'.repeat(32),
) {
  return createSampler(name, ratio).shouldSample(parent, traceId, 'GET /api/cars', SpanKind.SERVER, {}, [])
    .decision;
}

describe('createSampler', () => {
  it('honours every OTEL_TRACES_SAMPLER value', () => {
    expect(decide('always_on', 0)).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    expect(decide('always_off', 1)).toBe(SamplingDecision.NOT_RECORD);
    expect(decide('traceidratio', 0)).toBe(SamplingDecision.NOT_RECORD);
    expect(decide('traceidratio', 1)).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    expect(decide('parentbased_always_off', 1)).toBe(SamplingDecision.NOT_RECORD);
    expect(decide('parentbased_always_off', 1, sampledParent)).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    expect(decide('parentbased_traceidratio', 0)).toBe(SamplingDecision.NOT_RECORD);
    expect(decide('parentbased_traceidratio', 0, sampledParent)).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    expect(decide('parentbased_always_on', 0)).toBe(SamplingDecision.RECORD_AND_SAMPLED);
  });

  it('keeps about the given share of new traces', () => {
    let kept = 0;
    for (let i = 0; i < 4_000; i++) {
      const traceId = (i * 2_654_435_761).toString(16).padStart(32, '0').slice(-32);
      if (
        decide('parentbased_traceidratio', 0.25, ROOT_CONTEXT, traceId) ===
        SamplingDecision.RECORD_AND_SAMPLED
      )
        kept++;
    }
    expect(kept / 4_000).toBeGreaterThan(0.15);
    expect(kept / 4_000).toBeLessThan(0.35);
  });
});
