// Preloaded into the product's dashboard process by bench/idle/run.ts (NODE_OPTIONS=--import):
// counts the embedded store's statements — inserts per table, queries per table set and first
// words — as they reach chDB's Session, and writes the running totals to $STATEMENT_CENSUS every
// 5 s. chDB keeps no query log, so this is how the bench sees what a quiet product asks of its store.
import { renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const file = process.env.STATEMENT_CENSUS;
// Only the dashboard (server.ts) opens the store; its children inherit NODE_OPTIONS and skip this.
if (file && process.argv[1]?.endsWith('server.ts')) {
  const chdbEntry = join(import.meta.dirname, '..', '..', 'node_modules', 'chdb', 'index.js');
  type Method = (this: unknown, first: unknown, ...rest: unknown[]) => unknown;
  const { Session } = createRequire(chdbEntry)(chdbEntry) as {
    Session: { prototype: Record<string, Method> };
  };
  const counts: Record<string, number> = {};
  const count = (kind: string) => {
    counts[kind] = (counts[kind] ?? 0) + 1;
  };
  const kindOf = (sql: string): string => {
    const text = sql.replace(/\s+/g, ' ').trim();
    const insert = /^INSERT INTO ([\w.]+)/i.exec(text);
    if (insert) return `insert ${insert[1]}`;
    const tables = [...new Set([...text.matchAll(/\bFROM ([A-Za-z_][\w.]*)/gi)].map((m) => m[1]))];
    return `query ${tables.join(',') || '-'}: ${text.slice(0, 48)}`;
  };
  for (const name of ['queryAsync', 'queryBindAsync', 'query', 'queryBind']) {
    const original = Session.prototype[name];
    if (typeof original !== 'function') continue;
    Session.prototype[name] = function (this: unknown, sql: unknown, ...rest: unknown[]) {
      count(kindOf(String(sql)));
      return original.call(this, sql, ...rest);
    };
  }
  const originalInsert = Session.prototype.insert;
  if (typeof originalInsert === 'function')
    Session.prototype.insert = function (this: unknown, params: unknown, ...rest: unknown[]) {
      count(`insert ${(params as { table?: string }).table}`);
      return originalInsert.call(this, params, ...rest);
    };
  // Written aside, then renamed: the bench reading it never sees half a file.
  setInterval(() => {
    writeFileSync(`${file}.tmp`, JSON.stringify({ at: Date.now(), counts }));
    renameSync(`${file}.tmp`, file);
  }, 5_000).unref();
}
