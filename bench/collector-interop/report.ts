// The interop bench's verdict: sent vs stored per phase and signal, with what was stored twice
// (`stored − distinct`) and what never arrived (`sent − distinct`), and the edges seen on the way.

import type { AgentLogTally, AgentStats } from './agent-stats.ts';
import { SIGNALS, type Signal, type StoredCount, type StoredCounts } from './count-stored.ts';
import type { SentCounts } from './load.ts';

export type PhaseName = 'steady' | 'stall' | 'restart' | 'stall-restart';

export interface PhaseResult {
  phase: PhaseName;
  service: string;
  /** What happened to our collector, in seconds from the phase's start. */
  events: { atS: number; event: string }[];
  sent: SentCounts;
  /** Counted right after this phase (our collector stopped). */
  storedAtPhaseEnd: Partial<Record<Signal, StoredCount>>;
  agent: AgentStats;
  agentLog: AgentLogTally;
  agentDrained: boolean;
  /**
   * Our collector's counters over the phase (summed over its runs in it), read just before each
   * SIGTERM: requests arriving while it drains (answered 503) are not in them.
   */
  ours: Record<string, number>;
  /** The same per run of ours in the phase (a restart starts its counters again). */
  oursLifetimes: { requests: number; repeats: number }[];
  /** Shutdowns of ours that needed SIGKILL (none expected). */
  oursKilled: number;
}

export interface TableRow {
  phase: PhaseName;
  signal: Signal;
  sent: number;
  stored: number;
  doubled: number;
  lost: number;
  /** Stored after the phase ended (a late delivery) — the final count minus the one at phase end. */
  arrivedLater: number;
}

export function tableRows(phases: PhaseResult[], final: StoredCounts): TableRow[] {
  const rows: TableRow[] = [];
  for (const p of phases)
    for (const signal of SIGNALS) {
      const last = final[p.service]?.[signal] ?? { stored: 0, distinct: 0, rows: 0 };
      const atEnd = p.storedAtPhaseEnd[signal]?.stored ?? 0;
      rows.push({
        phase: p.phase,
        signal,
        sent: p.sent[signal],
        stored: last.stored,
        doubled: last.stored - last.distinct,
        lost: p.sent[signal] - last.distinct,
        arrivedLater: last.stored - atEnd,
      });
    }
  return rows;
}

export function printReport(phases: PhaseResult[], rows: TableRow[]): void {
  console.log('\nsent vs stored per signal per phase (counters: sum of increments; spans, logs: items)');
  console.table(
    rows.map((r) => ({
      phase: r.phase,
      signal: r.signal,
      sent: r.sent,
      stored: r.stored,
      'stored twice': r.doubled,
      lost: r.lost,
      'stored after phase end': r.arrivedLater,
      verdict: r.doubled === 0 && r.lost === 0 ? 'exact' : r.lost > 0 ? 'LOST' : 'DOUBLED',
    })),
  );
  console.log('\nthe edges: the agent (official collector) and ours');
  for (const p of phases)
    console.log(`${p.phase}: ${p.events.map((e) => `${e.event} @${e.atS} s`).join(', ')}`);
  console.table(
    phases.map((p) => ({
      phase: p.phase,
      'agent retries (m/t/l)': `${p.agentLog.retries.metrics ?? 0}/${p.agentLog.retries.traces ?? 0}/${p.agentLog.retries.logs ?? 0}`,
      'retry causes': Object.entries(p.agentLog.causes)
        .map(([cause, n]) => `${cause} ×${n}`)
        .join(', '),
      'agent dropped':
        p.agentLog.dropped + sumAgent(p.agent, 'sendFailed') + sumAgent(p.agent, 'enqueueFailed'),
      'agent drained': p.agentDrained,
      'agent HTTP attempts to ours': Object.entries(p.agent.attempts)
        .map(([answer, n]) => `${answer} ×${n}`)
        .join(', '),
      // Per run of ours: before + after a restart.
      'ours: requests': p.oursLifetimes.map((l) => l.requests).join(' + '),
      'ours: repeats answered from ledger': p.oursLifetimes.map((l) => l.repeats).join(' + '),
      'ours: 429/503': p.ours.collector_throttled_requests_total ?? 0,
      'ours: rows queued/replayed': `${p.ours.collector_queued_rows_total ?? 0}/${p.ours.collector_replayed_rows_total ?? 0}`,
    })),
  );
}

function sumAgent(stats: AgentStats, key: 'sendFailed' | 'enqueueFailed'): number {
  return stats.metrics[key] + stats.traces[key] + stats.logs[key];
}
