'use client';
// Experiments (issue 23): what each of the plan's optimisations measurably buys. The running one's
// progress streams over SSE (experiments.live); the list shows each experiment's state and its
// verdicts counted; qa and admin launch (a shipped plan with repeats, run duration, VUs and
// variants) and stop; `?id=` opens one experiment's results.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import { useRouter } from 'next/navigation';
import type { ExperimentRow } from '../../lib/experiment-view.ts';
import { useTRPC } from '../../trpc/react.tsx';
import { useCan } from '../auth/session.tsx';
import { HoverPrefetchLink as Link } from '../hover-prefetch-link.tsx';
import { ExperimentStateBadge, VERDICT_ORDER, VerdictBadge } from './experiment-badges.tsx';
import { ExperimentLaunchForm } from './experiment-launch-form.tsx';
import { ExperimentProgressPanel } from './experiment-progress.tsx';
import { ExperimentResults } from './experiment-results.tsx';

const when = (t: number) => new Date(t).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'medium' });

function Verdicts({ row }: { row: ExperimentRow }) {
  const present = VERDICT_ORDER.filter((v) => row.verdicts[v]);
  if (present.length === 0) return <span className="muted">—</span>;
  return (
    <span className="row-actions">
      {present.map((v) => (
        <span key={v} data-testid={`verdict-count-${v.replace(' ', '-')}`}>
          {row.verdicts[v]} <VerdictBadge verdict={v} />
        </span>
      ))}
    </span>
  );
}

export function ExperimentsPage({ selected }: { selected: string | null }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const canLaunch = useCan('qa');
  const list = useQuery(trpc.experiments.list.queryOptions());
  const plans = useQuery({ ...trpc.experiments.plans.queryOptions(), enabled: canLaunch });
  const one = useQuery({
    ...trpc.experiments.get.queryOptions({ id: selected ?? '' }),
    enabled: selected !== null,
  });
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: trpc.experiments.list.queryKey() });
    if (selected)
      void queryClient.invalidateQueries({ queryKey: trpc.experiments.get.queryKey({ id: selected }) });
  };
  // Progress live; the list and the open experiment read again when a run or the experiment ends.
  const live = useSubscription(
    trpc.experiments.live.subscriptionOptions(undefined, {
      onData: (event) => {
        if (event.ended || event.progress?.runState === 'finished' || event.progress === null) refresh();
      },
    }),
  );
  const progress = live.data ? live.data.progress : (list.data?.progress ?? null);

  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>Experiments</h1>
          <p className="muted">
            What each of the plan&apos;s optimisations buys: ordinary load-test runs of one scenario against
            variants of the target&apos;s settings (switched through its admin API), interleaved and repeated;
            per optimisation the measured effect with its 95 % interval beside the plan&apos;s claim, and the
            overall score before and after beside the plan&apos;s 47 and 95. One runs at a time.
          </p>
        </div>
      </div>
      {progress ? <ExperimentProgressPanel progress={progress} /> : null}
      {selected ? (
        one.error ? (
          <p className="error-box">
            Could not read {selected}: {one.error.message}
          </p>
        ) : one.data ? (
          <ExperimentResults experiment={one.data.experiment} kpis={one.data.kpis} />
        ) : (
          <p className="muted">Loading…</p>
        )
      ) : null}
      <section className="panel">
        <h2>Experiments</h2>
        {list.error ? (
          <p className="error-box">Could not read the experiments: {list.error.message}</p>
        ) : !list.data ? (
          <p className="muted">Loading…</p>
        ) : list.data.experiments.length === 0 ? (
          <p className="muted" data-testid="experiments-empty">
            No experiments yet.
          </p>
        ) : (
          <table className="table compact" data-testid="experiments-table">
            <thead>
              <tr>
                <th>Name</th>
                <th>State</th>
                <th>Started</th>
                <th>Runs</th>
                <th>Verdicts</th>
              </tr>
            </thead>
            <tbody>
              {list.data.experiments.map((row) => (
                <tr
                  key={row.id}
                  className={row.id === selected ? 'selected' : undefined}
                  data-testid="experiment-row"
                  data-id={row.id}
                  data-state={row.state}
                >
                  <td>
                    <Link href={`/experiments?id=${row.id}`}>{row.name}</Link>
                    <div className="mono small muted">{row.id}</div>
                  </td>
                  <td title={row.reason ?? ''}>
                    <ExperimentStateBadge state={row.state} />
                  </td>
                  <td className="small">
                    {when(row.createdAt)}
                    <div className="muted">by {row.launchedBy}</div>
                  </td>
                  <td>
                    {row.runs} / {row.total}
                  </td>
                  <td>
                    <Verdicts row={row} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      {canLaunch && plans.data && !progress ? (
        <ExperimentLaunchForm
          plans={plans.data}
          onLaunched={(id) => {
            refresh();
            router.push(`/experiments?id=${id}`);
          }}
        />
      ) : null}
    </div>
  );
}
