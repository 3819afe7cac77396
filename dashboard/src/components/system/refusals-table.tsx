// Who the collector refused, and why: one row per sender (the payload's service.name, "unknown"
// when it was not decoded, "other" past the collector's cap on names), reason and signal. The
// same refusals are in the collector's log with the sender's address and user agent.
import { formatAgo, formatClock, formatCount } from '../../lib/format.ts';
import { TIME_RANGES, type TimeRange } from '../../lib/time-range.ts';
import type { SenderRefusals } from '../../server/routers/system.ts';

/** What each reason means to whoever has to fix the sender. */
const REASONS: Record<string, string> = {
  unauthorized: 'no valid ingest key (401)',
  body_too_large: 'over the size limit (413)',
  unsupported_type: 'content type or encoding not accepted (415)',
  undecodable: 'not OTLP protobuf/JSON, or bad gzip (400)',
  bad_request: 'refused as a bad request (4xx)',
  invalid_items: 'items failed validation (partial success)',
  busy: 'too much in flight (429)',
  queue_full: 'on-disk queue full (503)',
  store_failure: 'store and queue failed (503)',
};

function windowText(refusals: SenderRefusals, range: TimeRange): string {
  if (refusals.source === 'collector') return 'since the collector started';
  const seconds = (refusals.windowMs ?? TIME_RANGES[range].seconds * 1000) / 1000;
  const match = Object.values(TIME_RANGES).find((r) => r.seconds === seconds);
  return `in the last ${match?.label ?? `${Math.round(seconds / 60)} min`}, from the collector's self-telemetry`;
}

export function RefusalsTable({
  refusals,
  range,
  now,
}: {
  refusals: SenderRefusals | null;
  range: TimeRange;
  now: number;
}) {
  return (
    <section className="panel" aria-label="Refused by sender">
      <h2>Who was refused</h2>
      {refusals === null ? (
        <p className="muted" data-testid="sys-refusals-unknown">
          Not known: the store could not be read.
        </p>
      ) : (
        <>
          <p className="muted">
            Refused requests and rejected items by sender, reason and signal, {windowText(refusals, range)}.
            Each is also in the collector&apos;s log with the sender&apos;s address and user agent, at most
            one line per sender and reason a minute:{' '}
            <code>
              collector: rejected 3 invalid metrics items (reason=invalid_items sender=&quot;…&quot; address=…
              user_agent=&quot;…&quot;): &quot;why&quot;
            </code>
            .
          </p>
          <table className="table compact" data-testid="sys-refusals">
            <thead>
              <tr>
                <th>Sender</th>
                <th>Reason</th>
                <th>Signal</th>
                <th className="num">Items</th>
                <th className="num">Requests</th>
                <th className="num">Last seen</th>
              </tr>
            </thead>
            <tbody>
              {refusals.rows.map((r) => (
                <tr key={`${r.sender}\0${r.reason}\0${r.signal}`} data-testid="sys-refusal-row">
                  <td className="mono" data-testid="sys-refusal-sender">
                    {r.sender}
                  </td>
                  <td title={REASONS[r.reason]}>
                    {r.reason}
                    {REASONS[r.reason] ? <span className="muted"> · {REASONS[r.reason]}</span> : null}
                  </td>
                  <td>{r.signal}</td>
                  <td className="num bad-text">{formatCount(r.items)}</td>
                  <td className="num bad-text">{formatCount(r.requests)}</td>
                  <td className="num" title={formatClock(r.lastAt)}>
                    {formatAgo(r.lastAt, now)}
                  </td>
                </tr>
              ))}
              {refusals.rows.length === 0 ? (
                <tr>
                  <td colSpan={6} className="muted" data-testid="sys-refusals-empty">
                    nothing refused
                  </td>
                </tr>
              ) : null}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
