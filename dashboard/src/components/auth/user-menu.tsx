'use client';
// Who is signed in, with which role, and the way out.
import { useMutation } from '@tanstack/react-query';
import { useTRPC } from '../../trpc/react.tsx';
import { useSessionUser } from './session.tsx';

export function UserMenu() {
  const user = useSessionUser();
  const trpc = useTRPC();
  const signOut = useMutation(
    trpc.auth.signOut.mutationOptions({ onSettled: () => window.location.assign('/signin') }),
  );
  if (!user) return null;
  return (
    <details className="user-menu" data-testid="user-menu">
      <summary>
        <span data-testid="user-name">{user.name}</span>{' '}
        <span className="role-tag" data-testid="user-role">
          {user.role}
        </span>
      </summary>
      <div className="user-menu-body">
        <p className="small muted">
          Signed in as <strong>{user.name}</strong> ({user.role})
        </p>
        <button
          type="button"
          onClick={() => signOut.mutate()}
          disabled={signOut.isPending}
          data-testid="sign-out"
        >
          {signOut.isPending ? 'Signing out…' : 'Sign out'}
        </button>
      </div>
    </details>
  );
}
