// Dashboard users as the Users page shows them, and the password rule the server enforces and the
// form repeats. Types and constants only: this module runs in the browser too.
import type { Role } from './roles.ts';

/** The shortest password an admin may set in the UI (generated ones are 20 characters). */
export const MIN_PASSWORD_LENGTH = 12;
/** The longest one sign-in accepts. */
export const MAX_PASSWORD_LENGTH = 1024;

export type UserAccountView =
  /** DASHBOARD_USERS or the generated admin: read-only here, changed where they are configured. */
  | {
      name: string;
      role: Role;
      source: 'environment';
      origin: 'DASHBOARD_USERS' | 'generated admin';
      disabled: false;
    }
  /** Made by an admin on the Users page (cp_users). */
  | {
      name: string;
      role: Role;
      source: 'ui';
      disabled: boolean;
      createdBy: string;
      createdAt: number;
      updatedBy: string;
      updatedAt: number;
    };
