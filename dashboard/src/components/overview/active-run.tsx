'use client';
// The load test running now, if any, with a link to watch it.

import { formatMs, formatPercent, formatRate, formatVus } from '../../lib/format.ts';
import type { RunView } from '../../lib/run-view.ts';
import { HoverPrefetchLink as Link } from '../hover-prefetch-link.tsx';
import { StateBadge } from '../state-badge.tsx';

export function ActiveRun({ run, latest }: { run: RunView | undefined; latest: RunView | undefined }) {
  if (!run) {
    return (
      <div data-testid="no-active-run">
        <p className="muted">
          No load test is running. <Link href="/load-tests">Launch one</Link>.
        </p>
        {latest ? (
          <p className="small">
            Last run: <Link href={`/load-tests?run=${encodeURIComponent(latest.id)}`}>{latest.id}</Link>{' '}
            <StateBadge state={latest.state} />
            {latest.result?.stats ? ` · p95 ${formatMs(latest.result.stats.p95Ms)}` : ''}
            {latest.result ? ` · thresholds ${latest.result.thresholdsPassed ? 'passed' : 'failed'}` : ''}
          </p>
        ) : null}
      </div>
    );
  }
  return (
    <div className="active-run" data-testid="active-run">
      <div>
        <StateBadge state={run.state} />{' '}
        <Link href={`/load-tests?run=${encodeURIComponent(run.id)}`} data-testid="active-run-link">
          {run.scenario} · {run.id}
        </Link>
      </div>
      <div className="muted small">
        {formatVus(run.params.vus)} for {String(run.params.duration ?? '?')} against {run.target}
      </div>
      {run.live ? (
        <div className="small">
          {formatRate(run.live.reqRate)} · p95 {formatMs(run.live.p95Ms)} · errors{' '}
          {formatPercent(run.live.errorRate)}
        </div>
      ) : null}
    </div>
  );
}
