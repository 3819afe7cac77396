'use client';
// One experiment's results: the before/after overall scores beside the plan's 47 and 95, per
// optimisation its measured effect with its interval next to the plan's claim and a verdict, a chart
// of each variant's p95 with its interval, per variant its scores and KPIs (mean [95 % interval]
// across the repeats), and its runs, each linked to its report. Downloadable as one HTML file.
import type { Experiment, MeanInterval } from 'load-tests';
import dynamic from 'next/dynamic';
import { useRef } from 'react';
import type { RouterOutputs } from '../../trpc/react.tsx';
import { HoverPrefetchLink as Link } from '../hover-prefetch-link.tsx';
import { ExperimentStateBadge, VerdictBadge } from './experiment-badges.tsx';

const KpiIntervalPlot = dynamic(() => import('./kpi-interval-plot.tsx').then((m) => m.KpiIntervalPlot), {
  ssr: false,
  loading: () => <p className="muted small">Loading the chart…</p>,
});

type Kpis = RouterOutputs['experiments']['get']['kpis'];
const CHART_KPI = 'p95Ms';

function formatValue(v: number | null | undefined, unit: string): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  if (unit === 'share') return `${(v * 100).toFixed(1)} %`;
  if (unit === 'ms') return `${v.toFixed(1)} ms`;
  if (unit === 'req/s') return `${v.toFixed(1)} req/s`;
  return v.toFixed(1);
}

function Interval({ m, unit }: { m: MeanInterval | null | undefined; unit: string }) {
  if (!m) return <span className="muted">no data</span>;
  return (
    <span title={`n = ${m.n}`}>
      {formatValue(m.mean, unit)}
      {m.low !== null && m.high !== null ? (
        <span className="small muted">
          {' '}
          [{formatValue(m.low, unit)} – {formatValue(m.high, unit)}]
        </span>
      ) : null}
    </span>
  );
}

const pct = (x: number) => `${(x * 100).toFixed(0)} %`;

