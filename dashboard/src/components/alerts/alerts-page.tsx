'use client';
// The Alerts page: the alert instances active now (with silence and acknowledge actions for qa),
// silences, the firing/pending timeline, each rule with its state and evaluation time, recently
// resolved alerts and the latest transitions — all from the alert engine's live snapshot.
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { type ActiveAlertView, type MatcherView, matchersFromLabels } from '../../lib/alert-view.ts';
import { formatAgo, formatClock, formatDuration, formatMs } from '../../lib/format.ts';
import { useTRPC } from '../../trpc/react.tsx';
import { useCan } from '../auth/session.tsx';
import { StateBadge } from '../state-badge.tsx';
import { useLiveAlerts } from '../use-live.ts';
import { useNow } from '../use-now.ts';
import { AlertInstances } from './alert-instances.tsx';
import { AlertTimeline } from './alert-timeline.tsx';
import { SilenceForm } from './silence-form.tsx';
import { SilenceList } from './silence-list.tsx';

export function AlertsPage() {
  const { snapshot, error } = useLiveAlerts();
  const now = useNow();
  const trpc = useTRPC();
  const canAct = useCan('qa');
  /** The matchers of the silence being written, or null when the form is closed. */
  const [draft, setDraft] = useState<{ key: number; matchers: MatcherView[] } | null>(null);
  const acknowledge = useMutation(trpc.alerts.acknowledge.mutationOptions());
  const unacknowledge = useMutation(trpc.alerts.unacknowledge.mutationOptions());
  const expire = useMutation(trpc.alerts.expireSilence.mutationOptions());
  const actionError = acknowledge.error ?? unacknowledge.error ?? expire.error;
  const busy = acknowledge.isPending || unacknowledge.isPending || expire.isPending;

  const actions = canAct
    ? {
        silence: (a: ActiveAlertView) =>
          setDraft({ key: Date.now(), matchers: matchersFromLabels(a.labels) }),
        acknowledge: (a: ActiveAlertView) =>
          a.fingerprint && acknowledge.mutate({ fingerprint: a.fingerprint }),
        unacknowledge: (a: ActiveAlertView) =>
          a.fingerprint && unacknowledge.mutate({ fingerprint: a.fingerprint }),
        busy,
      }
    : null;

  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>Alerts</h1>
          <p className="muted">
            Rules from alert-rules/, evaluated in this process. Silenced and acknowledged alerts keep their
            state but page nobody.
          </p>
        </div>
      </div>
      {error ? <p className="error-box">Live connection lost: {error}</p> : null}
      {snapshot?.error ? <p className="note">{snapshot.error}</p> : null}
      {actionError ? (
        <p className="error-box" data-testid="alert-action-error">
          {actionError.message}
        </p>
      ) : null}

      <section className="panel">
        <h2>Firing and pending</h2>
        <AlertInstances
          alerts={snapshot?.active ?? []}
          now={now}
          empty={snapshot ? 'Nothing pending or firing.' : 'Connecting…'}
          actions={actions}
        />
      </section>

      <section className="panel">
        <div className="panel-head">
          <h2>Silences</h2>
          {canAct && !draft ? (
            <button
              type="button"
              onClick={() => setDraft({ key: Date.now(), matchers: [] })}
              data-testid="new-silence"
            >
              New silence
            </button>
          ) : null}
        </div>
        {draft ? (
          <SilenceForm key={draft.key} initial={draft.matchers} onDone={() => setDraft(null)} />
        ) : null}
        <SilenceList
          silences={snapshot?.silences ?? []}
          now={now}
          onExpire={canAct ? (id) => expire.mutate({ id }) : null}
          busy={busy}
        />
      </section>

      <section className="panel">
        <h2>Timeline</h2>
        {snapshot ? <AlertTimeline points={snapshot.timeline} /> : <p className="muted">Connecting…</p>}
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
                  <td className="muted">
                    {rule.lastEvalAt ? formatAgo(rule.lastEvalAt, now) : 'not yet'}
                    {rule.evalDurationMs !== null ? (
                      <div className="small" data-testid="rule-eval-time">
                        took {formatMs(rule.evalDurationMs)}
                      </div>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section className="panel">
        <h2>Recently resolved</h2>
        {!snapshot || snapshot.resolved.length === 0 ? (
          <p className="muted">Nothing resolved recently.</p>
        ) : (
          <table className="table" data-testid="resolved-alerts">
            <thead>
              <tr>
                <th>Alert</th>
                <th>Resolved</th>
                <th>Was active for</th>
                <th>Value</th>
              </tr>
            </thead>
            <tbody>
              {snapshot.resolved.map((r) => (
                <tr key={`${r.fingerprint}-${r.resolvedAt}`}>
                  <td>
                    <div className="strong">{r.rule}</div>
                    <div className="muted small mono">
                      {Object.entries(r.labels)
                        .filter(([k]) => k !== 'alertname')
                        .map(([k, v]) => `${k}=${v}`)
                        .join(' ')}
                    </div>
                  </td>
                  <td className="mono small">{formatClock(r.resolvedAt)}</td>
                  <td>{r.activeAt ? formatDuration(r.resolvedAt - r.activeAt) : '—'}</td>
                  <td>{r.value}</td>
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
                <tr key={`${t.at}-${t.fingerprint ?? t.rule}-${t.to}`}>
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
