'use client';
// Pending and firing alerts, most urgent first, each with where its notifications go: a silenced
// or acknowledged alert says so (and is drawn quieter), as on the Alerts page.

import type { ActiveAlertView } from '../../lib/alert-view.ts';
import { formatAgo } from '../../lib/format.ts';
import { NotificationStatus } from '../alerts/notification-status.tsx';
import { HoverPrefetchLink as Link } from '../hover-prefetch-link.tsx';
import { StateBadge } from '../state-badge.tsx';

export function ActiveAlerts({
  alerts,
  now,
  empty,
}: {
  alerts: readonly ActiveAlertView[];
  now: number;
  empty: string;
}) {
  if (alerts.length === 0)
    return (
      <p className="muted" data-testid="no-active-alerts">
        {empty}
      </p>
    );
  return (
    <ul className="alert-list" data-testid="active-alerts">
      {alerts.map((a) => (
        <li
          key={`${a.rule}-${JSON.stringify(a.labels)}`}
          className={`alert-item alert-${a.state}${quiet(a) ? ' alert-quiet' : ''}`}
          data-testid="active-alert"
        >
          <StateBadge state={a.state} />
          <div>
            <Link href="/alerts" className="alert-name">
              {a.rule}
            </Link>
            <div className="muted small">
              value {a.value} · since {formatAgo(a.activeAt, now)}
            </div>
            <div className="small">
              <NotificationStatus alert={a} />
            </div>
            {a.summary ? <div className="small">{a.summary}</div> : null}
          </div>
        </li>
      ))}
    </ul>
  );
}

/** Someone has dealt with it: a silence or an acknowledgement holds its notifications. */
const quiet = (a: ActiveAlertView) => (a.silencedBy?.length ?? 0) > 0 || Boolean(a.acknowledged);
