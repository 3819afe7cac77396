'use client';
// Create a schedule: scenario and parameters as in the launch form, a cron, the time zone (the
// browser's by default) and an optional webhook or Slack URL for the completion notice. The server
// validates all of it; its messages appear under the form.
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { NOTIFY_FORMATS, type NotifyFormat } from '../../lib/schedule-view.ts';
import type { ScenarioOption } from '../../server/routers/runs.ts';
import { useTRPC } from '../../trpc/react.tsx';

interface Props {
  scenarios: readonly ScenarioOption[];
  targets: readonly string[];
}

const browserTimeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

export function ScheduleForm({ scenarios, targets }: Props) {
  const trpc = useTRPC();
  const [name, setName] = useState('');
  const [scenario, setScenario] = useState(scenarios[0]?.name ?? '');
  const chosen = scenarios.find((s) => s.name === scenario);
  const [vus, setVus] = useState(String(chosen?.defaults.vus ?? 1));
  const [duration, setDuration] = useState(chosen?.defaults.duration ?? '30s');
  const [target, setTarget] = useState(targets[0] ?? '');
  const [cron, setCron] = useState('0 3 * * *');
  const [timeZone, setTimeZone] = useState(browserTimeZone);
  const [notifyUrl, setNotifyUrl] = useState('');
  const [notifyFormat, setNotifyFormat] = useState<NotifyFormat>('webhook');
  const create = useMutation(
    trpc.schedules.create.mutationOptions({
      onSuccess: () => {
        setName('');
        // The URL may carry a secret (a Slack webhook's path): not kept on the page once saved.
        setNotifyUrl('');
      },
    }),
  );

  function choose(next: string) {
    const s = scenarios.find((x) => x.name === next);
    setScenario(next);
    setVus(String(s?.defaults.vus ?? 1));
    setDuration(s?.defaults.duration ?? '30s');
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const n = Number(vus);
    create.mutate({
      name: name.trim() || `${scenario} ${cron}`,
      scenario,
      params: { vus: vus.trim() !== '' && Number.isFinite(n) ? n : vus, duration: duration.trim(), target },
      cron,
      timeZone,
      notifyUrl: notifyUrl.trim(),
      notifyFormat,
    });
  }

  const issues = create.error?.data?.issues ?? [];
  return (
    <form className="panel launch-form" onSubmit={submit} noValidate data-testid="schedule-form">
      <h2>New schedule</h2>
      <div className="form-grid">
        <label className="field">
          <span className="field-label">Name</span>
          <input
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder="nightly smoke"
            data-testid="schedule-name"
          />
        </label>
        <label className="field">
          <span className="field-label">Scenario</span>
          <select value={scenario} onChange={(e) => choose(e.target.value)} data-testid="schedule-scenario">
            {scenarios.map((s) => (
              <option key={s.name} value={s.name}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field-label">VUs</span>
          <input
            value={vus}
            onChange={(e) => setVus(e.target.value)}
            inputMode="numeric"
            data-testid="schedule-vus"
          />
        </label>
        <label className="field">
          <span className="field-label">Duration</span>
          <input
            value={duration}
            onChange={(e) => setDuration(e.target.value)}
            data-testid="schedule-duration"
          />
        </label>
        <label className="field">
          <span className="field-label">Target</span>
          <select value={target} onChange={(e) => setTarget(e.target.value)} data-testid="schedule-target">
            {targets.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field-label">Cron (min hour day month weekday; optional leading seconds)</span>
          <input
            value={cron}
            onChange={(e) => setCron(e.target.value)}
            className="mono"
            data-testid="schedule-cron"
          />
        </label>
        <label className="field">
          <span className="field-label">Time zone (IANA)</span>
          <input value={timeZone} onChange={(e) => setTimeZone(e.target.value)} data-testid="schedule-tz" />
        </label>
        <label className="field">
          <span className="field-label">Notify on completion (optional http(s) URL)</span>
          <input
            value={notifyUrl}
            onChange={(e) => setNotifyUrl(e.target.value)}
            placeholder="https://hooks.slack.com/services/…"
            data-testid="schedule-notify"
          />
        </label>
        <label className="field">
          <span className="field-label">Notice format</span>
          <select
            value={notifyFormat}
            onChange={(e) => setNotifyFormat(e.target.value as NotifyFormat)}
            data-testid="schedule-notify-format"
          >
            {NOTIFY_FORMATS.map((f) => (
              <option key={f} value={f}>
                {f === 'slack' ? 'Slack incoming webhook' : 'JSON webhook'}
              </option>
            ))}
          </select>
        </label>
      </div>
      <button type="submit" className="primary" disabled={create.isPending} data-testid="schedule-create">
        Create schedule
      </button>
      {create.error ? (
        <p className="error-box" role="alert" data-testid="schedule-error">
          {issues.length > 0
            ? issues.map((i) => `${i.field}: ${i.message}`).join(' · ')
            : create.error.message}
        </p>
      ) : null}
    </form>
  );
}
