// Runs one scenario as N k6 processes, one per execution segment, on this machine: each starts
// --paused with its own REST API and the same run_id tag, and all are resumed together once every
// one is ready. The result aggregates their summaries; the store aggregates their metrics by run_id.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { exitCodeMeaning, STOPPED_BY_USER } from './exit-codes.ts';
import { findFreePort } from './free-port.ts';
import { resolveK6Path } from './k6-binary.ts';
import { buildK6Command, type HistogramLayout, type K6Exit, type K6Process, spawnK6 } from './k6-process.ts';
import { createK6RestClient, type K6RestClient } from './k6-rest.ts';
import { newRunId } from './launcher.ts';
import type { RunRecorder } from './recorder.ts';
import { resultWithRunPercentiles } from './results/run-percentiles.ts';
import { type RunExecutionEvent, reduceRun } from './run-lifecycle.ts';
import { ingestRunSamples } from './run-samples.ts';
import type { Run, RunResult } from './run-state.ts';
import type { StoreClient } from './run-store.ts';
import { scenarioScript } from './scenario-script.ts';
import { parseScenarioParams, type ScenarioParams } from './scenarios.ts';
import { type AggregatedResult, aggregateSummaries } from './segment-aggregate.ts';
import { type K6Summary, readSummaryFile, resultFromSummary } from './summary.ts';

export type ExecutionSegment = { segment: string; sequence: string };

/** N equal execution segments: "0:1/2", "1/2:1" within the sequence "0,1/2,1". */
export function executionSegments(n: number): ExecutionSegment[] {
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new RangeError('segments must be a whole number 1..64');
  const point = (i: number): string => (i === 0 ? '0' : i === n ? '1' : `${i}/${n}`);
  const sequence = Array.from({ length: n + 1 }, (_, i) => point(i)).join(',');
  return Array.from({ length: n }, (_, i) => ({ segment: `${point(i)}:${point(i + 1)}`, sequence }));
}

export type DistributedRunInput = {
  scenario: string;
  params: unknown;
  /** Allowlist, as for the launcher. */
  targets: readonly string[];
  segments: number;
  runsDir: string;
  k6Path?: string;
  otlpEndpoint?: string;
  /** Trend export layout (see LauncherOptions.histograms). */
  histograms?: HistogramLayout;
  /** Headers of k6's OTLP exports (see LauncherOptions.otlpHeaders). */
  otlpHeaders?: Record<string, string>;
  /** Receives each segment's request samples and gives the run's merged percentiles (see LauncherOptions.sampleStore). */
  sampleStore?: StoreClient;
  /** How long the paused processes get to come up before the run fails. Default 30 s. */
  readyTimeoutMs?: number;
  onLine?: (segment: number, stream: 'stdout' | 'stderr', line: string) => void;
  /** Records the run (running, then its end with the aggregated result) like a launcher run. */
  recorder?: RunRecorder;
  launchedBy?: string;
};

export type SegmentOutcome = ExecutionSegment & {
  index: number;
  logPath: string;
  summaryPath: string;
  exit: K6Exit;
  result: RunResult;
};

export type DistributedRunResult = {
  runId: string;
  scenario: string;
  params: ScenarioParams;
  /** finished: every segment ran to its end (exit 0 or 99); failed otherwise; aborted when stopped. */
  state: 'finished' | 'failed' | 'aborted';
  reason?: string;
  /** When the segments were resumed, and how far apart their REST calls returned (ms). */
  resumedAt?: number;
  resumeSpreadMs?: number;
  segments: SegmentOutcome[];
  /** null when no segment wrote a summary. */
  aggregate: AggregatedResult | null;
};

export type DistributedRun = { runId: string; stop(): void; done: Promise<DistributedRunResult> };

