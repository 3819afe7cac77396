'use client';
// Dashboard users (admins): create one with a role and a password (or a generated one, shown here
// once), and change the UI users in the table. Users from the environment are listed read-only.
// The server refuses non-admins.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import type { Role } from '../../lib/roles.ts';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../../lib/user-accounts.ts';
import { useTRPC } from '../../trpc/react.tsx';
import { useCan } from '../auth/session.tsx';
import { RoleOptions } from '../role-options.tsx';
import { UserRow } from './user-row.tsx';

/** A password to show once: generated at creation or at a reset. */
export interface ShownPassword {
  name: string;
  password: string;
  why: 'created' | 'reset';
}

export function UsersPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const isAdmin = useCan('admin');
  const users = useQuery({ ...trpc.users.list.queryOptions(), enabled: isAdmin });
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const [password, setPassword] = useState('');
  const [shown, setShown] = useState<ShownPassword | null>(null);
  const [rowError, setRowError] = useState<string | null>(null);

  const refresh = () => void queryClient.invalidateQueries({ queryKey: trpc.users.list.queryKey() });
  const create = useMutation(
    trpc.users.create.mutationOptions({
      onSuccess: (created) => {
        if (created.generatedPassword)
          setShown({ name: created.user.name, password: created.generatedPassword, why: 'created' });
        setName('');
        setPassword('');
        refresh();
      },
    }),
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setShown(null);
    setRowError(null);
    create.mutate({ name, role, ...(password === '' ? {} : { password }) });
  };

  if (!isAdmin)
    return (
      <p className="note" data-testid="users-not-allowed">
        Users are managed by admins.
      </p>
    );
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>Users</h1>
          <p className="muted">
            Who can sign in with a password. Users from the environment (<code>DASHBOARD_USERS</code>, or the
            generated admin) are changed where they are configured; those made here can have their role
            changed, their password reset, or be disabled — each of which signs them out. Every change is in
            the audit log.
          </p>
        </div>
      </div>
      <form className="panel audit-filters" onSubmit={submit} data-testid="user-form">
        <label className="field inline">
          <span className="field-label">Name</span>
          <input
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder="alice"
            required
            maxLength={64}
            autoComplete="off"
            data-testid="new-user-name"
          />
        </label>
        <label className="field inline">
          <span className="field-label">Role</span>
          <select value={role} onChange={(e) => setRole(e.target.value as Role)} data-testid="new-user-role">
            <RoleOptions />
          </select>
        </label>
        <label className="field inline">
          <span className="field-label">Password</span>
          <input
            type="password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            placeholder="empty: generated"
            title={`at least ${MIN_PASSWORD_LENGTH} characters; leave empty to have one generated (shown once)`}
            minLength={MIN_PASSWORD_LENGTH}
            maxLength={MAX_PASSWORD_LENGTH}
            autoComplete="new-password"
            data-testid="new-user-password"
          />
        </label>
        <button type="submit" className="primary" disabled={create.isPending} data-testid="new-user-create">
          Create user
        </button>
      </form>
      {shown ? (
        <section className="panel" data-testid="user-password-shown">
          <p>
            {shown.why === 'created' ? 'New user' : 'New password for'} <strong>{shown.name}</strong> — copy
            the password now, it will not be shown again:
          </p>
          <pre className="mono small" data-testid="user-secret">
            {shown.password}
          </pre>
          <button type="button" onClick={() => setShown(null)} data-testid="user-dismiss">
            Done
          </button>
        </section>
      ) : null}
      {create.error ? (
        <p className="error-box" role="alert" data-testid="user-error">
          {create.error.message}
          {create.error.data?.issues?.map((i) => ` · ${i.field}: ${i.message}`).join('')}
        </p>
      ) : rowError ? (
        <p className="error-box" role="alert" data-testid="user-error">
          {rowError}
        </p>
      ) : null}
      <section className="panel">
        {users.error ? (
          <p className="error-box">Could not read the users: {users.error.message}</p>
        ) : !users.data ? (
          <p className="muted">Loading…</p>
        ) : (
          <table className="table compact" data-testid="users-table">
            <thead>
              <tr>
                <th>Name</th>
                <th>Role</th>
                <th>Source</th>
                <th>State</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {users.data.map((u) => (
                <UserRow
                  key={u.name}
                  user={u}
                  onChanged={(change) => {
                    setRowError(null);
                    create.reset();
                    setShown(change.shown);
                    refresh();
                  }}
                  onError={(message) => {
                    create.reset();
                    setShown(null);
                    setRowError(message);
                  }}
                />
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
