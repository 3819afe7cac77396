// The launcher's book of its runs: each run as it now is, every change decided by reduceRun
// (run-lifecycle.ts) and then published — to subscribers as events, to the store through the
// recorder (one record at a time, in order; a failing store never takes a run down), and to
// whoever waits for a run's end.
import type { RunEvent, RunEventListener } from './events.ts';
import type { RunRecorder } from './recorder.ts';
import { type RunExecutionEvent, type RunReduction, reduceRun } from './run-lifecycle.ts';
import { assertNever, type EndedRun, isTerminal, type Run } from './run-state.ts';

export interface RunBook {
  get(id: string): Run | undefined;
  list(): Run[];
  /** Publishes a run as it now is (a new one, or a move): event, record, end waiters. */
  publish(run: Run): void;
  /** Every change to a run after its launch: reduceRun decides, the book publishes. */
  apply(id: string, event: RunExecutionEvent): RunReduction;
  /** A run's k6 output line, to subscribers. */
  emit(event: RunEvent): void;
  whenEnded(id: string): Promise<EndedRun>;
  subscribe(listener: RunEventListener): () => void;
  /** Resolves once every record so far is written. */
  recorded(): Promise<void>;
}

export function createRunBook(opts: {
  recorder?: RunRecorder | undefined;
  logger: Pick<Console, 'error'>;
  /** Records wait for this first (the previous launcher's runs marked lost). */
  after: Promise<unknown>;
}): RunBook {
  const { logger } = opts;
  const runs = new Map<string, Run>();
  const listeners = new Set<RunEventListener>();
  const endWaiters = new Map<string, ((run: EndedRun) => void)[]>();
  let recording: Promise<void> = opts.after.then(() => undefined);

  const emit = (event: RunEvent): void => {
    for (const listener of listeners) {
      try {
        listener(event);
      } catch (err) {
        logger.error('launcher: event listener threw', err);
      }
    }
  };

  const record = (run: Run): void => {
    const { recorder } = opts;
    if (!recorder) return;
    recording = recording.then(() =>
      recorder
        .record(run)
        .catch((err: unknown) => logger.error(`launcher: could not record run ${run.id}`, err)),
    );
  };

  const publish = (run: Run): void => {
    runs.set(run.id, run);
    emit({ type: 'state', run });
    record(run);
    if (isTerminal(run.state)) {
      for (const resolve of endWaiters.get(run.id) ?? []) resolve(run as EndedRun);
      endWaiters.delete(run.id);
    }
  };

  return {
    get: (id) => runs.get(id),
    list: () => [...runs.values()],
    publish,
    apply(id, event) {
      const reduction = reduceRun(runs.get(id)!, event);
      switch (reduction.outcome) {
        case 'moved':
          publish(reduction.run);
          break;
        case 'updated':
          runs.set(id, reduction.run);
          emit({ type: 'status', runId: id, ...reduction.live });
          break;
        case 'refused':
          break;
        default:
          assertNever(reduction);
      }
      return reduction;
    },
    emit,
    whenEnded(id) {
      const cur = runs.get(id);
      if (cur && isTerminal(cur.state)) return Promise.resolve(cur as EndedRun);
      return new Promise((resolve) => endWaiters.set(id, [...(endWaiters.get(id) ?? []), resolve]));
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    recorded: () => recording,
  };
}
