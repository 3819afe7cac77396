// Runs the dashboard's experiments (issue 23), one at a time, through the process's own launcher:
// the target switched through its admin API before each run (TARGET_URL, TARGET_ADMIN_TOKEN),
// every run scored over its window with the dashboard's 0–100 scores, every change recorded in
// cp_experiments. Holds the running one's progress for the live page; reads the rest from the store.
// Answers refusals as values (the router lives in the Next bundle: no errors cross it).
import { fileURLToPath } from 'node:url';
import type { Store } from 'collector';
import {
  createClickHouseExperimentRecorder,
  createTargetSettingsClient,
  type Experiment,
  type ExperimentDefinition,
  type ExperimentEvent,
  findExperiment,
  KPIS,
  type Launcher,
  loadExperimentFile,
  type RunLimits,
  type RunScores,
  readRecentExperiments,
  recoverInterruptedExperiments,
  runExperiment,
} from 'load-tests';
import type { EndedRun } from 'load-tests/model';
import type { ExperimentProgress } from '../../lib/experiment-view.ts';
import type { AuditLog } from '../../server/audit.ts';
import { checkRunParams, definitionOf, type LaunchRequest, type Refusal } from './launch-definition.ts';
import { switchAuditor } from './switch-audit.ts';

export type { Refusal };

/** The plans the dashboard ships, by name (the file's own `name`). */
export const SHIPPED_PLAN_FILE = fileURLToPath(
  new URL('../../../../load-tests/experiments/plan.yaml', import.meta.url),
);

export type ExperimentLaunch = LaunchRequest & { launchedBy: string; limits?: RunLimits | undefined };

export type Launched = { ok: true; id: string };

export type PlanSummary = {
  name: string;
  description: string | null;
  scenario: string;
  params: Record<string, unknown>;
  repeats: number;
  warmupRuns: number;
  variants: string[];
  optimisations: number;
};

export type HostEvent =
  | { type: 'progress'; progress: ExperimentProgress | null }
  | { type: 'ended'; id: string };

export type KpiInfo = { name: string; unit: string; better: 'lower' | 'higher' };

export interface ExperimentHost {
  plans(): Promise<PlanSummary[]>;
  /** What each KPI id means (name, unit, better way), for the results page. */
  kpis(): Record<string, KpiInfo>;
  launch(input: ExperimentLaunch): Promise<Launched | Refusal>;
  /** Asks the running experiment to stop; false when `id` is not the running one. */
  stop(id: string): boolean;
  progress(): ExperimentProgress | null;
  list(limit?: number): Promise<Experiment[]>;
  get(id: string): Promise<Experiment | undefined>;
  subscribe(listener: (event: HostEvent) => void): () => void;
  /** Stops the running experiment and waits until its target is put back. */
  close(): Promise<void>;
}

type Running = { progress: ExperimentProgress; controller: AbortController; done: Promise<Experiment> };

