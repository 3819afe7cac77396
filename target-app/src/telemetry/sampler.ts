// The trace sampler named by OTEL_TRACES_SAMPLER / OTEL_TRACES_SAMPLER_ARG, with the values the
// OpenTelemetry SDK environment specification defines. Under load, parentbased_traceidratio keeps
// a fixed share of new traces while always following the caller's decision.
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  ParentBasedSampler,
  type Sampler,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace';
import type { TRACES_SAMPLERS } from '../env.ts';

export type TracesSamplerName = (typeof TRACES_SAMPLERS)[number];

export function createSampler(name: TracesSamplerName, ratio: number): Sampler {
  switch (name) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(ratio);
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio) });
  }
}
