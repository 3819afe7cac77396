'use client';
// The breakdown behind the scores: every category's KPIs with value, target, points and what each
// costs (biggest losses first), for a time range (?range=) or a load-test run (?run=), plus the
// chart behind a chosen KPI (?kpi=).
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useCallback } from 'react';
import { formatClock, formatDuration } from '../../lib/format.ts';
import { parseTimeRange, TIME_RANGES, type TimeRange } from '../../lib/time-range.ts';
import type { ScoreReport } from '../../scores/report.ts';
import { useTRPC } from '../../trpc/react.tsx';
import { RangePicker } from '../overview/range-picker.tsx';
import { useNow } from '../use-now.ts';
import { KpiChart } from './kpi-chart.tsx';
import { KpiTable } from './kpi-table.tsx';
import { ScoreBadge } from './score-badge.tsx';

const REFRESH_MS = 15_000;

function useReport(range: TimeRange, runId: string | null) {
  const trpc = useTRPC();
  const now = useNow(REFRESH_MS);
  // Whole seconds keep the query key stable between clock ticks.
  const to = Math.floor(now / 1000) * 1000;
  const forWindow = useQuery({
    ...trpc.scores.forWindow.queryOptions({ from: to - TIME_RANGES[range].seconds * 1000, to }),
    enabled: runId === null && now > 0,
    placeholderData: (previous) => previous,
  });
  const forRun = useQuery({
    ...trpc.scores.forRun.queryOptions({ runId: runId ?? '' }),
    enabled: runId !== null,
  });
  if (runId !== null)
    return {
      report: forRun.data?.report ?? null,
      error: forRun.error?.message ?? null,
      loading: forRun.isPending,
    };
  return {
    report: forWindow.data ?? null,
    error: forWindow.error?.message ?? null,
    loading: forWindow.isPending,
  };
}

export function ScoresPage() {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const range = parseTimeRange(searchParams.get('range'));
  const runId = searchParams.get('run');
  const kpiId = searchParams.get('kpi');
  const { report, error, loading } = useReport(range, runId);

  const hrefWith = useCallback(
    (changes: Record<string, string | null>) => {
      const params = new URLSearchParams(searchParams.toString());
      for (const [key, value] of Object.entries(changes)) {
        if (value === null) params.delete(key);
        else params.set(key, value);
      }
      return `${pathname}?${params.toString()}`;
    },
    [pathname, searchParams],
  );
  const chosen = report?.categories.flatMap((c) => c.kpis).find((k) => k.id === kpiId);

  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>Scores</h1>
          <p className="muted" data-testid="scores-window">
            {runId ? (
              <>
                load-test run <Link href={`/load-tests?run=${encodeURIComponent(runId)}`}>{runId}</Link>
                {report
                  ? ` · ${formatClock(report.from)}–${formatClock(report.to)} (${formatDuration(report.to - report.from)})`
                  : ''}
              </>
            ) : (
              `last ${TIME_RANGES[range].label}, refreshed every 15 s`
            )}
          </p>
        </div>
        {runId ? (
          <Link href={hrefWith({ run: null })}>Back to live scores</Link>
        ) : (
          <RangePicker
            value={range}
            onChange={(next) => router.replace(hrefWith({ range: next }), { scroll: false })}
          />
        )}
      </div>

      {error ? <p className="error-box">Could not compute the scores: {error}</p> : null}
      {loading && !report ? <p className="muted">Scoring…</p> : null}
      {runId && !loading && !report && !error ? (
        <p className="muted">This run has not started yet: its scores appear once it runs.</p>
      ) : null}
      {report ? <Summary report={report} /> : null}
      {report && chosen ? <KpiChart kpi={chosen} window={{ from: report.from, to: report.to }} /> : null}
      {report?.categories.map((category) => (
        <KpiTable
          key={category.id}
          category={category}
          chartHref={(id) => `${hrefWith({ kpi: id })}#kpi-chart`}
        />
      ))}
    </div>
  );
}

function Summary({ report }: { report: ScoreReport & { errors?: string[] } }) {
  return (
    <section className="panel score-summary" data-testid="scores-summary">
      <ScoreBadge score={report.overall} band={report.band} size="lg" testId="scores-overall" />
      <div>
        <div className="score-title">
          Overall (target 95) · {report.categories.filter((c) => c.score !== null).length} of{' '}
          {report.categories.length} categories measured
        </div>
        <p className="muted small">
          Each KPI scores 0–100 on Lighthouse&apos;s log-normal curve: its target scores 90, its “scores 50
          at” value 50. A category is the weighted mean of its KPIs with data; the overall score the mean of
          the categories with data. KPIs without data are left out, never counted as 0 or 100.
        </p>
        <p className="muted small" data-testid="scores-estimate-note">
          Percentile KPIs (p95) are estimated from histogram buckets: each states the range its true value
          lies in (“within …”), the bucket narrowed by the fastest and slowest observation.
        </p>
        {report.overall === null ? (
          <p data-testid="scores-empty">
            Nothing measured in this window yet. Start the target app (<code>npm start</code>) and{' '}
            <Link href="/load-tests">launch a load test</Link>; KPIs whose metric the target does not emit yet
            stay “no data”.
          </p>
        ) : null}
        {report.errors?.length ? (
          <p className="error-box">Some KPIs could not be read: {report.errors.join('; ')}</p>
        ) : null}
      </div>
    </section>
  );
}
