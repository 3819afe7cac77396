'use client';
// The Alerts page: each rule with its state now, the alerts pending or firing, and the latest
// state transitions, all from the alert engine's live snapshot.
import { formatAgo, formatClock, formatDuration } from '../../lib/format.ts';
import { ActiveAlerts } from '../overview/active-alerts.tsx';
import { StateBadge } from '../state-badge.tsx';
import { useLiveAlerts } from '../use-live.ts';
import { useNow } from '../use-now.ts';

export function AlertsPage() {
  const { snapshot, error } = useLiveAlerts();
  const now = useNow();
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>Alerts</h1>
          <p className="muted">
            Rules from alert-rules/, evaluated in this process; state changes notify the webhook.
          </p>
        </div>
      </div>
      {error ? <p className="error-box">Live connection lost: {error}</p> : null}
      {snapshot?.error ? <p className="note">{snapshot.error}</p> : null}

      <section className="panel">
        <h2>Firing and pending</h2>
        <ActiveAlerts
          alerts={snapshot?.active ?? []}
          now={now}
          empty={snapshot ? 'Nothing pending or firing.' : 'Connecting…'}
        />
      </section>

      <section className="panel">
        <h2>Rules</h2>
        {!snapshot ? (
          <p className="muted">Connecting…</p>
        ) : snapshot.rules.length === 0 ? (
          <p className="muted" data-testid="no-rules">
            No rules loaded.
          </p>
        ) : (
          <table className="table" data-testid="rules-table">
            <thead>
              <tr>
                <th>Rule</th>
                <th>Condition</th>
                <th>For</th>
                <th>State</th>
                <th>Value</th>
                <th>Since</th>
                <th>Evaluated</th>
              </tr>
            </thead>
            <tbody>
              {snapshot.rules.map((rule) => (
                <tr key={`${rule.group}/${rule.name}`} data-testid="rule-row">
                  <td>
                    <div className="strong">{rule.name}</div>
                    <div className="muted small">
                      {rule.group}
                      {rule.severity ? ` · ${rule.severity}` : ''}
                    </div>
                  </td>
                  <td className="mono small">{rule.condition}</td>
                  <td>{rule.forMs > 0 ? formatDuration(rule.forMs) : '—'}</td>
                  <td>
                    <StateBadge state={rule.state} testId="rule-state" />
                    {rule.lastError ? <div className="bad small">{rule.lastError}</div> : null}
                  </td>
                  <td>{rule.value}</td>
                  <td className="muted">{rule.activeAt ? formatAgo(rule.activeAt, now) : '—'}</td>
                  <td className="muted">{rule.lastEvalAt ? formatAgo(rule.lastEvalAt, now) : 'not yet'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section className="panel">
        <h2>Recent transitions</h2>
        {!snapshot || snapshot.recent.length === 0 ? (
          <p className="muted">No state changes recorded yet.</p>
        ) : (
          <table className="table" data-testid="alert-transitions">
            <thead>
              <tr>
                <th>Time</th>
                <th>Rule</th>
                <th>Change</th>
                <th>Value</th>
              </tr>
            </thead>
            <tbody>
              {snapshot.recent.map((t) => (
                <tr key={`${t.at}-${t.rule}-${t.to}`}>
                  <td className="mono small">{formatClock(t.at)}</td>
                  <td>{t.rule}</td>
                  <td>
                    {t.from ? <StateBadge state={t.from} /> : null} → <StateBadge state={t.to} />
                  </td>
                  <td>{t.value}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
