// The dashboard's roles and what each may do. Shared by the server (the tRPC middleware enforces
// it) and the browser (which hides what a role cannot do; hiding is a courtesy, not the guard).

export const ROLES = ['viewer', 'qa', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Ordered: each role may do everything the ones before it may. */
const RANK = { viewer: 0, qa: 1, admin: 2 } as const satisfies Record<Role, number>;

/** The signed-in person, as the server knows them (the role comes from config, not the cookie). */
export interface SessionUser {
  name: string;
  role: Role;
}

export function roleAllows(role: Role, needed: Role): boolean {
  return RANK[role] >= RANK[needed];
}

/** What each role is for, in words a sign-in page or a refusal can show. */
export const ROLE_ABILITIES = {
  viewer: 'read dashboards, runs and alerts',
  qa: 'launch, stop and schedule load tests, silence and acknowledge alerts, mark baselines',
  admin: 'change configuration and chaos, read the audit log',
} as const satisfies Record<Role, string>;
