'use client';
// The alert instances that are active now (pending, firing, or held in no data / error), with how
// long they have been active, where their notifications go (silenced, acknowledged, no receiver,
// the receivers), and the qa actions.
import type { ActiveAlertView } from '../../lib/alert-view.ts';
import { formatDuration } from '../../lib/format.ts';
import { StateBadge } from '../state-badge.tsx';
import { NotificationStatus } from './notification-status.tsx';

interface Props {
  alerts: readonly ActiveAlertView[];
  now: number;
  empty: string;
  /** Null when the viewer may not act (no qa role). */
  actions: {
    silence(alert: ActiveAlertView): void;
    acknowledge(alert: ActiveAlertView): void;
    unacknowledge(alert: ActiveAlertView): void;
    busy: boolean;
  } | null;
}

export function AlertInstances({ alerts, now, empty, actions }: Props) {
  if (alerts.length === 0)
    return (
      <p className="muted" data-testid="no-active-alerts">
        {empty}
      </p>
    );
  return (
    <table className="table" data-testid="alert-instances">
      <thead>
        <tr>
          <th>State</th>
          <th>Alert</th>
          <th>Value</th>
          <th>Active for</th>
          <th>Notifications</th>
          {actions ? <th /> : null}
        </tr>
      </thead>
      <tbody>
        {alerts.map((a) => (
          <tr key={a.fingerprint ?? `${a.rule}-${JSON.stringify(a.labels)}`} data-testid="alert-instance">
            <td>
              <StateBadge state={a.state} testId="instance-state" />
            </td>
            <td>
              <div className="strong">{a.rule}</div>
              <div className="muted small mono">
                {Object.entries(a.labels)
                  .filter(([k]) => k !== 'alertname')
                  .map(([k, v]) => `${k}=${v}`)
                  .join(' ')}
              </div>
              {a.summary ? <div className="small">{a.summary}</div> : null}
            </td>
            <td>{a.value}</td>
            <td className="muted">{a.activeAt ? formatDuration(now - a.activeAt) : '—'}</td>
            <td className="small">
              <NotificationStatus alert={a} />
            </td>
            {actions ? (
              <td>
                <div className="actions">
                  <button type="button" onClick={() => actions.silence(a)} data-testid="silence-alert">
                    Silence…
                  </button>
                  {a.state === 'firing' && !a.acknowledged ? (
                    <button
                      type="button"
                      disabled={actions.busy}
                      onClick={() => actions.acknowledge(a)}
                      data-testid="ack-alert"
                    >
                      Acknowledge
                    </button>
                  ) : null}
                  {a.acknowledged ? (
                    <button
                      type="button"
                      disabled={actions.busy}
                      onClick={() => actions.unacknowledge(a)}
                      data-testid="unack-alert"
                    >
                      Un-ack
                    </button>
                  ) : null}
                </div>
              </td>
            ) : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
