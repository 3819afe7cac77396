'use client';
// The target's chaos settings: shown to everyone (they explain what the charts show), changed by
// admins only — the form is hidden from other roles and the server refuses them anyway.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { formatMs, formatPercent } from '../../lib/format.ts';
import type { ChaosSettings, ChaosState } from '../../server/target-chaos.ts';
import { useTRPC } from '../../trpc/react.tsx';
import { useCan } from '../auth/session.tsx';
import { describeScope, RouteScopeField } from './route-scope-field.tsx';

const FIELDS = [
  { key: 'latencyMs', label: 'Added latency (ms)', max: 30_000 },
  { key: 'jitterMs', label: 'Jitter (ms, 0–30000)', max: 30_000 },
  { key: 'errorRate', label: 'Error rate (0–1)', max: 1 },
  { key: 'slowQueryMs', label: 'Slow DB queries (ms)', max: 30_000 },
  { key: 'memoryLeakMbPerSec', label: 'Memory leak (MB/s)', max: 100 },
  { key: 'cpuBurn', label: 'CPU burn (0–0.95)', max: 0.95 },
] as const satisfies readonly { key: keyof ChaosSettings; label: string; max: number }[];
type NumberField = (typeof FIELDS)[number]['key'];

function settingsOf(state: ChaosState): ChaosSettings {
  const { updatedAt: _updatedAt, ...settings } = state;
  return settings;
}

function summary(state: ChaosState): string {
  const parts = [
    state.latencyMs > 0 ? `+${formatMs(state.latencyMs)} latency` : null,
    state.jitterMs > 0 ? `+0–${formatMs(state.jitterMs)} jitter` : null,
    state.errorRate > 0 ? `${formatPercent(state.errorRate)} errors` : null,
    state.cacheEnabled ? null : 'cache off',
    state.slowQueryMs > 0 ? `slow queries +${formatMs(state.slowQueryMs)}` : null,
    state.memoryLeakMbPerSec > 0 ? `leaking ${state.memoryLeakMbPerSec} MB/s` : null,
    state.cpuBurn > 0 ? `CPU burn ${formatPercent(state.cpuBurn)}` : null,
  ].filter((p) => p !== null);
  return parts.length === 0 ? 'no chaos: the target runs normally' : parts.join(' · ');
}

export function ChaosPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const isAdmin = useCan('admin');
  const state = useQuery(trpc.chaos.state.queryOptions());
  const [draft, setDraft] = useState<ChaosSettings | null>(null);
  const current = state.data?.state ?? null;
  useEffect(() => {
    if (current && draft === null) setDraft(settingsOf(current));
  }, [current, draft]);

  const refresh = (next: ChaosState) => {
    setDraft(settingsOf(next));
    void queryClient.invalidateQueries({ queryKey: trpc.chaos.state.queryKey() });
  };
  const save = useMutation(trpc.chaos.set.mutationOptions({ onSuccess: refresh }));
  const reset = useMutation(trpc.chaos.reset.mutationOptions({ onSuccess: refresh }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (draft) save.mutate(draft);
  };
  const setNumber = (key: NumberField, value: string) =>
    setDraft((d) => (d ? { ...d, [key]: value === '' ? 0 : Number(value) } : d));
  const error = save.error ?? reset.error;

  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>Chaos</h1>
          <p className="muted">
            Faults injected into the target{state.data ? ` (${state.data.target})` : ''}, to prove the charts,
            scores and alerts notice.
          </p>
        </div>
      </div>
      {state.data?.error ? (
        <p className="error-box">Could not read the target&apos;s chaos settings: {state.data.error}</p>
      ) : null}
      {current ? (
        <section className="panel">
          <h2>Now</h2>
          <p data-testid="chaos-summary">{summary(current)}</p>
          <p className="small">
            Latency, jitter and errors apply to{' '}
            <span data-testid="chaos-scope">{describeScope(current.routes)}</span>; the other faults are
            process-wide.
          </p>
          <p className="small muted">changed {new Date(current.updatedAt).toLocaleString('en-GB')}</p>
        </section>
      ) : null}
      {!isAdmin ? (
        <p className="note" data-testid="chaos-not-allowed">
          Changing chaos needs the admin role.
        </p>
      ) : draft ? (
        <form className="panel chaos-form" onSubmit={submit} data-testid="chaos-form">
          <h2>Change</h2>
          <div className="chaos-fields">
            {FIELDS.map((f) => (
              <label key={f.key} className="field">
                <span className="field-label">{f.label}</span>
                <input
                  type="number"
                  min={0}
                  max={f.max}
                  step="any"
                  value={draft[f.key]}
                  onChange={(e) => setNumber(f.key, e.target.value)}
                  data-testid={`chaos-${f.key}`}
                />
              </label>
            ))}
            <label className="field">
              <span className="field-label">Response cache</span>
              <select
                value={draft.cacheEnabled ? 'on' : 'off'}
                onChange={(e) => setDraft({ ...draft, cacheEnabled: e.target.value === 'on' })}
                data-testid="chaos-cache"
              >
                <option value="on">on</option>
                <option value="off">off</option>
              </select>
            </label>
          </div>
          <RouteScopeField
            knownRoutes={state.data?.knownRoutes ?? []}
            selected={draft.routes}
            onChange={(routes) => setDraft({ ...draft, routes })}
          />
          {error ? (
            <p className="error-box" role="alert">
              {error.message}
              {error.data?.issues?.map((i) => ` · ${i.field}: ${i.message}`).join('')}
            </p>
          ) : null}
          <div className="run-actions">
            <button type="submit" className="primary" disabled={save.isPending} data-testid="chaos-apply">
              Apply
            </button>
            <button
              type="button"
              className="danger"
              onClick={() => reset.mutate()}
              disabled={reset.isPending}
              data-testid="chaos-reset"
            >
              Reset to no chaos
            </button>
          </div>
        </form>
      ) : null}
    </div>
  );
}
