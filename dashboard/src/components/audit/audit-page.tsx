'use client';
// The audit log (admins): who signed in, launched, stopped, silenced, acknowledged or changed what.
// Filters live in the URL (?window=24h&actor=quinn&action=run.launch) so a view can be shared.
import { useQuery } from '@tanstack/react-query';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { type FormEvent, useState } from 'react';
import { AUDIT_ACTIONS, isAuditAction } from '../../lib/audit-actions.ts';
import { formatClock } from '../../lib/format.ts';
import { useTRPC } from '../../trpc/react.tsx';

const WINDOWS = { '1h': 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000 } as const;
type WindowKey = keyof typeof WINDOWS;
const isWindow = (v: string | null): v is WindowKey => v !== null && v in WINDOWS;

function describeDetails(details: Record<string, unknown>): string {
  const entries = Object.entries(details);
  if (entries.length === 0) return '';
  return entries.map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`).join(' · ');
}

export function AuditPage() {
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const windowParam = params.get('window');
  const windowKey: WindowKey = isWindow(windowParam) ? windowParam : '24h';
  const actor = params.get('actor') ?? '';
  const action = params.get('action') ?? '';
  const [actorDraft, setActorDraft] = useState(actor);
  // Rounded to the minute so the query key (and the cache) stays put between renders.
  const [toMs] = useState(() => Date.now() + 60_000);

  const audit = useQuery(
    trpc.audit.list.queryOptions(
      {
        fromMs: toMs - WINDOWS[windowKey],
        actor: actor || undefined,
        action: isAuditAction(action) ? action : undefined,
        limit: 500,
      },
      { refetchInterval: 10_000 },
    ),
  );

  const setParam = (key: string, value: string) => {
    const next = new URLSearchParams(params.toString());
    if (value) next.set(key, value);
    else next.delete(key);
    router.replace(`${pathname}?${next.toString()}`, { scroll: false });
  };
  const submitActor = (e: FormEvent) => {
    e.preventDefault();
    setParam('actor', actorDraft.trim());
  };

  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>Audit log</h1>
          <p className="muted">
            Sign-ins, launches, stops, silences, acknowledgements and configuration changes.
          </p>
        </div>
      </div>
      <form className="panel audit-filters" onSubmit={submitActor} data-testid="audit-filters">
        <label className="field inline">
          <span className="field-label">Window</span>
          <select
            value={windowKey}
            onChange={(e) => setParam('window', e.target.value)}
            data-testid="audit-window"
          >
            {Object.keys(WINDOWS).map((k) => (
              <option key={k} value={k}>
                last {k}
              </option>
            ))}
          </select>
        </label>
        <label className="field inline">
          <span className="field-label">Action</span>
          <select
            value={action}
            onChange={(e) => setParam('action', e.target.value)}
            data-testid="audit-action"
          >
            <option value="">any</option>
            {AUDIT_ACTIONS.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </label>
        <label className="field inline">
          <span className="field-label">User</span>
          <input
            value={actorDraft}
            onChange={(e) => setActorDraft(e.target.value)}
            onBlur={() => setParam('actor', actorDraft.trim())}
            placeholder="any"
            data-testid="audit-actor"
          />
        </label>
      </form>
      <section className="panel">
        {audit.error ? (
          <p className="error-box">Could not read the audit log: {audit.error.message}</p>
        ) : !audit.data ? (
          <p className="muted">Loading…</p>
        ) : audit.data.entries.length === 0 ? (
          <p className="muted" data-testid="audit-empty">
            Nothing recorded in this window{actor || action ? ' for these filters' : ''}.
          </p>
        ) : (
          <table className="table compact" data-testid="audit-table">
            <thead>
              <tr>
                <th>Time</th>
                <th>User</th>
                <th>Role</th>
                <th>Action</th>
                <th>Target</th>
                <th>Details</th>
              </tr>
            </thead>
            <tbody>
              {audit.data.entries.map((e) => (
                <tr
                  key={`${e.at}-${e.actor}-${e.action}-${e.target}`}
                  data-testid="audit-row"
                  data-action={e.action}
                >
                  <td className="mono small">
                    {new Date(e.at).toLocaleDateString('en-CA')} {formatClock(e.at)}
                  </td>
                  <td>{e.actor}</td>
                  <td className="muted">{e.role || '—'}</td>
                  <td>
                    <span className={e.action === 'sign-in-failed' ? 'badge badge-failed' : 'badge'}>
                      {e.action}
                    </span>
                  </td>
                  <td className="mono small">{e.target || '—'}</td>
                  <td className="small muted">{describeDetails(e.details)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
