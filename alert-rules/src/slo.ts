// SLO rules → multiwindow, multi-burn-rate alerts (Google SRE workbook, "Alerting on SLOs"):
// page when the error budget burns 14.4× too fast over 1h and 5m, or 6× over 6h and 30m; open a
// ticket at 1× over 3d and 6h. Each pair is one rule whose condition must hold on both windows
// (the short one makes the alert resolve soon after the burn stops).
import { formatDuration } from './duration.ts';
import { type ParsedSlo, type StatRule, toFilters } from './rule-schema.ts';
import { formatValue } from './units.ts';

const minute = 60_000;
const hour = 60 * minute;

export const burnRateWindows = [
  { suffix: 'BurnRatePage', factor: 14.4, longMs: hour, shortMs: 5 * minute, severity: 'page' },
  { suffix: 'BurnRatePageSlow', factor: 6, longMs: 6 * hour, shortMs: 30 * minute, severity: 'page' },
  { suffix: 'BurnRateTicket', factor: 1, longMs: 72 * hour, shortMs: 6 * hour, severity: 'ticket' },
] as const;

export function expandSlo(
  slo: ParsedSlo,
  group: { name: string; interval: number },
  file: string,
  line: number,
): StatRule[] {
  const budget = 1 - slo.objective;
  return burnRateWindows.map((w) => ({
    type: 'stat' as const,
    alert: `${slo.slo}${w.suffix}`,
    group: group.name,
    file,
    line,
    intervalMs: group.interval,
    metric: slo.metric,
    kind: slo.kind,
    stat: 'ratio' as const,
    service: slo.service,
    where: slo.where ? toFilters(slo.where) : [],
    numerator: toFilters(slo.bad),
    by: slo.by,
    windowMs: w.longMs,
    shortWindowMs: w.shortMs,
    op: '>' as const,
    threshold: Number((w.factor * budget).toPrecision(12)),
    unit: '1', // a share of events
    forMs: 0,
    keepFiringForMs: 0,
    noData: 'nodata' as const,
    onError: 'error' as const,
    labels: { severity: w.severity, slo: slo.slo, ...slo.labels },
    annotations: {
      summary: `{{ $labels.slo }}: {{ $value | humanizeUnit }} bad events burn the ${formatValue(budget, '1')} error budget ${w.factor}× too fast (${formatDuration(w.longMs)} and ${formatDuration(w.shortMs)})`,
      ...slo.annotations,
    },
  }));
}
