'use client';
// The Overview's scores: overall and per category over the chosen range, each in its band's
// colour with its trend across the range, streamed every 15 s. Links to the breakdown.
import { useSubscription } from '@trpc/tanstack-react-query';
import type { TimeRange } from '../../lib/time-range.ts';
import { type RouterOutputs, type Streamed, useTRPC } from '../../trpc/react.tsx';
import { HoverPrefetchLink as Link } from '../hover-prefetch-link.tsx';
import { ScoreBadge } from './score-badge.tsx';
import { Sparkline } from './sparkline.tsx';

export type ScoresSnapshot = Streamed<RouterOutputs['scores']['live']>;

/** `initial`: the server's first snapshot; `live`: whether the stream may open yet. */
export function OverviewScores({
  range,
  initial,
  live,
}: {
  range: TimeRange;
  initial: ScoresSnapshot | undefined;
  live: boolean;
}) {
  const trpc = useTRPC();
  const sub = useSubscription(trpc.scores.live.subscriptionOptions({ range }, { enabled: live }));
  const snapshot = sub.data?.range === range ? sub.data : initial?.range === range ? initial : undefined;
  const report = snapshot?.report;
  const trend = snapshot?.trend ?? [];
  const detail = `/scores?range=${range}`;

  return (
    <section className="panel scores-panel" aria-label="Scores" data-testid="overview-scores">
      <div className="scores-head">
        <h2>Scores</h2>
        <Link href={detail} data-testid="scores-link">
          What costs points →
        </Link>
      </div>
      {sub.error ? <p className="error-box">Scores unavailable: {sub.error.message}</p> : null}
      {!report ? (
        <p className="muted">Scoring the last {range}…</p>
      ) : (
        <div className="scores-grid">
          <div className="score-overall">
            <ScoreBadge score={report.overall} band={report.band} size="lg" testId="overall-score" />
            <div>
              <div className="score-title">Overall</div>
              <div className="muted small" data-testid="scores-coverage">
                target 95 · {report.categories.filter((c) => c.score !== null).length} of{' '}
                {report.categories.length} categories measured
              </div>
              <Sparkline values={trend.map((p) => p.overall)} label="overall score trend" />
            </div>
          </div>
          <ul className="score-categories">
            {report.categories.map((c) => (
              <li key={c.id} data-testid={`category-${c.id}`}>
                <Link href={`${detail}#${c.id}`} className="score-category">
                  <ScoreBadge score={c.score} band={c.band} size="sm" testId={`category-score-${c.id}`} />
                  <span className="score-category-name">{c.name}</span>
                  {c.score === null ? null : (
                    <Sparkline
                      values={trend.map((p) => p.categories[c.id] ?? null)}
                      width={64}
                      label={`${c.name} trend`}
                    />
                  )}
                </Link>
              </li>
            ))}
          </ul>
        </div>
      )}
      {report && report.overall === null ? (
        <p className="muted small" data-testid="scores-empty">
          No KPI has data in this range yet: start the target app (<code>npm start</code>) or{' '}
          <Link href="/load-tests">launch a load test</Link>, and scores appear within a minute.
        </p>
      ) : null}
    </section>
  );
}
