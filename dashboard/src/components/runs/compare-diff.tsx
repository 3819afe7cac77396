// The comparison's tables: per-endpoint deltas (a change beyond run-to-run noise is flagged, red
// when it is a regression, green when an improvement) and both runs' thresholds side by side.
import type { Delta, EndpointDelta, NoiseBand, ThresholdPair } from 'load-tests';
import { formatMs, formatPercent, formatRate } from '../../lib/format.ts';

const COLUMNS: {
  key: Exclude<keyof EndpointDelta, 'name'>;
  label: string;
  format: (v: number | null) => string;
}[] = [
  { key: 'p50Ms', label: 'p50', format: formatMs },
  { key: 'p95Ms', label: 'p95', format: formatMs },
  { key: 'p99Ms', label: 'p99', format: formatMs },
  { key: 'maxMs', label: 'max', format: formatMs },
  { key: 'ratePerSec', label: 'rate', format: formatRate },
  { key: 'errorRate', label: 'errors', format: formatPercent },
];

function DeltaCell({ d, format }: { d: Delta; format: (v: number | null) => string }) {
  const pct =
    d.deltaPct !== null
      ? `${d.deltaPct > 0 ? '+' : ''}${d.deltaPct.toFixed(1)} %`
      : d.base === null || d.candidate === null
        ? ''
        : d.base === d.candidate
          ? 'no change'
          : 'from 0';
  const cls = d.regression ? 'bad' : d.significant ? 'ok' : 'muted';
  return (
    <td className="num" data-significant={d.significant} data-regression={d.regression}>
      <div className="small">
        {format(d.base)} → {format(d.candidate)}
      </div>
      <div className={`${cls} small`}>
        {pct}
        {d.significant ? (d.regression ? ' ▲ regression' : ' ▼ better') : pct ? ' (noise)' : ''}
      </div>
    </td>
  );
}

export function noiseText(noise: NoiseBand): string {
  const from =
    noise.source === 'history'
      ? `from ${noise.runs} earlier comparable runs`
      : 'fixed: fewer than 3 earlier runs with the same parameters';
  return `Noise band ${from}: latency ±${noise.latencyPct.toFixed(1)} %, rate ±${noise.ratePct.toFixed(1)} %, error rate ±${(noise.errorRateAbs * 100).toFixed(2)} points. Changes inside it are not flagged.`;
}

export function DiffTable({
  totals,
  endpoints,
}: {
  totals: EndpointDelta;
  endpoints: readonly EndpointDelta[];
}) {
  const rows = [{ ...totals, name: 'All requests' }, ...endpoints];
  return (
    <table className="table compact" data-testid="diff-table">
      <thead>
        <tr>
          <th>Endpoint</th>
          {COLUMNS.map((c) => (
            <th key={c.key} className="num">
              {c.label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((e) => (
          <tr key={e.name} data-testid="diff-row">
            <td className="mono small">{e.name}</td>
            {COLUMNS.map((c) => (
              <DeltaCell key={c.key} d={e[c.key]} format={c.format} />
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const verdict = (ok: boolean | null) =>
  ok === true ? (
    <span className="ok">✓ pass</span>
  ) : ok === false ? (
    <span className="bad">✗ fail</span>
  ) : (
    <span className="muted">not set</span>
  );

export function ThresholdPairs({ pairs }: { pairs: readonly ThresholdPair[] }) {
  if (pairs.length === 0) return <p className="muted">Neither run recorded thresholds.</p>;
  return (
    <table className="table compact" data-testid="threshold-pairs">
      <thead>
        <tr>
          <th>Metric</th>
          <th>Expression</th>
          <th>Baseline</th>
          <th>Candidate</th>
        </tr>
      </thead>
      <tbody>
        {pairs.map((p) => (
          <tr key={`${p.metric} ${p.expr}`}>
            <td className="mono small">{p.metric}</td>
            <td className="mono small">{p.expr}</td>
            <td>{verdict(p.base)}</td>
            <td>{verdict(p.candidate)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
