'use client';
// The sign-in form: user name and password; on success, back to the page that sent us here.
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { safeNext } from '../../lib/safe-next.ts';
import { useTRPC } from '../../trpc/react.tsx';

export function SignInForm({
  next,
  sso,
  ssoError,
}: {
  next: string | null;
  /** Whether single sign-on (OIDC) is configured. */
  sso: boolean;
  /** Why the last single sign-on attempt failed, from the callback's redirect. */
  ssoError: string | null;
}) {
  const trpc = useTRPC();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const signIn = useMutation(
    trpc.auth.signIn.mutationOptions({
      // A full load, so the layout reads the new session cookie.
      onSuccess: () => window.location.assign(safeNext(next)),
    }),
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    signIn.mutate({ name, password });
  };
  return (
    <form className="panel signin" onSubmit={submit} data-testid="signin-form">
      <h1>Sign in</h1>
      {ssoError ? (
        <p className="error-box" role="alert" data-testid="sso-error">
          {ssoError}
        </p>
      ) : null}
      {sso ? (
        <>
          <a
            className="button primary"
            href={`/api/auth/oidc/login?next=${encodeURIComponent(safeNext(next))}`}
            data-testid="sso-signin"
          >
            Sign in with single sign-on
          </a>
          <p className="small muted">or with a local account:</p>
        </>
      ) : null}
      <label className="field">
        <span className="field-label">User name</span>
        <input
          name="username"
          autoComplete="username"
          value={name}
          onChange={(e) => setName(e.target.value)}
          required
          data-testid="signin-name"
        />
      </label>
      <label className="field">
        <span className="field-label">Password</span>
        <input
          name="password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          required
          data-testid="signin-password"
        />
      </label>
      {signIn.error ? (
        <p className="error-box" role="alert" data-testid="signin-error">
          {signIn.error.message}
        </p>
      ) : null}
      <button type="submit" className="primary" disabled={signIn.isPending} data-testid="signin-submit">
        {signIn.isPending || signIn.isSuccess ? 'Signing in…' : 'Sign in'}
      </button>
      <p className="small muted">
        Users come from DASHBOARD_USERS. On a laptop without it, the dashboard printed an admin password at
        its first start.
      </p>
    </form>
  );
}