export function createExperimentHost(opts: {
  store: Store;
  launcher: Launcher;
  target: string;
  targets: string[];
  adminToken: string;
  scoreRun: (run: EndedRun) => Promise<RunScores | null>;
  log: (line: string) => void;
  planFile?: string;
  /** Where each switch of the target's settings is recorded (one row per switch, as chaos changes). */
  audit?: Pick<AuditLog, 'record'>;
}): ExperimentHost {
  const recorder = createClickHouseExperimentRecorder(opts.store.client);
  const listeners = new Set<(event: HostEvent) => void>();
  const emit = (event: HostEvent) => {
    for (const l of listeners) l(event);
  };
  let running: Running | null = null;
  let launching = false;
  const settingsFor = (target: string, resource: string) =>
    createTargetSettingsClient({ target, adminToken: opts.adminToken, resource });

  const shippedPlans = async (): Promise<ExperimentDefinition[]> => [
    await loadExperimentFile(opts.planFile ?? SHIPPED_PLAN_FILE),
  ];

  const onEvent = (event: ExperimentEvent) => {
    const p = running?.progress;
    if (!p) return;
    switch (event.type) {
      case 'started':
        p.experimentId = event.experimentId;
        break;
      case 'waiting':
        p.waitingFor = event.runIds;
        break;
      case 'switched':
        Object.assign(p, {
          waitingFor: [],
          variant: event.slot.variant,
          repeat: event.slot.round,
          position: event.slot.index + 1,
          warmup: event.warmup === true,
          currentRunId: null,
          runState: null,
        });
        break;
      case 'run':
        p.currentRunId = event.runId;
        p.runState = event.state;
        if (!event.warmup && ['finished', 'failed', 'aborted', 'lost'].includes(event.state))
          p.done = Math.max(p.done, event.slot.index + 1);
        break;
      case 'reset':
      case 'reset-failed':
      case 'ended':
        break;
      default:
        return event satisfies never;
    }
    emit({ type: 'progress', progress: { ...p } });
  };

  return {
    async plans() {
      return (await shippedPlans()).map((p) => ({
        name: p.name,
        description: p.description ?? null,
        scenario: p.scenario,
        params: p.params,
        repeats: p.repeats,
        warmupRuns: p.warmupRuns,
        variants: p.variants.map((v) => v.name),
        optimisations: p.optimisations.length,
      }));
    },

    kpis: () => KPIS,

    async launch(input) {
      if (running || launching)
        return {
          ok: false,
          code: 'CONFLICT',
          message: `experiment ${running?.progress.experimentId ?? '(starting)'} is running; one runs at a time (stop it first)`,
        };
      // Held from here until it runs or is refused: two launches at once cannot both pass.
      launching = true;
      let def: ExperimentDefinition | Refusal;
      try {
        def = await definitionOf(input, shippedPlans);
      } finally {
        launching = false;
      }
      if ('ok' in def) return def;
      const refused = checkRunParams(def, input.limits, { url: opts.target, allowed: opts.targets });
      if (refused) return refused;
      const controller = new AbortController();
      const total = def.variants.length * def.repeats;
      const progress: ExperimentProgress = {
        experimentId: '',
        name: def.name,
        launchedBy: input.launchedBy,
        startedAt: Date.now(),
        total,
        done: 0,
        variant: null,
        repeat: null,
        repeats: def.repeats,
        position: null,
        warmup: false,
        currentRunId: null,
        runState: null,
        waitingFor: [],
        stopping: false,
      };
      // Answered once the experiment has read the target and recorded itself (its id), or failed to.
      let started: (value: Launched | Refusal) => void = () => {};
      const answer = new Promise<Launched | Refusal>((resolve) => {
        started = resolve;
      });
      const current: Running = { progress, controller, done: Promise.resolve(undefined as never) };
      running = current;
      const audit = opts.audit;
      const auditSwitch = audit
        ? switchAuditor({
            audit,
            target: opts.target,
            resource: def.settingsResource,
            actor: input.launchedBy,
            role: input.role,
          })
        : undefined;
      current.done = runExperiment(def, {
        launcher: opts.launcher,
        target: opts.target,
        settings: settingsFor(opts.target, def.settingsResource),
        signal: controller.signal,
        launchedBy: input.launchedBy,
        recorder,
        scoreRun: (run) => opts.scoreRun(run),
        logger: { error: (...args: unknown[]) => opts.log(args.map(String).join(' ')) },
        onEvent: (event) => {
          void auditSwitch?.(event); // never throws: an audit outage is logged by the audit log
          onEvent(event);
          if (event.type === 'started') started({ ok: true, id: event.experimentId });
        },
      });
      current.done
        .then((e) => {
          opts.log(`experiment ${e.id} ${e.state}${e.reason ? `: ${e.reason}` : ''}`);
          emit({ type: 'ended', id: e.id });
        })
        .catch((error: unknown) => {
          // Before it started: the target's settings could not be read. Nothing was changed.
          started({
            ok: false,
            code: 'BAD_GATEWAY',
            message: `could not read the target's ${def.settingsResource}: ${String((error as Error).message).split('\n')[0]}`,
          });
        })
        .finally(() => {
          if (running === current) running = null;
          emit({ type: 'progress', progress: null });
        });
      return answer;
    },

    stop(id) {
      if (!running || running.progress.experimentId !== id) return false;
      running.progress.stopping = true;
      running.controller.abort();
      emit({ type: 'progress', progress: { ...running.progress } });
      return true;
    },

    progress: () => (running ? { ...running.progress } : null),

    list: (limit = 50) => readRecentExperiments(opts.store.client, limit),

    get: (id) => findExperiment(opts.store.client, id),

    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    async close() {
      const r = running;
      if (!r) return;
      r.controller.abort();
      await r.done.catch(() => undefined);
    },
  };
}

/** At start: experiments a dead process left running get their target put back and end failed. */
export async function recoverExperiments(
  store: Store,
  adminToken: string,
  log: (line: string) => void,
): Promise<void> {
  const ended = await recoverInterruptedExperiments(
    store.client,
    createClickHouseExperimentRecorder(store.client),
    (target, resource) => createTargetSettingsClient({ target, adminToken, resource }),
  );
  for (const e of ended) log(`experiment ${e.id}: ${e.reason}`);
}
