// The target's setting changes in a window, for the charts' change markers: chaos changes made from
// the Chaos page and the switches experiments make, both read from the audit log that records them.
import {
  type ChangeMarker,
  MAX_CHANGE_MARKERS,
  markerOfAuditRow,
  newestMarkers,
  SWITCH_ACTION,
} from '../lib/change-markers.ts';
import type { AuditLog } from './audit.ts';

/** The newest `limit` changes between `from` and `to` (Unix ms, both included), oldest first. */
export async function readChangeMarkers(
  audit: Pick<AuditLog, 'list'>,
  window: { from: number; to: number },
  limit = MAX_CHANGE_MARKERS,
): Promise<ChangeMarker[]> {
  // One read per action through the audit log's own query, each already cut to the newest `limit`.
  const rows = await Promise.all(
    (['chaos.change', SWITCH_ACTION] as const).map((action) =>
      audit.list({ fromMs: window.from, toMs: window.to, action, limit }),
    ),
  );
  const markers = rows.flat().flatMap((row) => markerOfAuditRow(row) ?? []);
  return newestMarkers(markers, limit);
}
