'use client';
// Recent runs, newest first: live ones from the launcher, older ones from cp_runs.
import Link from 'next/link';
import { formatAgo, formatMs } from '../../lib/format.ts';
import type { RunView } from '../../lib/run-view.ts';
import { StateBadge } from '../state-badge.tsx';

export function RunList({
  runs,
  selectedId,
  now,
}: {
  runs: readonly RunView[];
  selectedId: string | null;
  now: number;
}) {
  if (runs.length === 0) return <p className="muted">No runs yet.</p>;
  return (
    <table className="table" data-testid="run-list">
      <thead>
        <tr>
          <th>Run</th>
          <th>Scenario</th>
          <th>State</th>
          <th>VUs · duration</th>
          <th>p95</th>
          <th>Thresholds</th>
          <th>Started</th>
        </tr>
      </thead>
      <tbody>
        {runs.map((run) => (
          <tr key={run.id} className={run.id === selectedId ? 'selected' : undefined} data-testid="run-row">
            <td>
              <Link
                href={`/load-tests?run=${encodeURIComponent(run.id)}`}
                className="mono small"
                scroll={false}
              >
                {run.id}
              </Link>
            </td>
            <td>{run.scenario}</td>
            <td>
              <StateBadge state={run.state} />
            </td>
            <td>
              {String(run.params.vus ?? '?')} · {String(run.params.duration ?? '?')}
            </td>
            <td>
              {run.result?.stats
                ? formatMs(run.result.stats.p95Ms)
                : run.live
                  ? formatMs(run.live.p95Ms)
                  : '—'}
            </td>
            <td>
              {run.result ? (
                run.result.thresholdsPassed ? (
                  <span className="ok">✓ passed</span>
                ) : (
                  <span className="bad">✗ failed</span>
                )
              ) : (
                '—'
              )}
            </td>
            <td className="muted">{formatAgo(run.startedAt ?? run.createdAt, now)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
