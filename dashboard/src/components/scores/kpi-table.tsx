// One category's KPIs: value, target, points and what each costs the category, costliest first,
// each linking to the chart behind it.
import Link from 'next/link';
import { estimateTitle, formatBound } from '../../lib/histogram-estimate.ts';
import { formatCost, formatKpiValue, formatScore, formatTarget } from '../../lib/score-view.ts';
import { bandOf } from '../../scores/curve.ts';
import type { CategoryScore, KpiScore } from '../../scores/report.ts';
import { ScoreBadge } from './score-badge.tsx';

/** KPIs drawn on the Service page link there as well. */
const SERVICE_CHART: Record<string, string> = {
  'api.p95': '/service#latency',
  'api.errors': '/service#errors',
  'api.throughput': '/service#throughput',
};

export function KpiTable({
  category,
  chartHref,
}: {
  category: CategoryScore;
  chartHref: (id: string) => string;
}) {
  return (
    <section className="panel" id={category.id} data-testid={`score-category-${category.id}`}>
      <div className="scores-head">
        <h2>
          <ScoreBadge score={category.score} band={category.band} size="sm" /> {category.name}
        </h2>
        <span className="muted small">
          {category.measured} of {category.kpis.length} KPIs measured · weight {category.weight}
        </span>
      </div>
      <table className="table kpi-table">
        <colgroup>
          <col />
          <col className="col-value" />
          <col className="col-value" />
          <col className="col-value" />
          <col className="col-points" />
          <col className="col-points" />
          <col className="col-chart" />
        </colgroup>
        <thead>
          <tr>
            <th>KPI</th>
            <th className="num">Value</th>
            <th className="num">Target (90)</th>
            <th className="num">Scores 50 at</th>
            <th className="num">Points</th>
            <th className="num" title="Points of the category score this KPI loses">
              Costs
            </th>
            <th>Chart</th>
          </tr>
        </thead>
        <tbody>
          {category.kpis.map((k) => (
            <tr
              key={k.id}
              data-testid="kpi-row"
              data-kpi={k.id}
              className={k.score === null ? 'no-data' : undefined}
            >
              <td>
                {k.name}
                <span className="muted small"> · weight {k.weight}</span>
              </td>
              <td className="num">
                <KpiValue kpi={k} />
              </td>
              <td className="num">{formatTarget(k)}</td>
              <td className="num muted">{formatKpiValue(k.poor, k.unit)}</td>
              <td className="num" data-testid="kpi-points">
                {k.score === null ? (
                  <span className="muted">{formatScore(null)}</span>
                ) : (
                  <ScoreBadge score={k.score} band={bandOf(k.score)} size="sm" />
                )}
              </td>
              <td className="num" data-testid="kpi-cost">
                {formatCost(k.cost)}
              </td>
              <td>
                <Link href={chartHref(k.id)}>over time</Link>
                {SERVICE_CHART[k.id] ? (
                  <>
                    {' · '}
                    <Link href={SERVICE_CHART[k.id]!}>service</Link>
                  </>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** The value, and under it its error bound when it is an estimate (a histogram percentile). */
function KpiValue({ kpi }: { kpi: KpiScore }) {
  const format = (v: number) => formatKpiValue(v, kpi.unit);
  const bound = formatBound(kpi.range, format);
  return (
    <>
      <span data-testid="kpi-value">{formatKpiValue(kpi.value, kpi.unit)}</span>
      {bound ? (
        <span
          className="kpi-bound muted small"
          data-testid="kpi-bound"
          title={estimateTitle(kpi.range, format)}
        >
          {bound}
        </span>
      ) : null}
    </>
  );
}
