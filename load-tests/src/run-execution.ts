// Carries one run from queued to its end: starts k6 (and the ingest of its request samples),
// watches and stops it through its REST API (k6-control.ts), and reports its end with the final
// result (run-final-result.ts). Every change is an event; the launcher's run book decides states.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { STOPPED_BY_USER, type StopCause } from './exit-codes.ts';
import { findFreePort } from './free-port.ts';
import { createK6RestClient, type K6Rest, stopK6, watchK6 } from './k6-control.ts';
import { buildK6Command, type HistogramLayout, type K6Exit, type K6Process, spawnK6 } from './k6-process.ts';
import { finalResult } from './run-final-result.ts';
import type { RunExecutionEvent, RunReduction } from './run-lifecycle.ts';
import { ingestRunSamples, type SampleIngest } from './run-samples.ts';
import { isTerminal, type QueuedRun, type Run, startedAtOf } from './run-state.ts';
import type { StoreClient } from './run-store.ts';
import { scenarioScript } from './scenario-script.ts';
import { parseDuration, type ScenarioDefinition, type ScenarioParams } from './scenarios.ts';

export type RunTimings = {
  /** REST API polling while running. */
  pollIntervalMs: number;
  /** After a REST stop, how long k6 gets to finish before SIGTERM. */
  stopTimeoutMs: number;
  /** After SIGTERM, how long before SIGKILL. */
  killTimeoutMs: number;
  /**
   * How long past its planned duration a run may go on (graceful stops, teardown, summary) before it
   * counts as hung and is stopped and failed. Undefined → the larger of 2 min and a quarter of the
   * planned duration.
   */
  overrunMs?: number | undefined;
};

/** The moment after which a still-running k6 is hung, in ms after it was started; undefined without a duration. */
export function hangDeadlineMs(params: ScenarioParams, overrunMs: number | undefined): number | undefined {
  const planned = parseDuration(params.duration);
  if (planned === undefined) return undefined;
  return planned + (overrunMs ?? Math.max(120_000, planned / 4));
}

export type RunContext = {
  run: QueuedRun;
  scenario: ScenarioDefinition;
  params: ScenarioParams;
  resolveK6: () => string;
  otlpEndpoint: string | undefined;
  histograms: HistogramLayout | undefined;
  otlpHeaders: Record<string, string> | undefined;
  /** Receives the run's request samples (cp_run_samples) and gives its final percentiles. */
  sampleStore: StoreClient | undefined;
  timings: RunTimings;
  /** Applies an event to the run (the launcher: reduceRun, then publish and record); the outcome. */
  report: (event: RunExecutionEvent) => RunReduction;
  onLine: (stream: 'stdout' | 'stderr', line: string) => void;
  warn: (message: string, err?: unknown) => void;
};

/** `stop(cause)`: the run ends as the cause says (default: aborted, stopped by user). */
export type RunHandle = { stop(cause?: StopCause): void; done: Promise<void> };

