'use client';
// Pending and firing alerts, most urgent first.

import type { ActiveAlertView } from '../../lib/alert-view.ts';
import { formatAgo } from '../../lib/format.ts';
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
        <li key={`${a.rule}-${JSON.stringify(a.labels)}`} className={`alert-item alert-${a.state}`}>
          <StateBadge state={a.state} />
          <div>
            <Link href="/alerts" className="alert-name">
              {a.rule}
            </Link>
            <div className="muted small">
              value {a.value} · since {formatAgo(a.activeAt, now)}
            </div>
            {a.summary ? <div className="small">{a.summary}</div> : null}
          </div>
        </li>
      ))}
    </ul>
  );
}
