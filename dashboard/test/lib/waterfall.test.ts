import { describe, expect, it } from 'vitest';
import { layoutWaterfall, type WaterfallSpan } from '../../src/lib/waterfall.ts';

const span = (spanId: string, parentSpanId: string, start: number, durationMs: number): WaterfallSpan => ({
  spanId,
  parentSpanId,
  name: spanId,
  service: 'car-suggester',
  kind: 'Server',
  start,
  durationMs,
  status: 'Unset',
});

describe('layoutWaterfall', () => {
  it('puts children under their parent in start order, offset from the trace start', () => {
    const w = layoutWaterfall([
      span('db2', 'root', 1012, 3),
      span('root', '', 1000, 20),
      span('db1', 'root', 1002, 8),
      span('inner', 'db1', 1003, 1),
    ]);
    expect(w.rows.map((r) => [r.spanId, r.depth, r.offsetMs])).toEqual([
      ['root', 0, 0],
      ['db1', 1, 2],
      ['inner', 2, 3],
      ['db2', 1, 12],
    ]);
    expect(w.totalMs).toBe(20);
  });

  it('keeps a span whose parent is missing, as a root of its own', () => {
    const w = layoutWaterfall([span('orphan', 'gone', 5, 1), span('root', '', 0, 10)]);
    expect(w.rows.map((r) => [r.spanId, r.depth])).toEqual([
      ['root', 0],
      ['orphan', 0],
    ]);
  });

  it('is empty for a trace without spans', () => {
    expect(layoutWaterfall([])).toEqual({ rows: [], totalMs: 0 });
  });
});
