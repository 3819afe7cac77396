// `check` without a running product: raw `sql:` rules are judged by ClickHouse's parser in a
// throwaway embedded store with the product's schema (the tables rules read must exist for the
// analyser), then the store is removed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStore } from 'collector';
import type { RuleFileError } from '../load-rules.ts';
import type { SqlRule } from '../rule-schema.ts';
import { judgeSqlRule } from './sql-rule-judge.ts';

export async function judgeSqlRulesOffline(rules: SqlRule[]): Promise<RuleFileError[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'alert-rules-check-'));
  const store = await createStore({ dataDir, insertSessions: 1 });
  try {
    const errors: RuleFileError[] = [];
    for (const rule of rules) {
      const verdict = await judgeSqlRule(store.client, rule.sql);
      if (verdict.state === 'refused')
        for (const problem of verdict.problems)
          errors.push({ file: rule.file, line: rule.line, message: `rule "${rule.alert}" sql: ${problem}` });
    }
    return errors;
  } finally {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