function exportHtml(node: HTMLElement, e: Experiment) {
  const css =
    'body{font-family:system-ui,sans-serif;margin:2rem;color:#111}table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;font-size:13px}.badge{padding:1px 6px;border-radius:8px;background:#eee}.muted{color:#666}button{display:none}';
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>${e.definition.name} ${e.id}</title><style>${css}</style></head><body>${node.outerHTML}</body></html>`;
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([html], { type: 'text/html' }));
  a.download = `${e.id}.html`;
  a.click();
  URL.revokeObjectURL(a.href);
}

export function ExperimentResults({ experiment: e, kpis }: { experiment: Experiment; kpis: Kpis }) {
  const box = useRef<HTMLDivElement>(null);
  const r = e.result;
  const info = (id: string) => kpis[id] ?? { name: id, unit: '', better: 'lower' as const };
  const categoryIds = [...new Set(r?.variants.flatMap((v) => Object.keys(v.categories)) ?? [])];
  const chart =
    r?.variants.flatMap((v) => {
      const m = v.kpis[CHART_KPI as keyof typeof v.kpis];
      return m
        ? [
            {
              variant: v.name,
              mean: m.mean,
              error: [m.mean - (m.low ?? m.mean), (m.high ?? m.mean) - m.mean] as [number, number],
            },
          ]
        : [];
    }) ?? [];
  return (
    <div className="stack" ref={box} data-testid="experiment-results" data-experiment={e.id}>
      <section className="panel">
        <div className="panel-head">
          <h2>
            {e.definition.name} <ExperimentStateBadge state={e.state} />
          </h2>
          <button
            type="button"
            onClick={() => box.current && exportHtml(box.current, e)}
            data-testid="experiment-export"
          >
            Download HTML
          </button>
        </div>
        <p className="small muted">
          <span className="mono">{e.id}</span> · launched by {e.launchedBy} ·{' '}
          {new Date(e.createdAt).toLocaleString('en-GB')}
          {e.endedAt ? ` → ${new Date(e.endedAt).toLocaleString('en-GB')}` : ''} · scenario{' '}
          {e.definition.scenario} {JSON.stringify(e.definition.params)} · {e.definition.repeats} repeats of{' '}
          {e.definition.variants.length} variants
        </p>
        {e.reason ? (
          <p className="small" data-testid="experiment-reason">
            {e.reason}
          </p>
        ) : null}
      </section>

      {r?.comparison ? (
        <section className="panel" data-testid="experiment-comparison">
          <h2>Overall score before and after</h2>
          <table className="table compact">
            <thead>
              <tr>
                <th />
                <th>variant</th>
                <th>measured (0–100)</th>
                <th>plan says</th>
              </tr>
            </thead>
            <tbody>
              {(['before', 'after'] as const).map((side) => (
                <tr key={side} data-testid={`score-${side}`}>
                  <td>{side}</td>
                  <td>{r.comparison?.[side].variant}</td>
                  <td>
                    <Interval m={r.comparison?.[side].overall} unit="" />
                  </td>
                  <td>{r.comparison?.[side].claimed}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}

      {r && r.optimisations.length > 0 ? (
        <section className="panel">
          <h2>What each optimisation buys</h2>
          <div style={{ overflowX: 'auto' }}>
            <table className="table compact" data-testid="experiment-optimisations">
              <thead>
                <tr>
                  <th>optimisation</th>
                  <th>plan&apos;s claim</th>
                  <th>KPI</th>
                  <th>with</th>
                  <th>without</th>
                  <th>measured effect [95 %]</th>
                  <th>verdict</th>
                </tr>
              </thead>
              <tbody>
                {r.optimisations.map((o) => (
                  <tr key={o.name} data-testid="optimisation-row" data-name={o.name}>
                    <td>
                      {o.name}
                      <div className="small muted">{o.settings.join(', ')}</div>
                    </td>
                    <td className="small">{o.claim?.text ?? '—'}</td>
                    <td className="small">{info(o.kpi).name}</td>
                    <td>
                      <Interval m={o.withIt} unit={info(o.kpi).unit} />
                    </td>
                    <td>
                      <Interval m={o.withoutIt} unit={info(o.kpi).unit} />
                    </td>
                    <td>
                      {o.effect
                        ? o.effect.kind === 'relative'
                          ? `${pct(o.effect.improvement)} better [${pct(o.effect.improvementLow)} – ${pct(o.effect.improvementHigh)}]`
                          : `${formatValue(o.effect.improvement, 'share')} better [${formatValue(o.effect.improvementLow, 'share')} – ${formatValue(o.effect.improvementHigh, 'share')}]`
                        : '—'}
                    </td>
                    <td>
                      <VerdictBadge verdict={o.verdict} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p className="small muted">{r.method}</p>
        </section>
      ) : null}

      {chart.length > 0 ? (
        <section className="panel" data-testid="experiment-chart">
          <h2>{info(CHART_KPI).name} per variant, 95 % interval</h2>
          <KpiIntervalPlot data={chart} unit={info(CHART_KPI).unit} />
        </section>
      ) : null}

      {r ? (
        <section className="panel">
          <h2>Per variant</h2>
          <div style={{ overflowX: 'auto' }}>
            <table className="table compact" data-testid="experiment-variants">
              <thead>
                <tr>
                  <th>variant</th>
                  <th>runs</th>
                  <th>overall</th>
                  {categoryIds.map((c) => (
                    <th key={c}>{c}</th>
                  ))}
                  {Object.keys(kpis).map((k) => (
                    <th key={k}>{info(k).name}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {r.variants.map((v) => (
                  <tr key={v.name} data-testid="variant-row" data-name={v.name}>
                    <td>{v.name}</td>
                    <td>{v.runs}</td>
                    <td>
                      <Interval m={v.overall} unit="" />
                    </td>
                    {categoryIds.map((c) => (
                      <td key={c}>
                        <Interval m={v.categories[c]} unit="" />
                      </td>
                    ))}
                    {Object.keys(kpis).map((k) => (
                      <td key={k}>
                        <Interval m={v.kpis[k as keyof typeof v.kpis]} unit={info(k).unit} />
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}

      <section className="panel">
        <h2>Runs</h2>
        <ol className="small" data-testid="experiment-runs">
          {e.warmupRunIds.map((id) => (
            <li key={id}>
              warm-up ·{' '}
              <Link href={`/runs/${id}`} className="mono">
                {id}
              </Link>
            </li>
          ))}
          {e.runs.map((run) => (
            <li key={run.runId} data-testid="experiment-run">
              {run.variant} #{run.round} ·{' '}
              <Link href={`/runs/${run.runId}`} className="mono">
                {run.runId}
              </Link>{' '}
              <span className={`badge badge-${run.state}`}>{run.state}</span>
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}
