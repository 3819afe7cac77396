'use client';
// One trace's spans as a waterfall: a bar per span, indented under its parent, placed and sized
// by its start offset and duration relative to the whole trace.
import { useQuery } from '@tanstack/react-query';
import { formatMs } from '../../lib/format.ts';
import { useTRPC } from '../../trpc/react.tsx';

export function TraceWaterfall({ traceId }: { traceId: string }) {
  const trpc = useTRPC();
  const trace = useQuery(trpc.service.trace.queryOptions({ traceId }));
  if (trace.error)
    return (
      <p className="error-box">
        Could not load trace {traceId}: {trace.error.message}
      </p>
    );
  if (!trace.data) return <p className="muted">Loading trace…</p>;
  const { rows, totalMs } = trace.data;
  const pct = (ms: number) => (totalMs > 0 ? (ms / totalMs) * 100 : 0);
  return (
    <div className="waterfall" data-testid="trace-waterfall">
      <div className="waterfall-head muted small">
        trace <span className="mono">{traceId}</span> · {rows.length} spans · {formatMs(totalMs)}
      </div>
      {rows.map((r) => (
        <div key={r.spanId} className="waterfall-row" data-testid="waterfall-span">
          <div
            className="waterfall-name"
            style={{ paddingLeft: `${r.depth * 14}px` }}
            title={`${r.service} · ${r.kind}`}
          >
            {r.name}
            {r.status === 'Error' ? <span className="bad small"> error</span> : null}
          </div>
          <div className="waterfall-track">
            <div
              className={`waterfall-bar kind-${r.kind.toLowerCase()}`}
              style={{ left: `${pct(r.offsetMs)}%`, width: `max(2px, ${pct(r.durationMs)}%)` }}
            />
          </div>
          <div className="waterfall-ms">{formatMs(r.durationMs)}</div>
        </div>
      ))}
    </div>
  );
}
