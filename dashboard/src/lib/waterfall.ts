// A trace's spans laid out as a waterfall: parents above their children (depth-first, children in
// start order), each bar placed by its offset from the trace start. A span whose parent is not in
// the trace (not sampled, or from a caller that did not export) starts a tree of its own.

export interface WaterfallSpan {
  spanId: string;
  parentSpanId: string;
  name: string;
  service: string;
  kind: string;
  start: number;
  durationMs: number;
  status: string;
}

export interface WaterfallRow extends WaterfallSpan {
  depth: number;
  offsetMs: number;
}

export interface Waterfall {
  rows: WaterfallRow[];
  totalMs: number;
}

export function layoutWaterfall(spans: readonly WaterfallSpan[]): Waterfall {
  if (spans.length === 0) return { rows: [], totalMs: 0 };
  const ids = new Set(spans.map((s) => s.spanId));
  const children = new Map<string, WaterfallSpan[]>();
  const roots: WaterfallSpan[] = [];
  for (const span of spans) {
    if (span.parentSpanId && ids.has(span.parentSpanId) && span.parentSpanId !== span.spanId) {
      children.set(span.parentSpanId, [...(children.get(span.parentSpanId) ?? []), span]);
    } else {
      roots.push(span);
    }
  }
  const byStart = (a: WaterfallSpan, b: WaterfallSpan) => a.start - b.start;
  const traceStart = Math.min(...spans.map((s) => s.start));
  const traceEnd = Math.max(...spans.map((s) => s.start + s.durationMs));
  const rows: WaterfallRow[] = [];
  const seen = new Set<string>();
  const visit = (span: WaterfallSpan, depth: number) => {
    if (seen.has(span.spanId)) return;
    seen.add(span.spanId);
    rows.push({ ...span, depth, offsetMs: span.start - traceStart });
    for (const child of [...(children.get(span.spanId) ?? [])].sort(byStart)) visit(child, depth + 1);
  };
  for (const root of [...roots].sort(byStart)) visit(root, 0);
  return { rows, totalMs: Math.max(traceEnd - traceStart, 0) };
}
