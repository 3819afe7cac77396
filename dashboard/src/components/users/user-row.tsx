'use client';
// One user in the Users table. A user from the environment is read-only; a UI user's role is a
// select (changed at once), its password can be reset (to a given one, or a generated one shown
// once) and it can be disabled or enabled again.
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import type { Role } from '../../lib/roles.ts';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, type UserAccountView } from '../../lib/user-accounts.ts';
import { useTRPC } from '../../trpc/react.tsx';
import { useSessionUser } from '../auth/session.tsx';
import { RoleOptions } from '../role-options.tsx';
import type { ShownPassword } from './users-page.tsx';

const day = (t: number) => new Date(t).toLocaleDateString('en-CA');

interface Failure {
  message: string;
  data?: { issues?: { field: string; message: string }[] | null } | null;
}
const messageOf = (error: Failure) =>
  `${error.message}${error.data?.issues?.map((i) => ` · ${i.field}: ${i.message}`).join('') ?? ''}`;

export function UserRow({
  user,
  onChanged,
  onError,
}: {
  user: UserAccountView;
  onChanged: (change: { shown: ShownPassword | null }) => void;
  onError: (message: string) => void;
}) {
  const trpc = useTRPC();
  // The server refuses a self-disable; the button is not offered.
  const isSelf = useSessionUser()?.name === user.name;
  const [resetting, setResetting] = useState(false);
  const [password, setPassword] = useState('');
  const handlers = {
    onSuccess: () => onChanged({ shown: null }),
    onError: (error: Failure) => onError(messageOf(error)),
  };
  const setRole = useMutation(trpc.users.setRole.mutationOptions(handlers));
  const setDisabled = useMutation(trpc.users.setDisabled.mutationOptions(handlers));
  const reset = useMutation(
    trpc.users.resetPassword.mutationOptions({
      onSuccess: (done) => {
        setResetting(false);
        setPassword('');
        onChanged({
          shown: done.generatedPassword
            ? { name: done.user.name, password: done.generatedPassword, why: 'reset' }
            : null,
        });
      },
      onError: handlers.onError,
    }),
  );
  const busy = setRole.isPending || setDisabled.isPending || reset.isPending;
  const submitReset = (e: FormEvent) => {
    e.preventDefault();
    reset.mutate({ name: user.name, ...(password === '' ? {} : { password }) });
  };

  const state = user.disabled ? 'disabled' : 'enabled';
  return (
    <tr data-testid="user-row" data-name={user.name} data-source={user.source} data-state={state}>
      <td>
        {user.name}
        {isSelf ? <span className="muted small"> (you)</span> : null}
      </td>
      <td>
        {user.source === 'environment' ? (
          <span data-testid="user-row-role">{user.role}</span>
        ) : (
          <select
            value={user.role}
            disabled={busy}
            aria-label={`role of ${user.name}`}
            onChange={(e) => setRole.mutate({ name: user.name, role: e.target.value as Role })}
            data-testid="user-row-role"
          >
            <RoleOptions />
          </select>
        )}
      </td>
      <td className="small" data-testid="user-source">
        {user.source === 'environment'
          ? `environment (${user.origin}), read-only`
          : `UI, by ${user.createdBy} on ${day(user.createdAt)}`}
      </td>
      <td>
        <span className={user.disabled ? 'badge badge-failed' : 'badge'}>{state}</span>
      </td>
      <td>
        {user.source === 'ui' ? (
          <div className="row-actions">
            {resetting ? (
              <form onSubmit={submitReset} className="inline-form">
                <input
                  type="password"
                  value={password}
                  onChange={(e) => setPassword(e.target.value)}
                  placeholder="empty: generate one"
                  aria-label={`new password for ${user.name}`}
                  minLength={MIN_PASSWORD_LENGTH}
                  maxLength={MAX_PASSWORD_LENGTH}
                  autoComplete="new-password"
                  data-testid="user-reset-password"
                />
                <button type="submit" disabled={busy} data-testid="user-reset-confirm">
                  Reset
                </button>
                <button type="button" onClick={() => setResetting(false)}>
                  Cancel
                </button>
              </form>
            ) : (
              <button
                type="button"
                disabled={busy}
                onClick={() => setResetting(true)}
                data-testid="user-reset"
              >
                Reset password
              </button>
            )}{' '}
            {user.disabled ? (
              <button
                type="button"
                disabled={busy}
                onClick={() => setDisabled.mutate({ name: user.name, disabled: false })}
                data-testid="user-enable"
              >
                Enable
              </button>
            ) : isSelf ? null : (
              <button
                type="button"
                className="danger"
                disabled={busy}
                onClick={() => setDisabled.mutate({ name: user.name, disabled: true })}
                data-testid="user-disable"
              >
                Disable
              </button>
            )}
          </div>
        ) : null}
      </td>
    </tr>
  );
}
