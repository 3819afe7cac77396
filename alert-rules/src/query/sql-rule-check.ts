// Static checks of a raw `sql:` rule, run by `check` and at load: it must be one SELECT (or
// WITH … SELECT), must not change settings (a SETTINGS clause inside the rule could switch
// `readonly` back off for its own subquery), and may use only the window's query parameters.
// The engine also runs it wrapped as a subquery with readonly and max_execution_time, so these
// checks give early, clear errors; the wrapper is what enforces them.

/** The query parameters a SQL rule receives: the window's bounds. */
export const sqlRuleParams = { from: 'DateTime64(3)', to: 'DateTime64(3)' } as const;

/** The query with string literals, quoted identifiers and comments blanked out (same length). */
export function codeOnly(sql: string): string {
  return sql.replace(
    /'(?:[^'\\]|\\.|'')*'|"(?:[^"\\]|\\.)*"|`(?:[^`\\]|\\.)*`|--[^\n]*|#[^\n]*|\/\*[\s\S]*?\*\//g,
    (m) => m.replace(/[^\n]/g, ' '),
  );
}

/** Trailing semicolons and whitespace removed (the engine appends its own clauses). */
export const trimStatement = (sql: string) => sql.replace(/[\s;]+$/, '');

export function sqlRuleProblems(sql: string): string[] {
  const problems: string[] = [];
  const code = codeOnly(trimStatement(sql));
  const first = /^\s*\(*\s*([A-Za-z]+)/.exec(code)?.[1]?.toUpperCase();
  if (first !== 'SELECT' && first !== 'WITH')
    problems.push(`must be a SELECT (or WITH … SELECT) query, not ${first ? first : 'empty'}`);
  if (code.includes(';')) problems.push('must be a single statement (no ";" inside)');
  if (/\bSETTINGS\b/i.test(code))
    problems.push('must not set SETTINGS (the engine runs it read-only and time-bounded)');
  for (const m of code.matchAll(/\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*:\s*([^}]*)\}/g)) {
    const name = m[1]!;
    const type = m[2]!.replace(/\s+/g, '');
    const expected = sqlRuleParams[name as keyof typeof sqlRuleParams];
    if (!expected)
      problems.push(
        `unknown query parameter {${name}:…}: only {from:DateTime64(3)} and {to:DateTime64(3)} are given`,
      );
    else if (type !== expected) problems.push(`{${name}:${type}} must be {${name}:${expected}}`);
  }
  return problems;
}
