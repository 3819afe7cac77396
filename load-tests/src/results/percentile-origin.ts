// How a run's percentiles were computed, in words, carried with the figures (PercentileOrigin) to
// every place that shows them (report, HTML export, CLI, dashboard): exact, or an estimate with its bound.
import type { PercentileOrigin } from '../run-state.ts';

export function describePercentiles(origin: Omit<PercentileOrigin, 'description'>): string {
  switch (origin.source) {
    case 'samples':
      return "exact: from every request's duration (k6's own percentile formula)";
    case 'exponential':
      return origin.errorBound === null
        ? "estimated from k6's exponential histograms"
        : `estimated from k6's exponential histograms, within ±${(origin.errorBound * 100).toFixed(1)} %`;
    case 'explicit':
      return "estimated from k6's explicit-bucket histograms: off by up to a bucket's width";
    case 'none':
      return 'no request durations recorded';
  }
}