/** Starts k6 for `ctx.run` and reports what happens to it as events; the launcher decides the states. */
export function executeRun(ctx: RunContext): RunHandle {
  const { run, timings } = ctx;
  let stopCause: StopCause | null = null;
  let proc: K6Process | undefined;
  let samples: SampleIngest | undefined;
  let rest: K6Rest | undefined;
  let watching = true;
  let exited = false;
  /** Set when k6 ran past its planned end and was stopped for it: the run then ends as failed. */
  let hungAfterMs: number | undefined;
  /** The run as the last event left it. */
  let latest: Run = run;
  let reports = 0;
  const timers: NodeJS.Timeout[] = [];

  const report = (event: RunExecutionEvent): RunReduction => {
    const seq = ++reports;
    const reduction = ctx.report(event);
    // A listener of this event may have stopped the run meanwhile: that report's run is newer.
    if (seq === reports) latest = reduction.run;
    return reduction;
  };
  /** Ends the run; an end the run no longer takes (it has ended) is worth a warning, not a crash. */
  const end = (event: Extract<RunExecutionEvent, { type: 'exited' | 'failed' | 'cancelled' }>): void => {
    const reduction = report(event);
    if (reduction.outcome === 'refused') ctx.warn(`run ${run.id}: ${reduction.reason}`);
  };

  const requestStop = (): void => {
    if (!proc || !rest || exited) return;
    stopK6({ proc, rest, runId: run.id, ...timings, timers, warn: (m) => ctx.warn(m) });
  };

  const main = async (): Promise<void> => {
    await mkdir(run.runDir, { recursive: true });
    const k6Path = ctx.resolveK6();
    const apiAddress = `127.0.0.1:${await findFreePort()}`;
    if (stopCause) return end({ type: 'cancelled', at: Date.now(), cause: stopCause });
    report({ type: 'spawned', at: Date.now(), apiAddress });
    const { args, env } = buildK6Command({
      script: scenarioScript(ctx.scenario),
      runId: run.id,
      apiAddress,
      params: ctx.params,
      summaryPath: run.summaryPath,
      ...(ctx.otlpEndpoint ? { otlpEndpoint: ctx.otlpEndpoint } : {}),
      ...(ctx.histograms ? { histograms: ctx.histograms } : {}),
      ...(ctx.otlpHeaders ? { otlpHeaders: ctx.otlpHeaders } : {}),
      ...(ctx.sampleStore ? { samplesPath: samplesPathOf(run.runDir) } : {}),
    });
    proc = spawnK6({ k6Path, args, env, cwd: run.runDir, logPath: run.logPath, onLine: ctx.onLine });
    if (ctx.sampleStore)
      samples = ingestRunSamples({
        client: ctx.sampleStore,
        runId: run.id,
        segment: '',
        csvPath: samplesPathOf(run.runDir),
        warn: (message) => ctx.warn(message),
      });
    rest = createK6RestClient(apiAddress);
    // A stop asked while the start was announced (listeners of the "starting" transition run before
    // k6 exists) found nothing to stop: stop it now.
    if (stopCause) requestStop();
    const deadline = hangDeadlineMs(ctx.params, timings.overrunMs);
    if (deadline !== undefined)
      timers.push(
        setTimeout(() => {
          if (exited || stopCause) return;
          hungAfterMs = deadline;
          ctx.warn(
            `run ${run.id}: k6 still running ${deadline} ms after its start (planned end passed): stopping it`,
          );
          requestStop();
        }, deadline),
      );
    void watchK6({
      rest,
      watching: () => watching,
      starting: () => latest.state === 'starting',
      pollIntervalMs: timings.pollIntervalMs,
      onUp: () => report({ type: 'api-up' }),
      onStatus: (live) => report({ type: 'status', live }),
    });
    const exit = await proc.exited;
    exited = true;
    watching = false;
    for (const t of timers) clearTimeout(t);
    await finish(exit);
  };

  const finish = async (exit: K6Exit): Promise<void> => {
    // Every sample in the store before the run shows as ended: its figures are then final.
    const ingested = await samples?.finish();
    if (exit.error)
      return end({ type: 'failed', at: Date.now(), reason: `could not run k6: ${exit.error.message}` });
    const result = await finalResult({
      runId: run.id,
      summaryPath: run.summaryPath,
      exit,
      from: startedAtOf(latest) ?? run.createdAt,
      sampleStore: ctx.sampleStore,
      otlpEndpoint: ctx.otlpEndpoint,
      samplesComplete: ingested?.complete === true,
      warn: ctx.warn,
    });
    // A hung k6 ends as failed; whatever it exported before it was stopped stays in the store.
    end({
      type: 'exited',
      at: Date.now(),
      exit: { code: exit.code, signal: exit.signal },
      stopCause,
      ...(hungAfterMs === undefined ? {} : { hungAfterMs }),
      result,
    });
  };

  const done = main().catch((err: unknown) => {
    watching = false;
    for (const t of timers) clearTimeout(t);
    proc?.signal('SIGKILL');
    void samples?.finish();
    if (isTerminal(latest.state)) {
      ctx.warn(`run ${run.id}: error after the run ended`, err);
      return;
    }
    end({ type: 'failed', at: Date.now(), reason: err instanceof Error ? err.message : String(err) });
  });

  return {
    stop(cause = STOPPED_BY_USER) {
      if (stopCause || exited) return;
      stopCause = cause;
      // Refused while k6 is not started yet: main() then ends the run as cancelled.
      report({ type: 'stop-requested', at: Date.now() });
      requestStop();
    },
    done,
  };
}

const samplesPathOf = (runDir: string): string => join(runDir, 'samples.csv');
