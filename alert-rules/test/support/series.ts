// Test data in the promtool style; the implementation is the rule-test runner's.
export type { HistogramSeries, InputSeries, SeriesClock } from '../../src/rule-test/series.ts';
export {
  expandValues,
  histogramRows,
  httpDurationBounds,
  insertHistograms,
  insertSeries,
  parseSelector,
} from '../../src/rule-test/series.ts';
