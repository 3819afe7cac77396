// Interop bench: the official OpenTelemetry Collector (v0.165.0 core, built by build-otelcol.sh)
// as an agent in front of ours, with retry_on_failure, a sending queue and a 5 s timeout; the real
// OTel JS SDK sends known counts (delta counters, cumulative counters, spans, logs) to the agent.
// Phases, one service each: steady; a 20 s stall of ours (SIGSTOP … SIGCONT); a restart of ours
// (SIGTERM, started again 20 s after); both, the restart 1 s after the stall ends, while the
// agent's retried copies are still arriving (they meet the ledger ours saved). After each phase the
// agent is drained, ours is stopped and a child process counts what our store holds (chDB allows
// one process per data directory).
// Prints "sent vs stored per signal per phase", writes bench/results/collector-interop-<time>.json,
// exits 1 if anything was lost or stored twice. Everything on 127.0.0.1; bounded at 15 minutes.
// Run: node bench/collector-interop/run.ts [--rate 100] [--phases steady,stall,restart,stall-restart] [--keep]
// (build the agent first, once: bash bench/collector-interop/build-otelcol.sh)
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type AgentStats, agentDelta, agentStats, tallyAgentLog, waitAgentDrained } from './agent-stats.ts';
import { countStored } from './count-stored.ts';
import { startLoad } from './load.ts';
import {
  freePort,
  killAllChildren,
  OTELCOL_BINARY,
  type OurCollector,
  sleep,
  startAgent,
  startOurCollector,
} from './processes.ts';
import { type PhaseName, type PhaseResult, printReport, tableRows } from './report.ts';

const ALL_PHASES = ['steady', 'stall', 'restart', 'stall-restart'] as const satisfies PhaseName[];
const { values: args } = parseArgs({
  options: {
    rate: { type: 'string', default: '100' },
    phases: { type: 'string', default: ALL_PHASES.join(',') },
    keep: { type: 'boolean', default: false },
  },
});
const phaseNames = (args.phases ?? '').split(',').map((name) => {
  const phase = ALL_PHASES.find((p) => p === name);
  if (!phase) throw new Error(`--phases: a comma-separated list of ${ALL_PHASES.join(', ')}`);
  return phase;
});
const perSecond = Number(args.rate);
if (!Number.isInteger(perSecond) || perSecond < 10 || perSecond > 5000) throw new Error('--rate: 10..5000');

const LEAD_MS = 10_000; // traffic before a disturbance, and after ours is back
const STEADY_MS = 30_000;
const STALL_MS = 20_000;
const DOWN_MS = 20_000; // SIGTERM → started again
const DRAIN_TIMEOUT_MS = 150_000; // the agent's backoff reaches 30 s between tries
const METRIC_INTERVAL_MS = 1000;
const RUN_DEADLINE_MS = 15 * 60_000;

const deadline = setTimeout(() => {
  console.error('collector-interop: over 15 minutes, stopping everything');
  killAllChildren();
  process.exit(2);
}, RUN_DEADLINE_MS);
deadline.unref();
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    killAllChildren();
    process.exit(130);
  });

const dir = mkdtempSync(join(tmpdir(), 'bench-collector-interop-'));
const dataDir = join(dir, 'data');
const oursLog = join(dir, 'ours.log');
const agentLog = join(dir, 'agent.log');
const [oursPort, agentPort, agentMetricsPort] = [await freePort(), await freePort(), await freePort()];
const log = (line: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);
log(
  `work dir ${dir}; ours on :${oursPort}, agent OTLP on :${agentPort}, agent metrics on :${agentMetricsPort}`,
);

