// Where a fast-path page's time goes, per trial: chaos on (t0) → the first slow request answered
// → the first point carrying slow requests stamped by the target's SDK (its export) → that point
// accepted by the collector → the point the alert fired on accepted → the engine's evaluation →
// the webhook's arrival. Recorded beside vs-prometheus.ts's systems from the collector's accepted
// batches, the bench's own requests and the engine's onEvaluated hook; all times ms after t0.
import type { RuleEvaluated } from '../../alert-rules/src/index.ts';
import type { AcceptedMetrics } from '../../collector/src/index.ts';
import { dateTime64ToUnixMillis } from '../../collector/src/index.ts';
import { percentile } from './notification-log.ts';

export interface FiringTimeline {
  firstSlowAnswered: number | null;
  firstSlowExported: number | null;
  firstSlowAccepted: number | null;
  /** The last batch with the rule's rows accepted before the page: its export and acceptance. */
  decisiveExported: number | null;
  decisiveAccepted: number | null;
  /** The engine's last evaluation of the rule before the page began (wall clock), and its source. */
  evaluated: number | null;
  evaluatedFrom: string | null;
  webhook: number | null;
}

interface Point {
  acceptedAt: number;
  exportedAt: number;
  slow: number;
}

/** Requests answered slower than this count as slow (chaos adds 400 ms; healthy ones take a few). */
const slowMs = 300;

export function createFiringTimeline(options: {
  metric: string;
  service: string;
  rule: string;
  isRead: (attributes: Readonly<Record<string, string>>) => boolean;
}) {
  const points: Point[] = [];
  const answers: { at: number; ms: number }[] = [];
  const evaluations: RuleEvaluated[] = [];
  return {
    onAccepted(batch: AcceptedMetrics) {
      const acceptedAt = Date.now();
      for (const row of batch.histogram) {
        if (row.MetricName !== options.metric || row.ServiceName !== options.service) continue;
        if (!options.isRead(row.Attributes)) continue;
        const slow = row.BucketCounts.reduce(
          (n, c, i) => n + ((row.ExplicitBounds[i - 1] ?? 0) >= slowMs / 1000 - 0.05 ? c : 0),
          0,
        );
        points.push({ acceptedAt, exportedAt: dateTime64ToUnixMillis(row.TimeUnix), slow });
      }
    },
    onAnswered(startedAt: number, at: number) {
      answers.push({ at, ms: at - startedAt });
    },
    onEvaluated(e: RuleEvaluated) {
      if (e.rule === options.rule) evaluations.push(e);
    },
    /** The trial's timeline for a page that arrived at `webhookAt` (null: none arrived). */
    of(t0: number, webhookAt: number | null): FiringTimeline {
      const rel = (t: number | undefined) => (t === undefined ? null : t - t0);
      const end = webhookAt ?? Number.POSITIVE_INFINITY;
      const firstSlow = points.find((p) => p.acceptedAt >= t0 && p.slow > 0);
      const decisive = points.filter((p) => p.acceptedAt >= t0 && p.acceptedAt <= end).at(-1);
      const evaluation = evaluations.filter((e) => e.startedAt >= t0 && e.startedAt <= end).at(-1);
      return {
        firstSlowAnswered: rel(answers.find((a) => a.at >= t0 && a.ms >= slowMs)?.at),
        firstSlowExported: rel(firstSlow?.exportedAt),
        firstSlowAccepted: rel(firstSlow?.acceptedAt),
        decisiveExported: rel(decisive?.exportedAt),
        decisiveAccepted: rel(decisive?.acceptedAt),
        evaluated: rel(evaluation?.startedAt),
        evaluatedFrom: evaluation?.source ?? null,
        webhook: rel(webhookAt ?? undefined),
      };
    },
  };
}

/** The median of each step over the trials (ms after chaos on). */
export function printTimelines(list: readonly FiringTimeline[]): void {
  if (list.length === 0) return;
  const steps = Object.keys(list[0]!).filter((k) => k !== 'evaluatedFrom') as (keyof FiringTimeline)[];
  const median = (k: keyof FiringTimeline) =>
    percentile(
      list.flatMap((t) => (typeof t[k] === 'number' ? [t[k]] : [])),
      0.5,
    );
  console.log('\nours-fast, where the page goes (median ms after chaos on):');
  console.log(steps.map((k) => `${k} ${median(k) ?? '—'}`).join(', '));
}
