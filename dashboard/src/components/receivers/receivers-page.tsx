'use client';
// Alert receivers (admins): where alerts go. The routing file's receivers are shown read-only (their
// URLs and keys are environment variables); admins add, edit and remove their own webhook, Slack and
// PagerDuty receivers here, and send one a test notification to see its answer. A secret is typed
// once and never shown back: the page only ever gets a masked hint. The server refuses non-admins.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import {
  RECEIVER_KIND_LABELS,
  RECEIVER_KINDS,
  type ReceiverKindName,
  type ReceiverRef,
  type ReceiverSource,
  type ReceiverTestAnswer,
  type ReceiverView,
} from '../../lib/receiver-input.ts';
import { useTRPC } from '../../trpc/react.tsx';
import { useCan } from '../auth/session.tsx';

const when = (t: number) => new Date(t).toISOString().replace('T', ' ').slice(0, 16);

function sourceText(source: ReceiverSource): string {
  switch (source.type) {
    case 'file':
      return `routing file ${source.path}; secret from the environment (${source.variable})`;
    case 'ui':
      return source.updatedAt > source.createdAt
        ? `added in the UI by ${source.createdBy} at ${when(source.createdAt)}; changed by ${source.updatedBy} at ${when(source.updatedAt)}`
        : `added in the UI by ${source.createdBy} at ${when(source.createdAt)}`;
    default: {
      const unknown: never = source;
      return String(unknown);
    }
  }
}

function answerText(a: ReceiverTestAnswer): string {
  if (a.httpStatus === null) return `no answer: ${a.error ?? 'unknown error'}`;
  return `HTTP ${a.httpStatus}${a.body ? ` · ${a.body}` : ''}`;
}

interface Draft {
  id: string | null;
  name: string;
  kind: ReceiverKindName;
  secret: string;
  channel: string;
  severity: string;
}
/** The form as the receivers router takes it; `secret` is the URL or the routing key by kind. */
function receiverOf<S extends string | undefined>(d: Draft, secret: S) {
  const severity = d.severity === '' ? null : d.severity;
  switch (d.kind) {
    case 'pagerduty':
      return { kind: d.kind, name: d.name, severity, routingKey: secret };
    case 'slack':
      return { kind: d.kind, name: d.name, severity, url: secret, channel: d.channel || undefined };
    default:
      return { kind: d.kind, name: d.name, severity, url: secret };
  }
}

/** The test procedure's reference to a receiver: a UI one by id, a routing-file one by name. */
const refOf = (r: ReceiverView): ReceiverRef => (r.id ? { id: r.id } : { file: r.name });
const keyOf = (ref: ReceiverRef) => ('id' in ref ? ref.id : `file:${ref.file}`);

const EMPTY: Draft = { id: null, name: '', kind: 'webhook', secret: '', channel: '', severity: '' };

