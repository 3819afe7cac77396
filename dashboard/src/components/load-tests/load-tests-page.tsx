'use client';
// The Load tests page: launch form, the selected run live (?run=<id>), and recent runs.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useEffect } from 'react';
import { runsNewestFirst } from '../../lib/run-stream.ts';
import { mergeRuns, type RunView } from '../../lib/run-view.ts';
import { useTRPC } from '../../trpc/react.tsx';
import { useCan } from '../auth/session.tsx';
import { useLiveRuns } from '../use-live.ts';
import { useNow } from '../use-now.ts';
import { LaunchForm } from './launch-form.tsx';
import { RunList } from './run-list.tsx';
import { RunPanel } from './run-panel.tsx';

export function LoadTestsPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const selectedId = searchParams.get('run');
  const now = useNow();
  const canLaunch = useCan('qa');

  const catalogue = useQuery(trpc.runs.catalogue.queryOptions());
  const stored = useQuery(trpc.runs.list.queryOptions());
  const live = useLiveRuns();
  const liveRuns = runsNewestFirst(live);
  const runs = mergeRuns(liveRuns, stored.data?.runs ?? []);
  const selected = runs.find((r) => r.id === selectedId);
  const fetched = useQuery(
    trpc.runs.get.queryOptions({ id: selectedId ?? '' }, { enabled: !!selectedId && !selected }),
  );
  const shown: RunView | undefined = selected ?? fetched.data;

  // A run that just ended has its result in cp_runs now: refresh the stored list once.
  const endedCount = liveRuns.filter((r) => r.endedAt !== null).length;
  useEffect(() => {
    if (endedCount > 0) void queryClient.invalidateQueries({ queryKey: trpc.runs.list.queryKey() });
  }, [endedCount, queryClient, trpc]);

  const select = (run: RunView) =>
    router.replace(`${pathname}?run=${encodeURIComponent(run.id)}`, { scroll: false });

  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>Load tests</h1>
          <p className="muted">Run k6 scenarios against an allowed target and watch them live.</p>
        </div>
      </div>
      {!canLaunch ? (
        <p className="note" data-testid="launch-not-allowed">
          Viewers can watch runs; launching and stopping them needs the qa or admin role.
        </p>
      ) : catalogue.data ? (
        <LaunchForm
          scenarios={catalogue.data.scenarios}
          targets={catalogue.data.targets}
          onLaunched={select}
        />
      ) : catalogue.error ? (
        <p className="error-box">Could not load scenarios: {catalogue.error.message}</p>
      ) : (
        <p className="muted">Loading scenarios…</p>
      )}
      {live.error ? <p className="error-box">Live run updates lost: {live.error}</p> : null}
      {shown ? (
        <RunPanel run={shown} history={live.history[shown.id] ?? []} now={now} />
      ) : selectedId && fetched.error ? (
        <p className="error-box">{fetched.error.message}</p>
      ) : null}
      <section className="panel">
        <h2>Recent runs</h2>
        {stored.data?.storeError ? <p className="note">{stored.data.storeError}</p> : null}
        <RunList runs={runs} selectedId={shown?.id ?? null} now={now} />
      </section>
    </div>
  );
}
