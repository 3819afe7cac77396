// The vs-prometheus bench's results: one row per system (firing and resolve p50/p95/max, missed,
// duplicate and false notifications), printed as a table, and ours against the reference in the
// same run (tuned Prometheus) at p95.
import { percentile, type SystemOutcome } from './notification-log.ts';

export interface Spread {
  p50: number | null;
  p95: number | null;
  max: number | null;
}

export interface SystemRow {
  system: string;
  label: string;
  trials: number;
  firing: Spread;
  resolve: Spread;
  missed: number;
  duplicates: number;
  falseNotifications: number;
  raw: SystemOutcome;
}

const spread = (values: readonly number[]): Spread => ({
  p50: percentile(values, 0.5),
  p95: percentile(values, 0.95),
  max: percentile(values, 1),
});

export function systemRows(outcomes: SystemOutcome[], labels: Record<string, string>): SystemRow[] {
  return outcomes.map((o) => ({
    system: o.system,
    label: labels[o.system] ?? o.system,
    trials: o.firingMs.length + o.missedFiring,
    firing: spread(o.firingMs),
    resolve: spread(o.resolveMs),
    missed: o.missedFiring + o.missedResolve,
    duplicates: o.duplicates,
    falseNotifications: o.falseNotifications,
    raw: o,
  }));
}

const seconds = (ms: number | null) => (ms === null ? '—' : (ms / 1000).toFixed(2));

export function printSystemTable(rows: SystemRow[]): void {
  console.log('\nbreach → webhook (s): chaos +400 ms on /api/cars at t0, off at t1');
  const head = [
    ['n', 4],
    ['fire p50', 10],
    ['p95', 8],
    ['max', 8],
    ['resolve p50', 13],
    ['p95', 8],
    ['max', 8],
    ['missed', 8],
    ['dup', 5],
    ['false', 7],
  ] as const;
  console.log(`${'system'.padEnd(62)}${head.map(([h, w]) => h.padStart(w)).join('')}`);
  for (const r of rows) {
    const cells = [
      String(r.trials),
      seconds(r.firing.p50),
      seconds(r.firing.p95),
      seconds(r.firing.max),
      seconds(r.resolve.p50),
      seconds(r.resolve.p95),
      seconds(r.resolve.max),
      String(r.missed),
      String(r.duplicates),
      String(r.falseNotifications),
    ];
    console.log(`${r.label.padEnd(62)}${cells.map((c, i) => c.padStart(head[i]![1])).join('')}`);
  }
}

export type P95Ratios = Record<string, { firingP95: number | null; resolveP95: number | null }>;

/** Each of `systems` over the reference at p95 (< 1: faster than the reference). */
export function ratiosAtP95(rows: SystemRow[], reference: string, systems: string[]): P95Ratios {
  const ref = rows.find((r) => r.system === reference);
  const ratio = (a: number | null, b: number | null | undefined) =>
    a === null || b === null || b === undefined || b === 0 ? null : a / b;
  return Object.fromEntries(
    systems.map((system) => {
      const ours = rows.find((r) => r.system === system);
      return [
        system,
        {
          firingP95: ratio(ours?.firing.p95 ?? null, ref?.firing.p95),
          resolveP95: ratio(ours?.resolve.p95 ?? null, ref?.resolve.p95),
        },
      ];
    }),
  );
}

export function printRatios(ratios: P95Ratios, reference: string): void {
  for (const [system, r] of Object.entries(ratios))
    console.log(
      `${system} / ${reference} at p95: firing ${r.firingP95?.toFixed(2) ?? '—'}×, resolve ${r.resolveP95?.toFixed(2) ?? '—'}× (< 1: ours is faster)`,
    );
}