export function ReceiversPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const isAdmin = useCan('admin');
  const list = useQuery({ ...trpc.receivers.list.queryOptions(), enabled: isAdmin });
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [answers, setAnswers] = useState<Record<string, ReceiverTestAnswer>>({});

  const refresh = () => void queryClient.invalidateQueries({ queryKey: trpc.receivers.list.queryKey() });
  const done = () => {
    setDraft(EMPTY);
    refresh();
  };
  const add = useMutation(trpc.receivers.add.mutationOptions({ onSuccess: done }));
  const edit = useMutation(trpc.receivers.edit.mutationOptions({ onSuccess: done }));
  const remove = useMutation(trpc.receivers.remove.mutationOptions({ onSuccess: refresh }));
  const test = useMutation(
    trpc.receivers.test.mutationOptions({
      onSuccess: (answer, input) => setAnswers((all) => ({ ...all, [keyOf(input)]: answer })),
    }),
  );

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const secret = draft.secret.trim() === '' ? undefined : draft.secret;
    // Editing: a secret left empty keeps the stored one. Adding: the server refuses an empty one.
    if (draft.id) edit.mutate({ id: draft.id, receiver: receiverOf(draft, secret) });
    else add.mutate(receiverOf(draft, secret ?? ''));
  };
  const startEdit = (r: ReceiverView) =>
    setDraft({
      id: r.id,
      name: r.name,
      kind: r.kind as ReceiverKindName,
      secret: '',
      channel: r.channel ?? '',
      severity: r.severity ?? '',
    });
  const error = add.error ?? edit.error ?? remove.error ?? test.error;

  if (!isAdmin)
    return (
      <p className="note" data-testid="receivers-not-allowed">
        Alert receivers are managed by admins.
      </p>
    );
  const secretLabel =
    draft.kind === 'pagerduty' ? 'Routing key' : draft.kind === 'slack' ? 'Slack webhook URL' : 'URL';
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>Receivers</h1>
          <p className="muted">
            Where alert notifications go. The routing file&apos;s receivers are read-only here (their URLs and
            keys are environment variables). A receiver added here gets every alert — or only those of one
            severity — beside the file&apos;s routes, from the next notification on. Its URL or key is stored
            encrypted and never shown again.
          </p>
        </div>
      </div>
      <form className="panel audit-filters" onSubmit={submit} data-testid="receiver-form">
        <label className="field inline">
          <span className="field-label">Name</span>
          <input
            value={draft.name}
            onChange={(e) => setDraft({ ...draft, name: e.target.value })}
            placeholder="oncall-hook"
            required
            data-testid="receiver-name"
          />
        </label>
        <label className="field inline">
          <span className="field-label">Kind</span>
          <select
            value={draft.kind}
            onChange={(e) => setDraft({ ...draft, kind: e.target.value as ReceiverKindName })}
            data-testid="receiver-kind"
          >
            {RECEIVER_KINDS.map((k) => (
              <option key={k} value={k}>
                {RECEIVER_KIND_LABELS[k]}
              </option>
            ))}
          </select>
        </label>
        <label className="field inline">
          <span className="field-label">{secretLabel}</span>
          <input
            type="password"
            autoComplete="off"
            value={draft.secret}
            onChange={(e) => setDraft({ ...draft, secret: e.target.value })}
            placeholder={
              draft.id
                ? 'unchanged (stored encrypted)'
                : draft.kind === 'pagerduty'
                  ? '32 characters'
                  : 'https://…'
            }
            data-testid="receiver-secret"
          />
        </label>
        {draft.kind === 'slack' ? (
          <label className="field inline">
            <span className="field-label">Channel</span>
            <input
              value={draft.channel}
              onChange={(e) => setDraft({ ...draft, channel: e.target.value })}
              placeholder="#oncall (optional)"
              data-testid="receiver-channel"
            />
          </label>
        ) : null}
        <label className="field inline">
          <span className="field-label">Alerts</span>
          <select
            value={draft.severity}
            onChange={(e) => setDraft({ ...draft, severity: e.target.value })}
            data-testid="receiver-severity"
          >
            <option value="">all alerts</option>
            {(list.data?.severities ?? []).map((s) => (
              <option key={s} value={s}>
                severity {s} only
              </option>
            ))}
          </select>
        </label>
        <button
          type="submit"
          className="primary"
          disabled={add.isPending || edit.isPending}
          data-testid={draft.id ? 'receiver-save' : 'receiver-add'}
        >
          {draft.id ? 'Save changes' : 'Add receiver'}
        </button>
        {draft.id ? (
          <button type="button" onClick={() => setDraft(EMPTY)} data-testid="receiver-cancel">
            Cancel
          </button>
        ) : null}
      </form>
      {error ? (
        <p className="error-box" role="alert" data-testid="receiver-error">
          {error.data?.issues?.length
            ? error.data.issues.map((i) => `${i.field}: ${i.message}`).join(' · ')
            : error.message}
        </p>
      ) : null}
      <section className="panel">
        {list.error ? (
          <p className="error-box">Could not read the receivers: {list.error.message}</p>
        ) : !list.data ? (
          <p className="muted">Loading…</p>
        ) : (
          <table className="table compact" data-testid="receivers-table">
            <thead>
              <tr>
                <th>Name</th>
                <th>Kind</th>
                <th>Sends to</th>
                <th>Alerts</th>
                <th>Source</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {list.data.receivers.map((r) => (
                <tr
                  key={r.id ?? `file:${r.name}`}
                  data-testid="receiver-row"
                  data-name={r.name}
                  data-source={r.source.type}
                >
                  <td>{r.name}</td>
                  <td>{r.kind}</td>
                  <td className="mono small" data-testid="receiver-hint">
                    {r.hint ?? '—'}
                    {r.channel ? ` ${r.channel}` : ''}
                  </td>
                  <td className="small">
                    {r.source.type === 'file'
                      ? 'by the file’s routes'
                      : r.severity
                        ? `severity ${r.severity}`
                        : 'all'}
                  </td>
                  <td className="small" data-testid="receiver-source">
                    {sourceText(r.source)}
                    {r.problem ? (
                      <span className="badge badge-failed" data-testid="receiver-problem">
                        {r.problem}
                      </span>
                    ) : null}
                    {answers[keyOf(refOf(r))] ? (
                      <div
                        className={answers[keyOf(refOf(r))]?.ok ? 'mono small' : 'mono small error-text'}
                        data-testid="receiver-test-answer"
                      >
                        Test: {answerText(answers[keyOf(refOf(r))]!)}
                      </div>
                    ) : null}
                  </td>
                  <td>
                    <span className="row-actions">
                      {r.problem === null ? (
                        <button
                          type="button"
                          disabled={test.isPending}
                          onClick={() => test.mutate(refOf(r))}
                          data-testid="receiver-test"
                        >
                          Send test
                        </button>
                      ) : null}
                      {r.id ? (
                        <>
                          <button type="button" onClick={() => startEdit(r)} data-testid="receiver-edit">
                            Edit
                          </button>
                          <button
                            type="button"
                            className="danger"
                            disabled={remove.isPending}
                            onClick={() => r.id && remove.mutate({ id: r.id })}
                            data-testid="receiver-remove"
                          >
                            Remove
                          </button>
                        </>
                      ) : (
                        <span className="muted small">read-only</span>
                      )}
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
