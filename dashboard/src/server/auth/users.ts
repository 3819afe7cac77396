// Local users from configuration: DASHBOARD_USERS holds `name:role:hash` entries separated by
// commas or whitespace (hashes from `npm run hash-password -w dashboard`). Parsed with zod at start.
import { z } from 'zod';
import { ROLES, type Role } from '../../lib/roles.ts';
import { isPasswordHash } from './password.ts';

export interface LocalUser {
  name: string;
  role: Role;
  passwordHash: string;
}

export const userNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9._@-]{1,64}$/, 'a user name is 1–64 letters, digits or . _ @ -');

export const localUserSchema = z.object({
  name: userNameSchema,
  role: z.enum(ROLES, { error: `role must be one of ${ROLES.join(', ')}` }),
  passwordHash: z
    .string()
    .refine(
      isPasswordHash,
      'password hash must be scrypt.N.r.p.salt.key (npm run hash-password -w dashboard)',
    ),
});

/** Throws an Error naming the bad entry; an empty value gives no users. */
export function parseUsers(value: string): LocalUser[] {
  const entries = value.split(/[\s,]+/).filter((e) => e !== '');
  const users = entries.map((entry, index) => {
    const [name, role, ...rest] = entry.split(':');
    const parsed = localUserSchema.safeParse({ name, role, passwordHash: rest.join(':') });
    if (!parsed.success) {
      const label = name ? `"${name}"` : `#${index + 1}`;
      throw new Error(`entry ${label}: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
    }
    return parsed.data;
  });
  const seen = new Set<string>();
  for (const u of users) {
    if (seen.has(u.name)) throw new Error(`user "${u.name}" is listed twice`);
    seen.add(u.name);
  }
  return users;
}
