// The comparison's tables: per-endpoint deltas, rows in the comparison's order (largest change
// first, too-small rows last). A change beyond run-to-run noise on a judged row is marked ▲ or ▼ for
// its direction and coloured red when worse, green when better; a row with too few requests says so.
import type { Delta, EndpointDelta, NoiseBand, ThresholdPair } from 'load-tests/results';
import {
  type ComparedMetric,
  changeMarker,
  deltaPctText,
  formatMetric,
  judgeNote,
  METRIC_LABELS,
  TONE_CLASS,
} from '../../lib/compare-view.ts';

const COLUMNS: ComparedMetric[] = ['p50Ms', 'p95Ms', 'p99Ms', 'maxMs', 'ratePerSec', 'errorRate'];

function DeltaCell({ d, metric }: { d: Delta; metric: ComparedMetric }) {
  const pct = deltaPctText(d);
  const m = changeMarker(metric, d);
  return (
    <td
      className="num"
      data-significant={d.significant}
      data-regression={d.regression}
      data-tone={m.tone}
      data-arrow={d.significant ? m.arrow : ''}
    >
      <div className="small">
        {formatMetric(metric, d.base)} → {formatMetric(metric, d.candidate)}
      </div>
      <div className={`${TONE_CLASS[m.tone]} small`}>
        {pct}
        {d.significant ? ` ${m.arrow} ${m.words}` : pct ? ' (noise)' : ''}
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
  minRequests,
}: {
  totals: EndpointDelta;
  endpoints: readonly EndpointDelta[];
  minRequests: number;
}) {
  return (
    <table className="table compact" data-testid="diff-table">
      <thead>
        <tr>
          <th>Endpoint</th>
          {COLUMNS.map((c) => (
            <th key={c} className="num">
              {METRIC_LABELS[c]}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {[totals, ...endpoints].map((e) => {
          const note = judgeNote(e, minRequests);
          return (
            <tr key={e.name} data-testid="diff-row" data-judged={e.judged}>
              <td className="mono small">
                {e === totals ? 'All requests' : e.name}
                {note ? (
                  <div className="muted" data-testid="judge-note">
                    {note}
                  </div>
                ) : null}
              </td>
              {COLUMNS.map((c) => (
                <DeltaCell key={c} d={e[c]} metric={c} />
              ))}
            </tr>
          );
        })}
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
