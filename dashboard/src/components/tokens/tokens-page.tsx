'use client';
// API tokens (admins): create one for automation (the CLI, CI) with a role and an expiry — its
// secret is shown here once, right after creation — and revoke it. The server refuses non-admins.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import type { Role } from '../../lib/roles.ts';
import { useTRPC } from '../../trpc/react.tsx';
import { useCan } from '../auth/session.tsx';
import { RoleOptions } from '../role-options.tsx';

const EXPIRY_DAYS = [7, 30, 90, 365] as const;
const day = (t: number) => new Date(t).toLocaleDateString('en-CA');

export function TokensPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const isAdmin = useCan('admin');
  const tokens = useQuery({ ...trpc.tokens.list.queryOptions(), enabled: isAdmin });
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('qa');
  const [days, setDays] = useState<number>(30);
  const [shown, setShown] = useState<{ name: string; token: string } | null>(null);

  const refresh = () => void queryClient.invalidateQueries({ queryKey: trpc.tokens.list.queryKey() });
  const create = useMutation(
    trpc.tokens.create.mutationOptions({
      onSuccess: (created) => {
        setShown({ name: created.record.name, token: created.token });
        setName('');
        refresh();
      },
    }),
  );
  const revoke = useMutation(trpc.tokens.revoke.mutationOptions({ onSuccess: refresh }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setShown(null);
    create.mutate({ name, role, expiresInDays: days });
  };
  const error = create.error ?? revoke.error;

  if (!isAdmin)
    return (
      <p className="note" data-testid="tokens-not-allowed">
        API tokens are managed by admins.
      </p>
    );
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>API tokens</h1>
          <p className="muted">
            Service accounts for the CLI and CI: sent as <code>Authorization: Bearer …</code>, acting with the
            token&apos;s role. Every use is in the audit log.
          </p>
        </div>
      </div>
      <form className="panel audit-filters" onSubmit={submit} data-testid="token-form">
        <label className="field inline">
          <span className="field-label">Name</span>
          <input
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder="ci-nightly"
            required
            data-testid="token-name"
          />
        </label>
        <label className="field inline">
          <span className="field-label">Role</span>
          <select value={role} onChange={(e) => setRole(e.target.value as Role)} data-testid="token-role">
            <RoleOptions />
          </select>
        </label>
        <label className="field inline">
          <span className="field-label">Expires in</span>
          <select value={days} onChange={(e) => setDays(Number(e.target.value))} data-testid="token-expiry">
            {EXPIRY_DAYS.map((d) => (
              <option key={d} value={d}>
                {d} days
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="primary" disabled={create.isPending} data-testid="token-create">
          Create token
        </button>
      </form>
      {shown ? (
        <section className="panel" data-testid="token-shown">
          <p>
            Token <strong>{shown.name}</strong> — copy it now, it will not be shown again:
          </p>
          <pre className="mono small" data-testid="token-secret">
            {shown.token}
          </pre>
          <button type="button" onClick={() => setShown(null)} data-testid="token-dismiss">
            Done
          </button>
        </section>
      ) : null}
      {error ? (
        <p className="error-box" role="alert">
          {error.message}
          {error.data?.issues?.map((i) => ` · ${i.field}: ${i.message}`).join('')}
        </p>
      ) : null}
      <section className="panel">
        {tokens.error ? (
          <p className="error-box">Could not read the tokens: {tokens.error.message}</p>
        ) : !tokens.data ? (
          <p className="muted">Loading…</p>
        ) : tokens.data.length === 0 ? (
          <p className="muted" data-testid="tokens-empty">
            No API tokens yet.
          </p>
        ) : (
          <table className="table compact" data-testid="tokens-table">
            <thead>
              <tr>
                <th>Name</th>
                <th>Role</th>
                <th>Id</th>
                <th>Created</th>
                <th>Expires</th>
                <th>State</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {tokens.data.map((t) => (
                <tr key={t.id} data-testid="token-row" data-name={t.name} data-state={t.state}>
                  <td>{t.name}</td>
                  <td>{t.role}</td>
                  <td className="mono small">{t.id}</td>
                  <td className="small">
                    {day(t.createdAt)} by {t.createdBy}
                  </td>
                  <td className="small">{day(t.expiresAt)}</td>
                  <td>
                    <span className={t.state === 'active' ? 'badge' : 'badge badge-failed'}>
                      {t.state}
                      {t.state === 'revoked' && t.revokedBy ? ` by ${t.revokedBy}` : ''}
                    </span>
                  </td>
                  <td>
                    {t.state === 'active' ? (
                      <button
                        type="button"
                        className="danger"
                        disabled={revoke.isPending}
                        onClick={() => revoke.mutate({ id: t.id })}
                        data-testid="token-revoke"
                      >
                        Revoke
                      </button>
                    ) : null}
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
