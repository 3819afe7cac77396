'use client';
// Scheduled runs: every schedule with its next due time, its last run (state and link, or why a
// due time was missed or skipped) and the latest completion notice; qa and admin pause, resume,
// delete and create them. The list streams over SSE: again after every change and run transition.
import { useMutation, useQuery } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import type { ScheduleView } from '../../lib/schedule-view.ts';
import { MISSED_RULE } from '../../lib/schedule-view.ts';
import { useTRPC } from '../../trpc/react.tsx';
import { useCan } from '../auth/session.tsx';
import { HoverPrefetchLink as Link } from '../hover-prefetch-link.tsx';
import { ScheduleForm } from './schedule-form.tsx';

const when = (t: number | null, timeZone?: string) =>
  t === null
    ? '—'
    : new Date(t).toLocaleString('en-GB', { timeZone, dateStyle: 'medium', timeStyle: 'medium' });

/** A run's size as given: peak VUs, or a scale of the plan; nothing when left at the scenario's default. */
const sizeOf = (p: Record<string, unknown>) =>
  p.vus !== undefined ? `${String(p.vus)} VUs` : p.scale !== undefined ? `scale ${String(p.scale)}` : '';

function LastRun({ s }: { s: ScheduleView }) {
  if (!s.last) return <span className="muted">never run</span>;
  if (s.last.type === 'launched' && s.lastRun)
    return (
      <span data-testid="schedule-last" data-state={s.lastRun.state} data-run-state={s.lastRun.state}>
        <span className={`badge badge-${s.lastRun.state}`}>{s.lastRun.state}</span>{' '}
        <Link href={`/runs/${s.lastRun.id}`} className="mono small">
          {s.lastRun.id}
        </Link>
      </span>
    );
  return (
    <span
      data-testid="schedule-last"
      data-state={s.last.type}
      data-run-state={s.lastRun?.state ?? ''}
      title={'reason' in s.last ? s.last.reason : ''}
    >
      <span className="badge badge-failed">{s.last.type}</span>{' '}
      <span className="small">{'reason' in s.last ? s.last.reason : ''}</span>
      {s.lastRun ? (
        <>
          {' '}
          · last run{' '}
          <Link href={`/runs/${s.lastRun.id}`} className="mono small">
            {s.lastRun.id}
          </Link>
        </>
      ) : null}
    </span>
  );
}

export function SchedulesPage() {
  const trpc = useTRPC();
  const canChange = useCan('qa');
  const live = useSubscription(trpc.schedules.live.subscriptionOptions());
  const list = { data: live.data, error: live.error };
  const catalogue = useQuery(trpc.runs.catalogue.queryOptions());
  // Each change comes back through the live stream: nothing to invalidate.
  const pause = useMutation(trpc.schedules.pause.mutationOptions());
  const resume = useMutation(trpc.schedules.resume.mutationOptions());
  const remove = useMutation(trpc.schedules.delete.mutationOptions());
  const busy = pause.isPending || resume.isPending || remove.isPending;
  const error = pause.error ?? resume.error ?? remove.error;

  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>Schedules</h1>
          <p className="muted">
            Load tests launched on a cron, in the schedule&apos;s time zone, each run launched by{' '}
            <code>schedule:&lt;id&gt;</code>. A due time is skipped while the schedule&apos;s previous run is
            still active. Missed runs: {MISSED_RULE}. When a run ends, its verdict against the scenario&apos;s
            baseline (the CI gate&apos;s) is posted to the schedule&apos;s URL.
          </p>
        </div>
      </div>
      {error ? (
        <p className="error-box" role="alert">
          {error.message}
        </p>
      ) : null}
      <section className="panel">
        {list.error ? (
          <p className="error-box">Could not read the schedules: {list.error.message}</p>
        ) : !list.data ? (
          <p className="muted">Loading…</p>
        ) : list.data.schedules.length === 0 ? (
          <p className="muted" data-testid="schedules-empty">
            No schedules yet.
          </p>
        ) : (
          <table className="table compact" data-testid="schedules-table">
            <thead>
              <tr>
                <th>Name</th>
                <th>Scenario</th>
                <th>Cron</th>
                <th>Next run</th>
                <th>Last run</th>
                <th>Notice</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {list.data.schedules.map((s) => (
                <tr key={s.id} data-testid="schedule-row" data-name={s.name} data-paused={s.paused}>
                  <td>
                    {s.name}
                    <div className="mono small muted">{s.id}</div>
                  </td>
                  <td className="small">
                    {[s.scenario, sizeOf(s.params), s.params.duration]
                      .filter(Boolean)
                      .map(String)
                      .join(' · ')}
                  </td>
                  <td className="small">
                    <code>{s.cron}</code> {s.timeZone}
                  </td>
                  <td className="small" data-testid="schedule-next">
                    {s.paused ? (
                      <span className="badge badge-pending" data-testid="schedule-paused">
                        paused
                      </span>
                    ) : (
                      `${when(s.nextRunAt, s.timeZone)} (${s.timeZone})`
                    )}
                  </td>
                  <td>
                    <LastRun s={s} />
                  </td>
                  <td className="small">
                    {s.lastNotice
                      ? `${s.lastNotice.verdict} · ${s.lastNotice.delivery}`
                      : s.notify
                        ? `${s.notify.format} → ${s.notify.origin}`
                        : '—'}
                  </td>
                  <td>
                    {canChange ? (
                      <span className="row-actions">
                        {s.paused ? (
                          <button
                            type="button"
                            disabled={busy}
                            onClick={() => resume.mutate({ id: s.id })}
                            data-testid="schedule-resume"
                          >
                            Resume
                          </button>
                        ) : (
                          <button
                            type="button"
                            disabled={busy}
                            onClick={() => pause.mutate({ id: s.id })}
                            data-testid="schedule-pause"
                          >
                            Pause
                          </button>
                        )}{' '}
                        <button
                          type="button"
                          className="danger"
                          disabled={busy}
                          onClick={() => remove.mutate({ id: s.id })}
                          data-testid="schedule-delete"
                        >
                          Delete
                        </button>
                      </span>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      {canChange && catalogue.data ? (
        <ScheduleForm scenarios={catalogue.data.scenarios} targets={catalogue.data.targets} />
      ) : null}
    </div>
  );
}
