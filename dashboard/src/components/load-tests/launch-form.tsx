'use client';
// Launch a k6 scenario: scenario, VUs, duration and a target from the allowlist. The server
// validates (the launcher's zod schema) and its messages appear next to the field they name.
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useState } from 'react';
import type { RunView } from '../../lib/run-view.ts';
import type { ScenarioOption } from '../../server/routers/runs.ts';
import { useTRPC } from '../../trpc/react.tsx';

interface Props {
  scenarios: readonly ScenarioOption[];
  targets: readonly string[];
  onLaunched: (run: RunView) => void;
}

export function LaunchForm({ scenarios, targets, onLaunched }: Props) {
  const trpc = useTRPC();
  const [scenario, setScenario] = useState(scenarios[0]?.name ?? '');
  const chosen = scenarios.find((s) => s.name === scenario);
  const [vus, setVus] = useState(String(startingVus(chosen)));
  const [duration, setDuration] = useState(startingDuration(chosen));

  function choose(name: string) {
    const next = scenarios.find((s) => s.name === name);
    setScenario(name);
    setVus(String(startingVus(next)));
    setDuration(startingDuration(next));
  }
  const [target, setTarget] = useState(targets[0] ?? '');
  const launch = useMutation(trpc.runs.launch.mutationOptions({ onSuccess: onLaunched }));

  const issues = launch.error?.data?.issues ?? [];
  const issueFor = (field: string) =>
    issues.find((i) => i.field === field || i.field.startsWith(`params.${field}`))?.message;
  const fieldNames = new Set(['scenario', 'vus', 'duration', 'target']);
  const otherIssues = issues.filter((i) => !fieldNames.has(i.field.replace(/^params\./, '')));

  function submit(event: FormEvent) {
    event.preventDefault();
    const n = Number(vus);
    launch.mutate({
      scenario,
      params: { vus: vus.trim() !== '' && Number.isFinite(n) ? n : vus, duration: duration.trim(), target },
    });
  }

  return (
    <form className="panel launch-form" onSubmit={submit} noValidate data-testid="launch-form">
      <h2>Launch a load test</h2>
      <div className="form-grid">
        <Field name="scenario" label="Scenario" error={issueFor('scenario')}>
          <select value={scenario} onChange={(e) => choose(e.target.value)} data-testid="scenario-select">
            {scenarios.map((s) => (
              <option key={s.name} value={s.name}>
                {s.name}
              </option>
            ))}
          </select>
        </Field>
        <Field
          name="vus"
          label="Virtual users"
          hint={
            chosen?.plan
              ? `peak; plan: ${chosen.plan.peakVus.toLocaleString('en')} (one machine: ~${LAPTOP_VUS})`
              : chosen
                ? `1–${chosen.limits.maxVus}`
                : undefined
          }
          error={issueFor('vus')}
        >
          <input
            inputMode="numeric"
            value={vus}
            onChange={(e) => setVus(e.target.value)}
            data-testid="vus-input"
          />
        </Field>
        <Field
          name="duration"
          label="Duration"
          hint={chosen ? `e.g. 30s, 5m (max ${chosen.limits.maxDuration})` : undefined}
          error={issueFor('duration')}
        >
          <input
            value={duration}
            onChange={(e) => setDuration(e.target.value)}
            data-testid="duration-input"
          />
        </Field>
        <Field name="target" label="Target" hint="from the allowlist" error={issueFor('target')}>
          <select
            id="field-target"
            value={target}
            onChange={(e) => setTarget(e.target.value)}
            data-testid="target-select"
          >
            {targets.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </Field>
      </div>
      {chosen ? <p className="muted small">{chosen.description}</p> : null}
      {chosen?.capacity ? <p className="muted small">{chosen.capacity}</p> : null}
      {launch.error && issues.length === 0 ? (
        <p className="error-box" data-testid="launch-error">
          {launch.error.message}
        </p>
      ) : null}
      {otherIssues.length > 0 ? (
        <p className="error-box" data-testid="launch-error">
          {otherIssues.map((i) => `${i.field}: ${i.message}`).join('; ')}
        </p>
      ) : null}
      <button
        type="submit"
        className="primary"
        disabled={launch.isPending || !scenario}
        data-testid="launch-button"
      >
        {launch.isPending ? 'Launching…' : 'Launch'}
      </button>
    </form>
  );
}

interface FieldProps {
  name: string;
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
  children: ReactNode;
}

function Field({ name, label, hint, error, children }: FieldProps) {
  return (
    <div className={error ? 'field invalid' : 'field'}>
      <label className="field-label" htmlFor={`field-${name}`}>
        {label}
      </label>
      {children}
      {error ? (
        <span className="field-error" role="alert" data-testid={`error-${name}`}>
          {error}
        </span>
      ) : hint ? (
        <span className="field-hint">{hint}</span>
      ) : null}
    </div>
  );
}

/**
 * Scaled scenarios open at what one machine of this size sustains, not at the plan's peak
 * (10,000–50,000 VUs would only measure the laptop); the plan's figures stay in the hint.
 */
const LAPTOP_VUS = 50;
function startingVus(s: ScenarioOption | undefined): number {
  if (!s) return 2;
  return s.plan ? Math.min(s.defaults.vus, LAPTOP_VUS) : s.defaults.vus;
}
function startingDuration(s: ScenarioOption | undefined): string {
  if (!s) return '20s';
  return s.plan ? '1m' : s.defaults.duration;
}
