'use client';
// The running experiment: which variant, which repeat, the current run (linked) and its state,
// others' runs it waits for; qa and admin stop it (the current run stops, the target is put back).
import { useMutation } from '@tanstack/react-query';
import type { ExperimentProgress } from '../../lib/experiment-view.ts';
import { useTRPC } from '../../trpc/react.tsx';
import { useCan } from '../auth/session.tsx';
import { HoverPrefetchLink as Link } from '../hover-prefetch-link.tsx';

export function ExperimentProgressPanel({ progress }: { progress: ExperimentProgress }) {
  const trpc = useTRPC();
  const canStop = useCan('qa');
  const stop = useMutation(trpc.experiments.stop.mutationOptions());
  const pct = progress.total > 0 ? Math.round((progress.done / progress.total) * 100) : 0;
  return (
    <section className="panel" data-testid="experiment-progress" data-experiment={progress.experimentId}>
      <div className="panel-head">
        <h2>
          Running: {progress.name}{' '}
          <Link href={`/experiments?id=${progress.experimentId}`} className="mono small">
            {progress.experimentId}
          </Link>
        </h2>
        {canStop ? (
          <button
            type="button"
            className="danger"
            disabled={progress.stopping || stop.isPending}
            onClick={() => stop.mutate({ id: progress.experimentId })}
            data-testid="experiment-stop"
          >
            {progress.stopping ? 'Stopping…' : 'Stop'}
          </button>
        ) : null}
      </div>
      <p data-testid="experiment-position">
        {progress.variant === null ? (
          'checking the target takes every variant…'
        ) : (
          <>
            {progress.warmup ? 'warm-up run (not counted) with ' : ''}variant{' '}
            <strong>{progress.variant}</strong>
            {progress.warmup ? null : (
              <>
                , repeat {progress.repeat} / {progress.repeats} · run {progress.position} of {progress.total}
              </>
            )}
          </>
        )}
      </p>
      <progress max={100} value={pct} aria-label="runs ended" />{' '}
      <span className="small muted">
        {progress.done} of {progress.total} runs ended
      </span>
      {progress.currentRunId ? (
        <p className="small" data-testid="experiment-current-run">
          Current run{' '}
          <Link href={`/runs/${progress.currentRunId}`} className="mono">
            {progress.currentRunId}
          </Link>{' '}
          <span className={`badge badge-${progress.runState ?? 'queued'}`}>{progress.runState}</span>
        </p>
      ) : null}
      {progress.waitingFor.length > 0 ? (
        <p className="small muted">
          waiting for other runs against the target to end: {progress.waitingFor.join(', ')}
        </p>
      ) : null}
      {stop.error ? (
        <p className="error-box" role="alert">
          {stop.error.message}
        </p>
      ) : null}
    </section>
  );
}
