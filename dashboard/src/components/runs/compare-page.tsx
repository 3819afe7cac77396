'use client';
// Compare two runs of a scenario (?scenario=…&base=…&candidate=…, shareable): what changed most,
// their percentiles overlaid, a per-endpoint diff against run-to-run noise, thresholds side by side,
// and the scenario's trend across its runs. A missing side is proposed (the baseline, else the
// candidate's neighbour; the newest run as candidate) and the comparison opens at once.
import { useQuery } from '@tanstack/react-query';
import type { TrendPoint } from 'load-tests/results';
import Link from 'next/link';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { formatMs } from '../../lib/format.ts';
import { useTRPC } from '../../trpc/react.tsx';
import { DiffTable, noiseText, ThresholdPairs } from './compare-diff.tsx';
import { BiggestChanges, CompareVerdict } from './compare-summary.tsx';
import { defaultPair, trendRows } from './overlay-data.ts';
import { OverlaidPercentiles, ScenarioTrend } from './report-charts.tsx';

const runLabel = (p: TrendPoint) =>
  `${new Date(p.createdAt).toLocaleString('en-GB', { hour12: false })} · ${p.state} · p95 ${formatMs(p.p95Ms)}${p.isBaseline ? ' · baseline' : ''}`;

export function ComparePage() {
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const baseParam = params.get('base');
  const candidateParam = params.get('candidate');

  const scenarios = useQuery(trpc.reports.scenarios.queryOptions());
  const scenarioParam = params.get('scenario');
  // Old links name no scenario: their comparison says which it is, once loaded.
  const bothGiven = !!baseParam && !!candidateParam;
  const direct = useQuery(
    trpc.reports.compare.queryOptions(
      { base: baseParam ?? '', candidate: candidateParam ?? '' },
      { enabled: bothGiven && !scenarioParam },
    ),
  );
  const scenario = scenarioParam ?? direct.data?.comparison.candidate.scenario ?? 'smoke';
  const trend = useQuery(
    trpc.reports.trend.queryOptions(
      { scenario },
      { enabled: !!scenarioParam || !bothGiven || !!direct.data },
    ),
  );
  const points = trend.data ?? [];
  const proposed = defaultPair(points, candidateParam ?? undefined);
  const base = baseParam ?? proposed?.base ?? '';
  const candidate = candidateParam ?? proposed?.candidate ?? '';
  const compared = useQuery(
    trpc.reports.compare.queryOptions({ base, candidate }, { enabled: !!base && !!candidate }),
  );

  const go = (next: { scenario?: string; base?: string; candidate?: string }) => {
    const q = new URLSearchParams();
    const s = next.scenario ?? scenario;
    q.set('scenario', s);
    // A new scenario starts from its own proposed pair.
    if (next.scenario === undefined || next.scenario === scenario) {
      const b = next.base ?? base;
      const c = next.candidate ?? candidate;
      if (b) q.set('base', b);
      if (c) q.set('candidate', c);
    }
    router.replace(`${pathname}?${q.toString()}`, { scroll: false });
  };

  return (
    <div className="stack" data-testid="compare-page">
      <div className="page-head">
        <div>
          <h1>Compare runs</h1>
          <p className="muted">
            A baseline against a candidate run of the same scenario, and the scenario's trend.
          </p>
        </div>
        <div className="head-controls">
          <label className="field inline">
            <span className="field-label">Scenario</span>
            <select
              value={scenario}
              onChange={(e) => go({ scenario: e.target.value })}
              data-testid="compare-scenario"
            >
              {[...new Set([scenario, ...(scenarios.data ?? [])])].map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </label>
        </div>
      </div>

      <section className="panel">
        <h2>Runs</h2>
        {trend.error ? (
          <p className="error-box">Could not read the scenario's runs: {trend.error.message}</p>
        ) : null}
        {trend.data && points.length < 2 ? (
          <p className="note" data-testid="compare-empty">
            The {scenario} scenario has {points.length === 0 ? 'no ended runs' : 'only one ended run'} yet.
            Launch runs from the <Link href="/load-tests">Load tests</Link> page; once two have ended they can
            be compared here, and QA can mark one as the baseline from its report.
          </p>
        ) : null}
        <div className="two-col">
          {(['base', 'candidate'] as const).map((side) => {
            const value = side === 'base' ? base : candidate;
            return (
              <label key={side} className="field">
                <span className="field-label">
                  {side === 'base' ? 'Baseline (solid)' : 'Candidate (dashed)'}
                </span>
                <select
                  value={value}
                  onChange={(e) => go({ [side]: e.target.value })}
                  data-testid={`compare-${side}`}
                >
                  {value && !points.some((p) => p.runId === value) ? (
                    <option value={value}>{value}</option>
                  ) : null}
                  {!value ? <option value="">choose a run</option> : null}
                  {[...points].reverse().map((p) => (
                    <option key={p.runId} value={p.runId}>
                      {runLabel(p)}
                    </option>
                  ))}
                </select>
                {value ? (
                  <Link href={`/runs/${encodeURIComponent(value)}`} className="small mono">
                    {value}
                  </Link>
                ) : null}
              </label>
            );
          })}
        </div>
      </section>

      {compared.error ? <p className="error-box">Could not compare: {compared.error.message}</p> : null}
      {base && candidate && !compared.data && !compared.error ? <p className="muted">Comparing…</p> : null}
      {compared.data ? (
        <>
          <BiggestChanges comparison={compared.data.comparison} />
          <section className="panel">
            <h2>Latency, overlaid</h2>
            <OverlaidPercentiles
              base={compared.data.series.base}
              candidate={compared.data.series.candidate}
            />
          </section>
          <section className="panel">
            <h2>
              Differences <CompareVerdict comparison={compared.data.comparison} />
            </h2>
            <p className="muted small" data-testid="noise-band">
              {noiseText(compared.data.comparison.noise)}
            </p>
            <p className="muted small" data-testid="compare-percentile-origin">
              Percentiles of the baseline {compared.data.comparison.base.percentiles.description}; of the
              candidate {compared.data.comparison.candidate.percentiles.description}.
            </p>
            <DiffTable
              totals={compared.data.comparison.totals}
              endpoints={compared.data.comparison.endpoints}
              minRequests={compared.data.comparison.minRequests}
            />
          </section>
          <section className="panel">
            <h2>Thresholds</h2>
            <ThresholdPairs pairs={compared.data.comparison.thresholds} />
          </section>
        </>
      ) : null}

      <section className="panel">
        <h2>Trend of {scenario}</h2>
        <ScenarioTrend rows={trendRows(points)} />
      </section>
    </div>
  );
}
