'use client';
// Where an alert's notifications go now, said the same way on the Alerts page and the Overview:
// silenced (by which silences), acknowledged (by whom), "no receiver configured" when nothing
// would be sent, or the receivers it notifies.
import { type ActiveAlertView, deliveryText } from '../../lib/alert-view.ts';

export function NotificationStatus({ alert }: { alert: ActiveAlertView }) {
  const silenced = alert.silencedBy && alert.silencedBy.length > 0;
  const delivery = alert.delivery;
  return (
    <>
      {silenced ? (
        <span
          className="badge badge-nodata"
          data-testid="silenced-marker"
          title={alert.silencedBy?.join(', ')}
        >
          silenced
        </span>
      ) : null}
      {alert.acknowledged ? (
        <span
          className="badge badge-pending"
          data-testid="acked-marker"
          title={alert.acknowledged.comment || undefined}
        >
          acked by {alert.acknowledged.by}
        </span>
      ) : null}
      {!silenced && !alert.acknowledged && delivery ? (
        <span className={delivery.state === 'no-receiver' ? 'badge' : 'muted'} data-testid="delivery">
          {deliveryText(delivery)}
        </span>
      ) : null}
    </>
  );
}
