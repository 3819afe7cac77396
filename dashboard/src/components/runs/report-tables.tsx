// The run report's tables: per endpoint, errors by status, checks, thresholds (k6's verdict beside
// the verdict on the store-wide figures). Missing values read "no data", never 0.
import type { RunResults } from 'load-tests/results';
import { formatCount, formatMs, formatPercent, formatRate } from '../../lib/format.ts';

export function EndpointTable({ results }: { results: RunResults }) {
  if (results.endpoints.length === 0)
    return (
      <p className="muted" data-testid="endpoints-empty">
        No requests recorded for this run. k6 sends its metrics to the collector while it runs; a run that
        failed to start, or a k6 without the OpenTelemetry output, leaves this empty.
      </p>
    );
  const rows = [...results.endpoints, { name: 'All requests', ...results.totals }];
  return (
    <table className="table compact" data-testid="endpoint-table">
      <thead>
        <tr>
          <th>Endpoint</th>
          <th className="num">Requests</th>
          <th className="num">Rate</th>
          <th className="num">p50</th>
          <th className="num">p90</th>
          <th className="num">p95</th>
          <th className="num">p99</th>
          <th className="num">Max</th>
          <th className="num">Errors</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((e, i) => (
          <tr
            key={e.name}
            data-testid="endpoint-row"
            className={i === rows.length - 1 ? 'strong' : undefined}
          >
            <td className="mono small">{e.name || '(unnamed)'}</td>
            <td className="num">{formatCount(e.requests)}</td>
            <td className="num">{formatRate(e.ratePerSec)}</td>
            <td className="num">{formatMs(e.latency.p50Ms)}</td>
            <td className="num">{formatMs(e.latency.p90Ms)}</td>
            <td className="num">{formatMs(e.latency.p95Ms)}</td>
            <td className="num">{formatMs(e.latency.p99Ms)}</td>
            <td className="num">{formatMs(e.latency.maxMs)}</td>
            <td className={`num ${e.failed > 0 ? 'bad' : ''}`}>
              {formatCount(e.failed)} ({formatPercent(e.errorRate)})
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function ErrorsTable({ results }: { results: RunResults }) {
  if (results.errorsByStatus.length === 0)
    return <p className="muted">No failed requests: every response had an expected status.</p>;
  return (
    <table className="table compact" data-testid="errors-table">
      <thead>
        <tr>
          <th>Endpoint</th>
          <th>Status</th>
          <th className="num">Count</th>
        </tr>
      </thead>
      <tbody>
        {results.errorsByStatus.map((e) => (
          <tr key={`${e.name} ${e.status}`}>
            <td className="mono small">{e.name}</td>
            <td className="bad">{e.status || 'no response'}</td>
            <td className="num">{formatCount(e.count)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function ChecksTable({ results }: { results: RunResults }) {
  if (results.checks.length === 0) return <p className="muted">This run's script recorded no checks.</p>;
  return (
    <table className="table compact" data-testid="checks-table">
      <thead>
        <tr>
          <th>Check</th>
          <th className="num">Passes</th>
          <th className="num">Fails</th>
        </tr>
      </thead>
      <tbody>
        {results.checks.map((c) => (
          <tr key={c.name}>
            <td>{c.name}</td>
            <td className="num">{formatCount(c.passes)}</td>
            <td className={`num ${c.fails > 0 ? 'bad' : ''}`}>{formatCount(c.fails)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const verdict = (ok: boolean | null | undefined) =>
  ok === true ? <span className="ok">✓ pass</span> : ok === false ? <span className="bad">✗ fail</span> : '—';

export function ThresholdTable({ results }: { results: RunResults }) {
  if (results.thresholds.length === 0)
    return (
      <p className="muted">
        No thresholds recorded: k6 writes them in its end-of-test summary, which a run that was killed or
        crashed never wrote.
      </p>
    );
  const store = new Map(results.storeThresholds.map((t) => [`${t.metric} ${t.expr}`, t]));
  return (
    <table className="table compact" data-testid="threshold-table">
      <thead>
        <tr>
          <th>Metric</th>
          <th>Expression</th>
          <th>k6</th>
          <th title="The same expression judged on all processes' data merged in the store">Store</th>
        </tr>
      </thead>
      <tbody>
        {results.thresholds.map((t) => {
          const s = store.get(`${t.metric} ${t.expr}`);
          return (
            <tr key={`${t.metric} ${t.expr}`} data-testid="threshold-row">
              <td className="mono small">{t.metric}</td>
              <td className="mono small">{t.expr}</td>
              <td>{verdict(t.ok)}</td>
              <td>
                {verdict(s?.ok)}
                {s?.value != null ? (
                  <span className="muted small"> ({Number(s.value.toFixed(3))})</span>
                ) : null}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