const phases: PhaseResult[] = [];
let failure: unknown = null;
try {
  const startOurs = () => startOurCollector({ dataDir, port: oursPort, logFile: oursLog });
  let ours: OurCollector | null = await startOurs();
  const agent = await startAgent({
    otlpPort: agentPort,
    metricsPort: agentMetricsPort,
    oursPort,
    logFile: agentLog,
  });
  log(`agent ${OTELCOL_BINARY} up`);
  let agentBefore: AgentStats | null = null;
  let logOffset = 0;

  for (const phase of phaseNames) {
    ours ??= await startOurs();
    const service = `interop-${phase}`;
    const started = Date.now();
    const events: PhaseResult['events'] = [];
    const event = (what: string) => {
      events.push({ atS: Math.round((Date.now() - started) / 100) / 10, event: what });
      log(`${phase}: ${what}`);
    };
    const oursCounters: Record<string, number> = {};
    const oursLifetimes: PhaseResult['oursLifetimes'] = [];
    const addCounters = (counters: Record<string, number>) => {
      for (const [k, v] of Object.entries(counters)) oursCounters[k] = (oursCounters[k] ?? 0) + v;
      oursLifetimes.push({
        requests: counters.requests ?? 0,
        repeats: counters.collector_repeated_requests_total ?? 0,
      });
    };
    let oursKilled = 0;
    const load = startLoad({
      agentUrl: `http://127.0.0.1:${agentPort}`,
      service,
      perSecond,
      metricIntervalMs: METRIC_INTERVAL_MS,
    });
    event('traffic on');
    const stall = async (running: OurCollector) => {
      running.pause();
      event('SIGSTOP ours');
      await sleep(STALL_MS);
      running.resume();
      event('SIGCONT ours');
    };
    const restart = async (running: OurCollector) => {
      addCounters(await running.counters());
      const stopAt = Date.now();
      event('SIGTERM ours');
      if ((await running.stop()).killed) oursKilled++;
      event('ours exited');
      await sleep(Math.max(0, DOWN_MS - (Date.now() - stopAt)));
      event('starting ours');
      const next = await startOurs();
      event('ours ready');
      return next;
    };
    switch (phase) {
      case 'steady':
        await sleep(STEADY_MS);
        break;
      case 'stall':
        await sleep(LEAD_MS);
        await stall(ours);
        await sleep(LEAD_MS);
        break;
      case 'restart':
        await sleep(LEAD_MS);
        ours = await restart(ours);
        await sleep(LEAD_MS);
        break;
      case 'stall-restart':
        // The retried copies of what the stall held are still arriving when ours goes down:
        // they meet the ledger (and the queue) of the next run of ours.
        await sleep(LEAD_MS);
        await stall(ours);
        await sleep(1000);
        ours = await restart(ours);
        await sleep(LEAD_MS);
        break;
      default:
        phase satisfies never;
    }
    const sent = await load.stop();
    event('traffic off (SDK flushed)');
    const agentDrained = await waitAgentDrained(agent, DRAIN_TIMEOUT_MS);
    event(agentDrained ? 'agent drained' : 'agent NOT drained');
    const agentNow = await agentStats(agent);
    const tally = tallyAgentLog(agentLog, logOffset);
    logOffset = tally.offset;
    if (!ours) throw new Error('ours is not running at the end of the phase');
    addCounters(await ours.counters());
    if ((await ours.stop()).killed) oursKilled++;
    ours = null;
    event('ours stopped for counting');
    const counts = await countStored(dataDir, 'interop-');
    event('counted');
    phases.push({
      phase,
      service,
      events,
      sent,
      storedAtPhaseEnd: counts[service] ?? {},
      agent: agentDelta(agentNow, agentBefore),
      agentLog: tally.tally,
      agentDrained,
      ours: oursCounters,
      oursLifetimes,
      oursKilled,
    });
    agentBefore = agentNow;
  }
  await agent.stop();
} catch (error) {
  failure = error;
} finally {
  killAllChildren();
}

if (failure) {
  console.error(`collector-interop failed; logs kept in ${dir}`);
  throw failure;
}
// The final count: every phase's service again, to see anything delivered after its phase ended.
const final = await countStored(dataDir, 'interop-');
const rows = tableRows(phases, final);
printReport(phases, rows);
const bad = rows.filter((r) => r.lost !== 0 || r.doubled !== 0);
for (const r of bad)
  console.log(
    `${r.phase} / ${r.signal}: ${r.lost > 0 ? `${r.lost} lost` : ''}${r.lost > 0 && r.doubled > 0 ? ', ' : ''}${r.doubled > 0 ? `${r.doubled} stored twice` : ''}${r.lost < 0 ? `${-r.lost} more distinct than sent` : ''}`,
  );
if (bad.length === 0) console.log('every phase and signal: stored exactly what was sent');

mkdirSync(new URL('../results/', import.meta.url), { recursive: true });
const out = new URL(
  `../results/collector-interop-${new Date().toISOString().replace(/[:.]/g, '-')}.json`,
  import.meta.url,
);
writeFileSync(
  out,
  JSON.stringify(
    {
      node: process.version,
      agent: { binary: OTELCOL_BINARY, version: '0.165.0', config: 'bench/collector-interop/agent.yaml' },
      perSecond,
      metricIntervalMs: METRIC_INTERVAL_MS,
      loadAverage: loadavg()[0],
      rows,
      phases,
      final,
    },
    null,
    2,
  ),
);
console.log(`saved ${out.pathname}`);
if (args.keep) console.log(`data and logs kept in ${dir}`);
else rmSync(dir, { recursive: true, force: true });
process.exit(bad.length === 0 ? 0 : 1);
