'use client';
// Silences: active and pending ones first, then those expired in the last day; qa may expire one.
import { formatMatcher, type SilenceView } from '../../lib/alert-view.ts';
import { formatAgo, formatClock } from '../../lib/format.ts';

const ORDER = { active: 0, pending: 1, expired: 2 } as const;

export function SilenceList({
  silences,
  now,
  onExpire,
  busy,
}: {
  silences: readonly SilenceView[];
  now: number;
  /** Null when the viewer may not expire silences. */
  onExpire: ((id: string) => void) | null;
  busy: boolean;
}) {
  if (silences.length === 0)
    return (
      <p className="muted" data-testid="no-silences">
        No silences.
      </p>
    );
  const sorted = [...silences].sort((a, b) => ORDER[a.state] - ORDER[b.state] || b.startsAt - a.startsAt);
  return (
    <table className="table" data-testid="silences">
      <thead>
        <tr>
          <th>State</th>
          <th>Matchers</th>
          <th>Starts</th>
          <th>Ends</th>
          <th>By</th>
          <th>Comment</th>
          {onExpire ? <th /> : null}
        </tr>
      </thead>
      <tbody>
        {sorted.map((s) => (
          <tr key={s.id} data-testid="silence-row">
            <td>
              <span className={`badge badge-silence-${s.state}`} data-testid="silence-state">
                {s.state}
              </span>
            </td>
            <td className="mono small">
              {s.matchers.map(formatMatcher).join(', ')}
              {s.problem ? (
                <span className="error-box small" data-testid="silence-problem">
                  Not applied: {s.problem}
                </span>
              ) : null}
            </td>
            <td className="muted small">{formatClock(s.startsAt)}</td>
            <td className="muted small">
              {s.state === 'expired' ? `ended ${formatAgo(s.endsAt, now)}` : formatClock(s.endsAt)}
            </td>
            <td>{s.createdBy}</td>
            <td className="small">{s.comment}</td>
            {onExpire ? (
              <td>
                {s.state !== 'expired' ? (
                  <button
                    type="button"
                    disabled={busy}
                    onClick={() => onExpire(s.id)}
                    data-testid="expire-silence"
                  >
                    Expire
                  </button>
                ) : null}
              </td>
            ) : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
