// Reads rule files from a directory and validates them. Every error names its file, line and
// reason (`rules/x.yaml:12: rule "A": threshold: required`), so `check` output is actionable.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import type { z } from 'zod';
import { type Rule, ruleFileSchema, toRule } from './rule-schema.ts';
import { expandSlo } from './slo.ts';
import { checkTemplate } from './template.ts';

export interface RuleFileError {
  file: string;
  /** 1-based; 0 when the problem is the file itself. */
  line: number;
  message: string;
}

export interface LoadedRules {
  files: string[];
  rules: Rule[];
  errors: RuleFileError[];
}

export class RuleLoadError extends Error {
  readonly errors: RuleFileError[];
  constructor(errors: RuleFileError[]) {
    super(`invalid alert rules:\n${errors.map(formatRuleError).join('\n')}`);
    this.name = 'RuleLoadError';
    this.errors = errors;
  }
}

export const formatRuleError = (e: RuleFileError) => `${e.file}:${e.line}: ${e.message}`;

type Path = readonly PropertyKey[];

const errorMessages: z.core.$ZodErrorMap = (issue) => {
  if (issue.code === 'invalid_type' && issue.input === undefined) return 'required';
  return undefined;
};

/** Validates one file's text; `file` is the name errors carry. Alert names are checked per file only. */
export function parseRuleFile(text: string, file: string): { rules: Rule[]; errors: RuleFileError[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const lineAt = (offset: number) => lineCounter.linePos(offset).line;
  if (doc.errors.length > 0) {
    return {
      rules: [],
      errors: doc.errors.map((e) => ({ file, line: lineAt(e.pos[0]), message: e.message })),
    };
  }
  const data = doc.toJS() ?? { groups: [] };
  const lineOf = (path: Path) => lineAt(locate(doc.contents, path));
  const parsed = ruleFileSchema.safeParse(data, { error: errorMessages });
  if (!parsed.success) {
    const errors = parsed.error.issues.map((issue) => {
      const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0] ?? ''] : issue.path;
      return { file, line: lineOf(path), message: `${describePath(data, path)}${issue.message}` };
    });
    return { rules: [], errors: errors.sort((a, b) => a.line - b.line) };
  }
  const rules: Rule[] = [];
  const errors: RuleFileError[] = [];
  parsed.data.groups.forEach((group, g) => {
    group.rules.forEach((parsedRule, r) => {
      const path = ['groups', g, 'rules', r];
      const rule = toRule(parsedRule, group, file, lineOf(path));
      for (const [name, template] of Object.entries(rule.annotations)) {
        const problem = checkTemplate(template);
        if (problem) {
          const at = [...path, 'annotations', name];
          errors.push({ file, line: lineOf(at), message: `${describePath(data, at)}template: ${problem}` });
        }
      }
      rules.push(rule);
    });
    group.slos.forEach((slo, i) => {
      const path = ['groups', g, 'slos', i];
      for (const [name, template] of Object.entries(slo.annotations)) {
        const problem = checkTemplate(template);
        if (problem)
          errors.push({
            file,
            line: lineOf([...path, 'annotations', name]),
            message: `slo "${slo.slo}" annotations.${name}: template: ${problem}`,
          });
      }
      rules.push(...expandSlo(slo, group, file, lineOf(path)));
    });
  });
  return { rules, errors };
}

/** Loads every *.yaml / *.yml under `dir` (recursively, in name order). Alert names must be unique across them. */
export function loadRules(dir: string, options: { displayBase?: string } = {}): LoadedRules {
  const base = options.displayBase ?? process.cwd();
  let names: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new Error('not a directory');
    names = readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((name) => /\.ya?ml$/i.test(name))
      .sort();
  } catch (error) {
    return {
      files: [],
      rules: [],
      errors: [{ file: dir, line: 0, message: `cannot read rules directory: ${(error as Error).message}` }],
    };
  }
  const files: string[] = [];
  const rules: Rule[] = [];
  const errors: RuleFileError[] = [];
  const firstSeen = new Map<string, Rule>();
  for (const name of names) {
    const path = join(dir, name);
    const display = relative(base, path) || path;
    files.push(display);
    const result = parseRuleFile(readFileSync(path, 'utf8'), display);
    errors.push(...result.errors);
    for (const rule of result.rules) {
      const earlier = firstSeen.get(rule.alert);
      if (earlier) {
        errors.push({
          file: rule.file,
          line: rule.line,
          message: `alert "${rule.alert}" is defined twice (first at ${earlier.file}:${earlier.line})`,
        });
        continue;
      }
      firstSeen.set(rule.alert, rule);
      rules.push(rule);
    }
  }
  return { files, rules, errors };
}

/** Offset of the deepest YAML node on `path`: a map entry's key, so the line is the key's line. */
function locate(root: unknown, path: Path): number {
  let node = root as Node | null | undefined;
  let offset = node?.range?.[0] ?? 0;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair) break;
      offset = (isScalar(pair.key) ? pair.key.range?.[0] : undefined) ?? offset;
      node = pair.value as Node | null;
    } else if (isSeq(node)) {
      const item = node.items[Number(segment)] as Node | undefined;
      if (!item) break;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else {
      break;
    }
  }
  return offset;
}

/** `rule "Name": field.sub: ` — where in the file an issue is, in the words of the file. */
function describePath(data: unknown, path: Path): string {
  const groups = (data as { groups?: unknown }).groups;
  const at = (list: unknown, i: PropertyKey) =>
    Array.isArray(list) ? (list[Number(i)] as Record<string, unknown>) : undefined;
  if (path[0] !== 'groups' || path.length < 2) return path.length ? `${path.join('.')}: ` : '';
  const group = at(groups, path[1]!);
  if (path[2] === 'rules' && path.length >= 4) {
    const rule = at(group?.rules, path[3]!);
    const name = typeof rule?.alert === 'string' ? `rule "${rule.alert}"` : `rule #${Number(path[3]) + 1}`;
    const rest = path.slice(4).join('.');
    return `${name}${rest ? ` ${rest}` : ''}: `;
  }
  const name = typeof group?.name === 'string' ? `group "${group.name}"` : `group #${Number(path[1]) + 1}`;
  const rest = path.slice(2).join('.');
  return `${name}${rest ? ` ${rest}` : ''}: `;
}
