// The k6 launcher the dashboard uses: validates launch requests, queues runs under a concurrency
// limit and starts them (run-execution.ts); what each execution reports goes through the run book
// (run-book.ts: reduceRun decides, events are published and every transition recorded).
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { RunEventListener } from './events.ts';
import { SHUT_DOWN, STOPPED_BY_USER, type StopCause } from './exit-codes.ts';
import { resolveK6Path } from './k6-binary.ts';
import type { HistogramLayout } from './k6-process.ts';
import type { RunRecorder } from './recorder.ts';
import { createRunBook } from './run-book.ts';
import { executeRun, type RunHandle, type RunTimings } from './run-execution.ts';
import { RunQueueFullError } from './run-queue-full.ts';
import { type EndedRun, isTerminal, type QueuedRun, type Run } from './run-state.ts';
import type { StoreClient } from './run-store.ts';
import {
  ParamValidationError,
  parseDuration,
  parseScenarioParams,
  type ScenarioDefinition,
  type ScenarioParams,
} from './scenarios.ts';

export type LauncherOptions = {
  /** k6 binary; default: K6_PATH → k6 on PATH → <repo>/.tools/bin/k6. */
  k6Path?: string;
  /** host:port of an OTLP/HTTP receiver (e.g. 127.0.0.1:4318); when set, runs use --out opentelemetry. */
  otlpEndpoint?: string;
  /**
   * How k6 exports its Trends: `exponential` gives percentiles within about one bucket (≈ 1–4 %;
   * results read either);
   * default `explicit`, which the alert rules and live charts on otel_metrics_histogram expect.
   */
  histograms?: HistogramLayout;
  /** Headers of k6's OTLP exports (the collector's ingest key, with COLLECTOR_API_KEYS set). */
  otlpHeaders?: Record<string, string>;
  /**
   * The store that receives every request duration of a run (cp_run_samples, from k6's --out csv)
   * and computes its final percentiles from them (exact, results/run-percentiles.ts); unset → k6
   * writes no samples and the figures come from histograms (an estimate).
   */
  sampleStore?: StoreClient;
  /** Base URLs runs may target. Anything else is refused. */
  targets: string[];
  /** Each run writes <runsDir>/<id>/k6.log and summary.json. */
  runsDir: string;
  /** Runs executing at once; the rest wait queued. Default 1. */
  maxConcurrent?: number;
  /** Runs that may wait queued; a launch beyond it is refused with RunQueueFullError. Default 5. */
  maxQueued?: number;
  recorder?: RunRecorder;
  timings?: Partial<RunTimings>;
  logger?: Pick<Console, 'warn' | 'error'>;
};

/** Ceilings on one run for whoever launches it (the dashboard sets them per role). */
export type RunLimits = {
  maxVus: number;
  /** k6 duration, e.g. 1h. */
  maxDuration: string;
  /** Whose ceiling it is, for the refusal's message (e.g. "the qa role"). */
  appliesTo?: string;
};

export type LaunchInput = { scenario: string; params: unknown; launchedBy?: string; limits?: RunLimits };

/** Refuses parameters over the launcher's ceilings, naming the field and the ceiling. */
function checkLimits(params: ScenarioParams, limits: RunLimits | undefined): void {
  if (!limits) return;
  const who = limits.appliesTo ? ` for ${limits.appliesTo}` : '';
  const issues = [];
  if (params.vus > limits.maxVus)
    issues.push({ field: 'vus', message: `${params.vus} VUs is over the ceiling of ${limits.maxVus}${who}` });
  if ((parseDuration(params.duration) ?? 0) > (parseDuration(limits.maxDuration) ?? 0))
    issues.push({
      field: 'duration',
      message: `${params.duration} is over the ceiling of ${limits.maxDuration}${who}`,
    });
  if (issues.length > 0) throw new ParamValidationError(issues);
}

export type Launcher = {
  /**
   * Validates and queues a run. Throws ParamValidationError on bad input or over the limits,
   * RunQueueFullError when the queue is full; either way nothing is started, recorded or emitted.
   */
  launch(input: LaunchInput): Run;
  get(id: string): Run | undefined;
  list(): Run[];
  /** Stops a queued or active run; resolves with the run once it has ended. */
  stop(id: string): Promise<Run>;
  /**
   * Ends every queued or active run aimed at `target` as `cause` says (e.g. failed, "target
   * exited: SIGKILL" when the supervised target died); the runs ended.
   */
  endRunsAgainst(target: string, cause: StopCause): Run[];
  /** Resolves when the run has ended (finished, failed or aborted), without stopping it. */
  whenEnded(id: string): Promise<EndedRun>;
  subscribe(listener: RunEventListener): () => void;
  /**
   * Settles once runs a previous launcher left active in the store are marked `lost` (with a
   * recorder that can); the ids marked. Records of this launcher's runs are written after it.
   */
  reconciled: Promise<string[]>;
  /** Cancels queued runs, stops active ones ("shut down") and waits for them and for pending records. */
  close(): Promise<void>;
};

const DEFAULT_TIMINGS: RunTimings = { pollIntervalMs: 1000, stopTimeoutMs: 10_000, killTimeoutMs: 5000 };

export function newRunId(now: Date = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `run_${stamp}_${randomBytes(3).toString('hex')}`;
}

