// Session records in a Map, for unit tests of the auth logic (the real store, cp_sessions in
// chDB, is exercised by the integration tests, across restarts).
import type { SessionRecord, SessionStore } from '../../src/server/auth/session-store.ts';

export function memorySessions(now: () => number): SessionStore & { readonly size: number } {
  const records = new Map<string, SessionRecord & { revoked: boolean }>();
  return {
    get size() {
      return records.size;
    },
    async create(id, record) {
      records.set(id, { ...record, revoked: false });
    },
    async find(id) {
      const r = records.get(id);
      if (!r || r.revoked || r.expiresAt <= now()) return null;
      const { revoked: _, ...record } = r;
      return record;
    },
    async revoke(id) {
      const r = records.get(id);
      if (r) r.revoked = true;
    },
    async revokeUser(user) {
      let revoked = 0;
      for (const r of records.values()) {
        if (r.user !== user || r.idp !== 'local' || r.revoked || r.expiresAt <= now()) continue;
        r.revoked = true;
        revoked++;
      }
      return revoked;
    },
  };
}
