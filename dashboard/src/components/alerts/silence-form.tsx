'use client';
// A new silence: label matchers (prefilled from an alert's labels), how long, and why. The server
// validates again (regular expressions, a silence that would match everything) and says why not.
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import type { MatcherView } from '../../lib/alert-view.ts';
import { useTRPC } from '../../trpc/react.tsx';

const DURATIONS = [
  { label: '15 minutes', ms: 15 * 60_000 },
  { label: '1 hour', ms: 3_600_000 },
  { label: '4 hours', ms: 4 * 3_600_000 },
  { label: '1 day', ms: 24 * 3_600_000 },
] as const;
const OPS = ['=', '!=', '=~', '!~'] as const;

export function SilenceForm({ initial, onDone }: { initial: MatcherView[]; onDone: () => void }) {
  const trpc = useTRPC();
  const [matchers, setMatchers] = useState<MatcherView[]>(
    initial.length > 0 ? initial : [{ name: '', op: '=', value: '' }],
  );
  const [durationMs, setDurationMs] = useState<number>(DURATIONS[1].ms);
  const [comment, setComment] = useState('');
  const silence = useMutation(trpc.alerts.silence.mutationOptions({ onSuccess: onDone }));
  const issues = silence.error?.data?.issues ?? [];
  const update = (i: number, patch: Partial<MatcherView>) =>
    setMatchers((list) => list.map((m, j) => (j === i ? { ...m, ...patch } : m)));

  return (
    <form
      className="silence-form stack"
      data-testid="silence-form"
      onSubmit={(e) => {
        e.preventDefault();
        silence.mutate({ matchers, endsAt: Date.now() + durationMs, comment });
      }}
    >
      <h3>New silence</h3>
      <div className="field">
        <span className="field-label">Matchers (all must match)</span>
        {matchers.map((m, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place; the index is their identity
          <div key={i} className="matcher-row" data-testid="matcher-row">
            <input
              aria-label="label name"
              value={m.name}
              onChange={(e) => update(i, { name: e.target.value })}
              placeholder="label"
            />
            <select
              aria-label="operator"
              value={m.op}
              onChange={(e) => update(i, { op: e.target.value as MatcherView['op'] })}
            >
              {OPS.map((op) => (
                <option key={op} value={op}>
                  {op}
                </option>
              ))}
            </select>
            <input
              aria-label="label value"
              value={m.value}
              onChange={(e) => update(i, { value: e.target.value })}
              placeholder="value"
            />
            <button type="button" onClick={() => setMatchers((list) => list.filter((_, j) => j !== i))}>
              Remove
            </button>
          </div>
        ))}
        <button
          type="button"
          onClick={() => setMatchers((list) => [...list, { name: '', op: '=', value: '' }])}
        >
          Add matcher
        </button>
      </div>
      <div className="form-grid">
        <label className="field">
          <span className="field-label">Duration</span>
          <select
            value={durationMs}
            onChange={(e) => setDurationMs(Number(e.target.value))}
            data-testid="silence-duration"
          >
            {DURATIONS.map((d) => (
              <option key={d.ms} value={d.ms}>
                {d.label}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field-label">Comment</span>
          <input
            value={comment}
            onChange={(e) => setComment(e.target.value)}
            placeholder="why (a ticket, a deploy…)"
            data-testid="silence-comment"
          />
        </label>
      </div>
      {silence.error ? (
        <p className="error-box" data-testid="silence-error">
          {issues.length > 0
            ? issues.map((i) => `${i.field}: ${i.message}`).join('; ')
            : silence.error.message}
        </p>
      ) : null}
      <div className="actions">
        <button type="submit" className="primary" disabled={silence.isPending} data-testid="silence-submit">
          Create silence
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