type Pending = { run: QueuedRun; scenario: ScenarioDefinition; params: ScenarioParams };

export function createLauncher(opts: LauncherOptions): Launcher {
  const maxConcurrent = Math.max(1, opts.maxConcurrent ?? 1);
  const maxQueued = Math.max(0, opts.maxQueued ?? 5);
  const timings = { ...DEFAULT_TIMINGS, ...opts.timings };
  const logger = opts.logger ?? console;
  const queue: Pending[] = [];
  const active = new Map<string, RunHandle>();
  // A launcher starting owns no run yet: any run the store shows active belongs to a launcher that
  // is gone (one process hosts the launcher; see README on several dashboard replicas).
  const reconciled: Promise<string[]> = opts.recorder?.markLost
    ? opts.recorder.markLost(new Set()).catch((err: unknown) => {
        logger.error('launcher: could not mark lost runs', err);
        return [];
      })
    : Promise.resolve([]);
  const book = createRunBook({ recorder: opts.recorder, logger, after: reconciled });
  let closed = false;
  let k6Path: string | undefined;

  const resolveK6 = (): string => {
    k6Path ??= resolveK6Path(opts.k6Path ? { k6Path: opts.k6Path } : {});
    return k6Path;
  };

  const pump = (): void => {
    while (active.size < maxConcurrent && queue.length > 0) {
      const { run, scenario, params } = queue.shift()!;
      const handle = executeRun({
        run,
        scenario,
        params,
        resolveK6,
        otlpEndpoint: opts.otlpEndpoint,
        histograms: opts.histograms,
        otlpHeaders: opts.otlpHeaders,
        sampleStore: opts.sampleStore,
        timings,
        report: (event) => book.apply(run.id, event),
        onLine: (stream, line) => book.emit({ type: 'log', runId: run.id, stream, line }),
        warn: (message, err) => logger.warn(`launcher: ${message}`, ...(err === undefined ? [] : [err])),
      });
      active.set(run.id, handle);
      void handle.done.finally(() => {
        active.delete(run.id);
        pump();
      });
    }
  };

  /** Seconds until an active run's planned end frees a slot (a guess for Retry-After). */
  const secondsUntilASlot = (): number => {
    const now = Date.now();
    const ends = [...active.keys()].flatMap((id) => {
      const run = book.get(id);
      const planned = run ? parseDuration(String(run.params.duration)) : undefined;
      const started = run && run.state !== 'queued' ? run.startedAt : undefined;
      return planned !== undefined && started !== undefined ? [started + planned - now] : [];
    });
    const soonest = ends.length > 0 ? Math.min(...ends) : 30_000;
    return Math.min(3600, Math.max(5, Math.ceil(soonest / 1000)));
  };

  const abortQueued = (id: string, cause: StopCause = STOPPED_BY_USER): boolean => {
    const index = queue.findIndex((p) => p.run.id === id);
    if (index < 0) return false;
    const [{ run }] = queue.splice(index, 1) as [Pending];
    book.apply(run.id, { type: 'cancelled', at: Date.now(), cause });
    return true;
  };

  return {
    launch(input) {
      if (closed) throw new Error('launcher is closed');
      const { scenario, params } = parseScenarioParams(input.scenario, input.params, opts.targets);
      checkLimits(params, input.limits);
      // Only runs that would wait count: with a free slot the run starts at once.
      if (active.size >= maxConcurrent && queue.length >= maxQueued)
        throw new RunQueueFullError(queue.length, secondsUntilASlot());
      const id = newRunId();
      const runDir = join(opts.runsDir, id);
      const run: QueuedRun = {
        id,
        scenario: scenario.name,
        params: { ...params },
        target: params.target,
        launchedBy: input.launchedBy ?? '',
        createdAt: Date.now(),
        runDir,
        logPath: join(runDir, 'k6.log'),
        summaryPath: join(runDir, 'summary.json'),
        state: 'queued',
      };
      book.publish(run);
      queue.push({ run, scenario, params });
      pump();
      return book.get(id)!;
    },
    reconciled,
    get: book.get,
    list: book.list,
    async stop(id) {
      const cur = book.get(id);
      if (!cur) throw new Error(`unknown run ${id}`);
      if (isTerminal(cur.state)) return cur;
      const ended = book.whenEnded(id);
      if (!abortQueued(id)) active.get(id)?.stop();
      return ended;
    },
    endRunsAgainst(target, cause) {
      const aimed = book.list().filter((r) => !isTerminal(r.state) && r.target === target);
      for (const run of aimed) if (!abortQueued(run.id, cause)) active.get(run.id)?.stop(cause);
      return aimed;
    },
    whenEnded(id) {
      if (!book.get(id)) return Promise.reject(new Error(`unknown run ${id}`));
      return book.whenEnded(id);
    },
    subscribe: book.subscribe,
    async close() {
      closed = true;
      for (const { run } of [...queue]) abortQueued(run.id, SHUT_DOWN);
      const ids = [...active.keys()];
      for (const id of ids) active.get(id)?.stop(SHUT_DOWN);
      await Promise.all([...ids.map((id) => book.whenEnded(id)), ...[...active.values()].map((h) => h.done)]);
      await book.recorded();
    },
  };
}
