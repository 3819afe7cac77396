// The roles as a <select>'s options, each with what it may do on hover (tokens, users, user rows).
import { ROLE_ABILITIES, ROLES } from '../lib/roles.ts';

export function RoleOptions() {
  return ROLES.map((r) => (
    <option key={r} value={r} title={ROLE_ABILITIES[r]}>
      {r}
    </option>
  ));
}
