// What the agent (the official OpenTelemetry Collector) says it did: accepted, sent, failed and
// queued per signal from its own Prometheus metrics, and the retries it logged. The bench waits on
// these until the agent has passed on everything it accepted before it counts what ours stored.
import { readFileSync } from 'node:fs';
import type { Agent } from './processes.ts';
import { sleep } from './processes.ts';

const UNITS = { metrics: 'metric_points', traces: 'spans', logs: 'log_records' } as const;
export type AgentSignal = keyof typeof UNITS;
const AGENT_SIGNALS = Object.keys(UNITS) as AgentSignal[];

export interface AgentSignalStats {
  accepted: number;
  sent: number;
  sendFailed: number;
  enqueueFailed: number;
  queued: number;
  inFlight: number;
}
export type AgentStats = Record<AgentSignal, AgentSignalStats> & {
  /** The agent's HTTP requests to ours, by answer: status code, or the client's error type. */
  attempts: Record<string, number>;
};

const pick = (metrics: Map<string, number>, name: string) =>
  metrics.get(`${name}_total`) ?? metrics.get(name) ?? 0;

export async function agentStats(agent: Agent): Promise<AgentStats> {
  const metrics = await agent.metrics();
  const attempts: Record<string, number> = {};
  for (const [key, value] of metrics) {
    const answer = /^http_client_request_duration_count\{(.+)\}$/.exec(key)?.[1];
    if (answer) attempts[answer] = value;
  }
  const stats = { attempts } as AgentStats;
  for (const signal of AGENT_SIGNALS) {
    const unit = UNITS[signal];
    stats[signal] = {
      accepted: pick(metrics, `otelcol_receiver_accepted_${unit}`),
      sent: pick(metrics, `otelcol_exporter_sent_${unit}`),
      sendFailed: pick(metrics, `otelcol_exporter_send_failed_${unit}`),
      enqueueFailed: pick(metrics, `otelcol_exporter_enqueue_failed_${unit}`),
      queued: metrics.get(`otelcol_exporter_queue_size{${signal}}`) ?? 0,
      inFlight: metrics.get(`otelcol_exporter_in_flight_requests{${signal}}`) ?? 0,
    };
  }
  return stats;
}

/** The change between two readings of the agent's counters (the queue as of the later one). */
export function agentDelta(after: AgentStats, before: AgentStats | null): AgentStats {
  const attempts: Record<string, number> = {};
  for (const [answer, n] of Object.entries(after.attempts)) {
    const delta = n - (before?.attempts[answer] ?? 0);
    if (delta !== 0) attempts[answer] = delta;
  }
  const out = { attempts } as AgentStats;
  for (const signal of AGENT_SIGNALS) {
    const a = after[signal];
    const b = before?.[signal];
    out[signal] = {
      accepted: a.accepted - (b?.accepted ?? 0),
      sent: a.sent - (b?.sent ?? 0),
      sendFailed: a.sendFailed - (b?.sendFailed ?? 0),
      enqueueFailed: a.enqueueFailed - (b?.enqueueFailed ?? 0),
      queued: a.queued,
      inFlight: a.inFlight,
    };
  }
  return out;
}

/**
 * Waits until everything the agent accepted has left it (sent, or given up on) and its queues are
 * empty, twice in a row a second apart; false if that has not happened within `timeoutMs`.
 */
export async function waitAgentDrained(agent: Agent, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  let quiet = 0;
  while (Date.now() < deadline) {
    const stats = await agentStats(agent);
    const drained = AGENT_SIGNALS.every((s) => {
      const x = stats[s];
      return x.queued === 0 && x.inFlight === 0 && x.sent + x.sendFailed + x.enqueueFailed >= x.accepted;
    });
    quiet = drained ? quiet + 1 : 0;
    if (quiet >= 2) return true;
    await sleep(1000);
  }
  return false;
}

export interface AgentLogTally {
  /** "Exporting failed. Will retry the request after interval." lines, per signal. */
  retries: Record<string, number>;
  /** Retry causes, shortened (timeouts, refused connections, HTTP statuses), with their counts. */
  causes: Record<string, number>;
  /** Data the agent dropped or rejected for good, as it logged it. */
  dropped: number;
}

/** Tallies the agent's JSON log from byte `from` on; returns the tally and the new offset. */
export function tallyAgentLog(file: string, from: number): { tally: AgentLogTally; offset: number } {
  const text = readFileSync(file);
  const tally: AgentLogTally = { retries: {}, causes: {}, dropped: 0 };
  for (const line of text.subarray(from).toString('utf8').split('\n')) {
    if (!line.startsWith('{')) continue;
    let entry: Record<string, unknown>;
    try {
      entry = JSON.parse(line) as Record<string, unknown>;
    } catch {
      continue;
    }
    const msg = String(entry.msg ?? '');
    if (msg.startsWith('Exporting failed. Will retry')) {
      const signal = String(entry['otelcol.signal'] ?? entry.data_type ?? 'unknown');
      tally.retries[signal] = (tally.retries[signal] ?? 0) + 1;
      const cause = shortCause(String(entry.error ?? ''));
      tally.causes[cause] = (tally.causes[cause] ?? 0) + 1;
    } else if (msg.includes('Dropping data') || msg.includes('Rejecting data')) tally.dropped++;
  }
  return { tally, offset: text.length };
}

function shortCause(error: string): string {
  if (/deadline exceeded|Timeout exceeded/i.test(error)) return 'timeout (5 s)';
  if (/connection refused/i.test(error)) return 'connection refused';
  if (/connection reset|EOF/i.test(error)) return 'connection reset';
  const status = /HTTP Status Code (\d{3})/.exec(error)?.[1];
  return status ? `HTTP ${status}` : error.slice(0, 80);
}