/** Validates (throws ParamValidationError, nothing started) and starts the segments. */
export function runDistributed(input: DistributedRunInput): DistributedRun {
  const { scenario, params } = parseScenarioParams(input.scenario, input.params, input.targets);
  const plan = executionSegments(input.segments);
  const k6Path = resolveK6Path(input.k6Path ? { k6Path: input.k6Path } : {});
  const runId = newRunId();
  const runDir = join(input.runsDir, runId);
  const procs: K6Process[] = [];
  const rests: K6RestClient[] = [];
  let stopped = false;

  const stopAll = (): void => {
    for (const [i, rest] of rests.entries()) rest.stop().catch(() => procs[i]?.signal('SIGTERM'));
  };

  const createdAt = Date.now();
  // The run as the store knows it; it moves only through reduceRun, as a launcher's runs do.
  let run: Run = {
    state: 'queued',
    id: runId,
    scenario: scenario.name,
    params: { ...params, segments: plan.length },
    target: params.target,
    launchedBy: input.launchedBy ?? '',
    createdAt,
    runDir,
    logPath: join(runDir, 'segment-0', 'k6.log'),
    summaryPath: join(runDir, 'segment-0', 'summary.json'),
  };
  const apply = (event: RunExecutionEvent): void => {
    run = reduceRun(run, event).run;
  };
  const record = async (): Promise<void> => {
    // A failing store must not take the run down with it.
    await input.recorder?.record(run).catch(() => undefined);
  };

  const main = async (): Promise<DistributedRunResult> => {
    const started = await Promise.all(
      plan.map(async (seg, index) => {
        const dir = join(runDir, `segment-${index}`);
        await mkdir(dir, { recursive: true });
        const apiAddress = `127.0.0.1:${await findFreePort()}`;
        const summaryPath = join(dir, 'summary.json');
        const logPath = join(dir, 'k6.log');
        const { args, env } = buildK6Command({
          script: scenarioScript(scenario),
          runId,
          apiAddress,
          params,
          summaryPath,
          segment: seg,
          paused: true,
          ...(input.otlpEndpoint ? { otlpEndpoint: input.otlpEndpoint } : {}),
          ...(input.histograms ? { histograms: input.histograms } : {}),
          ...(input.otlpHeaders ? { otlpHeaders: input.otlpHeaders } : {}),
          ...(input.sampleStore ? { samplesPath: join(dir, 'samples.csv') } : {}),
        });
        const samples = input.sampleStore
          ? ingestRunSamples({
              client: input.sampleStore,
              runId,
              segment: seg.segment,
              csvPath: join(dir, 'samples.csv'),
              ...(input.onLine ? { warn: (m: string) => input.onLine?.(index, 'stderr', m) } : {}),
            })
          : undefined;
        const proc = spawnK6({
          k6Path,
          args,
          env,
          cwd: dir,
          logPath,
          onLine: (stream, line) => input.onLine?.(index, stream, line),
        });
        procs[index] = proc;
        rests[index] = createK6RestClient(apiAddress);
        return { ...seg, index, logPath, summaryPath, apiAddress, proc, rest: rests[index]!, samples };
      }),
    );

    let exitedEarly = false;
    for (const s of started) void s.proc.exited.then(() => (exitedEarly = true));
    const ready = await waitReady(
      started.map((s) => s.rest),
      input.readyTimeoutMs ?? 30_000,
      () => exitedEarly || stopped,
    );
    let resumedAt: number | undefined;
    let resumeSpreadMs: number | undefined;
    if (ready && !stopped) {
      resumedAt = Date.now();
      const returned = await Promise.all(started.map((s) => s.rest.resume().then(() => Date.now())));
      resumeSpreadMs = Math.max(...returned) - Math.min(...returned);
      apply({ type: 'spawned', at: resumedAt, apiAddress: started[0]!.apiAddress });
      apply({ type: 'api-up' });
      await record();
    } else for (const s of started) s.proc.signal('SIGTERM');
    if (stopped && resumedAt !== undefined) stopAll();

    const ended = await Promise.all(
      started.map(async ({ proc: p, rest: _rest, apiAddress: _address, samples, ...s }) => {
        const exit = await p.exited;
        const ingested = await samples?.finish();
        const summary = await readSummaryFile(s.summaryPath).catch(() => undefined);
        const outcome: SegmentOutcome = { ...s, exit, result: resultFromSummary(summary, exit) };
        return { outcome, summary, complete: ingested?.complete ?? false };
      }),
    );
    const segments = ended.map((e) => e.outcome);
    const summaries = ended.flatMap((e): K6Summary[] => (e.summary ? [e.summary] : []));
    const endedAt = Date.now();
    const aggregate = summaries.length > 0 ? aggregateSummaries(summaries) : null;
    let result = segmentsResult(segments, aggregate);
    // k6's summaries cannot be merged (their percentiles are the worst segment's): the store's can.
    if (input.sampleStore && ended.every((e) => e.complete))
      result = await resultWithRunPercentiles(input.sampleStore, runId, result, createdAt, (m) =>
        input.onLine?.(0, 'stderr', m),
      );
    apply({
      type: 'segments-exited',
      at: endedAt,
      exits: segments.map((s) => ({
        segment: s.segment,
        code: s.exit.code,
        exitMeaning: s.result.exitMeaning,
      })),
      stopCause: stopped ? STOPPED_BY_USER : null,
      result,
    });
    await record();
    if (run.state !== 'finished' && run.state !== 'failed' && run.state !== 'aborted')
      throw new Error(`run ${runId}: its segments exited but it is ${run.state}`);
    return {
      runId,
      scenario: scenario.name,
      params,
      state: run.state,
      ...(run.state === 'finished' || !run.reason ? {} : { reason: run.reason }),
      ...(resumedAt === undefined ? {} : { resumedAt, resumeSpreadMs }),
      segments,
      aggregate,
    };
  };

  const done = main().catch((err: unknown) => {
    for (const p of procs) p?.signal('SIGKILL');
    throw err;
  });
  return {
    runId,
    stop() {
      if (stopped) return;
      stopped = true;
      stopAll();
    },
    done,
  };
}

/** The run's result: the worst segment's exit, the aggregated numbers. */
function segmentsResult(segments: SegmentOutcome[], aggregate: AggregatedResult | null): RunResult {
  const exitCode = segments.map((s) => s.exit.code).find((c) => c !== 0) ?? 0;
  return {
    exitCode,
    exitMeaning: exitCodeMeaning(exitCode),
    thresholdsPassed: aggregate?.thresholdsPassed ?? false,
    thresholds: aggregate?.thresholds ?? [],
    stats: aggregate?.stats ?? null,
    ...(aggregate ? { perEndpoint: aggregate.perEndpoint } : {}),
  };
}

/** True once every REST API answers (k6 paused and waiting), false on timeout or `give up`. */
async function waitReady(rests: K6RestClient[], timeoutMs: number, giveUp: () => boolean): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  const up = new Set<number>();
  while (Date.now() < deadline && !giveUp()) {
    await Promise.all(
      rests.map((rest, i) =>
        up.has(i)
          ? undefined
          : rest.getStatus().then(
              () => void up.add(i),
              () => undefined,
            ),
      ),
    );
    if (up.size === rests.length) return true;
    await sleep(100);
  }
  return false;
}
