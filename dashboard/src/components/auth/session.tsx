'use client';
// The signed-in user for client components, read once by the root layout from the session cookie.
// Used to hide what the role cannot do; the server refuses it regardless.
import { createContext, type ReactNode, useContext } from 'react';
import { type Role, roleAllows, type SessionUser } from '../../lib/roles.ts';

const SessionContext = createContext<SessionUser | null>(null);

export function SessionProvider({ user, children }: { user: SessionUser | null; children: ReactNode }) {
  return <SessionContext.Provider value={user}>{children}</SessionContext.Provider>;
}

export function useSessionUser(): SessionUser | null {
  return useContext(SessionContext);
}

/** Whether the signed-in user's role allows what `needed` may do. */
export function useCan(needed: Role): boolean {
  const user = useContext(SessionContext);
  return user !== null && roleAllows(user.role, needed);
}
