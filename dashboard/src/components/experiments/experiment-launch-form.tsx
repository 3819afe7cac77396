'use client';
// Launching an experiment (qa, admin): a shipped plan, how many repeats, each run's duration and
// VUs, and which variants run (the optimisations whose with/without variants both run are measured).
// The server checks the bounds and the role's run ceilings again; its refusal is shown as it says it.
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import type { RouterOutputs } from '../../trpc/react.tsx';
import { useTRPC } from '../../trpc/react.tsx';

type Plan = RouterOutputs['experiments']['plans'][number];

export function ExperimentLaunchForm({
  plans,
  onLaunched,
}: {
  plans: Plan[];
  onLaunched: (id: string) => void;
}) {
  const trpc = useTRPC();
  const [planName, setPlanName] = useState(plans[0]?.name ?? '');
  const plan = plans.find((p) => p.name === planName) ?? plans[0];
  const [repeats, setRepeats] = useState(String(plan?.repeats ?? 3));
  const [duration, setDuration] = useState(String(plan?.params.duration ?? '75s'));
  const [vus, setVus] = useState(String(plan?.params.vus ?? ''));
  const [warmupRuns, setWarmupRuns] = useState(String(plan?.warmupRuns ?? 0));
  const [skipped, setSkipped] = useState<Set<string>>(new Set());
  const launch = useMutation(trpc.experiments.launch.mutationOptions({ onSuccess: (r) => onLaunched(r.id) }));
  if (!plan) return null;
  const variants = plan.variants.filter((v) => !skipped.has(v));
  const runs = variants.length * Number(repeats || 0) + Number(warmupRuns || 0);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    launch.mutate({
      plan: plan.name,
      overrides: {
        repeats: Number(repeats),
        warmupRuns: Number(warmupRuns),
        duration,
        ...(vus ? { vus: Number(vus) } : {}),
        ...(skipped.size > 0 ? { variants } : {}),
      },
    });
  };
  const toggle = (v: string) =>
    setSkipped((prev) => {
      const next = new Set(prev);
      if (next.has(v)) next.delete(v);
      else next.add(v);
      return next;
    });

  return (
    <form className="panel launch-form" onSubmit={submit} noValidate data-testid="experiment-launch-form">
      <h2>Launch an experiment</h2>
      <p className="muted small">
        {plan.description ?? plan.name}: scenario {plan.scenario}, every variant once per round, rounds
        repeated; the target is switched before each run and put back at the end, when stopped or when it
        fails.
      </p>
      <div className="form-grid">
        <label className="field">
          <span className="field-label">Plan</span>
          <select
            value={plan.name}
            onChange={(e) => setPlanName(e.target.value)}
            data-testid="experiment-plan"
          >
            {plans.map((p) => (
              <option key={p.name} value={p.name}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field-label">Repeats</span>
          <input
            type="number"
            min={2}
            max={10}
            value={repeats}
            onChange={(e) => setRepeats(e.target.value)}
            data-testid="experiment-repeats"
          />
          <span className="field-hint">2–10 runs of each variant</span>
        </label>
        <label className="field">
          <span className="field-label">Run duration</span>
          <input
            value={duration}
            onChange={(e) => setDuration(e.target.value)}
            data-testid="experiment-duration"
          />
          <span className="field-hint">k6 duration, e.g. 30s or 2m</span>
        </label>
        <label className="field">
          <span className="field-label">VUs</span>
          <input
            type="number"
            min={1}
            value={vus}
            onChange={(e) => setVus(e.target.value)}
            data-testid="experiment-vus"
          />
        </label>
        <label className="field">
          <span className="field-label">Warm-up runs</span>
          <input
            type="number"
            min={0}
            max={3}
            value={warmupRuns}
            onChange={(e) => setWarmupRuns(e.target.value)}
            data-testid="experiment-warmup"
          />
        </label>
      </div>
      <fieldset className="small">
        <legend>Variants</legend>
        {plan.variants.map((v) => (
          <label key={v} style={{ marginRight: '1rem', whiteSpace: 'nowrap' }}>
            <input
              type="checkbox"
              checked={!skipped.has(v)}
              onChange={() => toggle(v)}
              data-testid={`experiment-variant-${v}`}
            />{' '}
            {v}
          </label>
        ))}
      </fieldset>
      <p className="small muted">
        {runs} runs of {duration} each (plus start-up).
      </p>
      {launch.error ? (
        <p className="error-box" role="alert" data-testid="experiment-launch-error">
          {launch.error.message}
        </p>
      ) : null}
      <button type="submit" className="primary" disabled={launch.isPending} data-testid="experiment-launch">
        {launch.isPending ? 'Launching…' : 'Launch experiment'}
      </button>
    </form>
  );
}
