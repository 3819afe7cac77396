// The packages' subpath exports (collector/query, load-tests/model, …) are what the dashboard's Next
// bundle may import: Turbopack bundles a workspace package even when serverExternalPackages lists
// it, so a Node-only module anywhere in their import graph (chDB, fastify, child_process, fs) or a
// `new URL(…, import.meta.url)` (rewritten into a path Node rejects) would break the build or the
// page. This walks the real import graphs (value imports; type-only ones are erased) from every
// subpath export, and checks that the bundled part of the dashboard reaches the packages only
// through those subpaths.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const PACKAGES = ['collector', 'load-tests', 'alert-rules'] as const;
/** Third-party packages a bundle-safe module may import: pure JavaScript, no Node built-ins. */
const BROWSER_SAFE = new Set(['zod', 're2js']);
interface Edge {
  specifier: string;
  line: number;
}

/** Value imports and re-exports (type-only ones are erased), dynamic imports, and asset URLs. */
function valueImports(file: string): { imports: Edge[]; assetUrls: number[] } {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const imports: Edge[] = [];
  const assetUrls: number[] = [];
  const lineOf = (node: ts.Node) => source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      if (!node.importClause?.isTypeOnly)
        imports.push({ specifier: node.moduleSpecifier.text, line: lineOf(node) });
    } else if (
      ts.isExportDeclaration(node) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      if (!node.isTypeOnly) imports.push({ specifier: node.moduleSpecifier.text, line: lineOf(node) });
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [arg] = node.arguments;
      imports.push({
        specifier: arg && ts.isStringLiteral(arg) ? arg.text : '<computed>',
        line: lineOf(node),
      });
    } else if (ts.isNewExpression(node) && node.expression.getText(source) === 'URL') {
      if (node.arguments?.some((a) => a.getText(source) === 'import.meta.url')) assetUrls.push(lineOf(node));
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { imports, assetUrls };
}

function exportsOf(pkg: string): Record<string, string> {
  const manifest = JSON.parse(readFileSync(join(root, pkg, 'package.json'), 'utf8')) as {
    exports: Record<string, string>;
  };
  return manifest.exports;
}

/** `collector/query` → its file; a package's main entry → null (it is Node-only by design). */
function workspaceTarget(specifier: string): { file: string | null } | undefined {
  const pkg = PACKAGES.find((p) => specifier === p || specifier.startsWith(`${p}/`));
  if (!pkg) return undefined;
  const target = exportsOf(pkg)[`.${specifier.slice(pkg.length)}`];
  if (specifier === pkg || !target) return { file: null };
  return { file: join(root, pkg, target) };
}

/** Every way the value-import graph from `entry` leaves the bundle-safe world, as readable lines. */
function bundleProblems(entry: string): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  const walk = (file: string, via: string[]): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const here = relative(root, file);
    const { imports, assetUrls } = valueImports(file);
    for (const line of assetUrls)
      problems.push(`${here}:${line} builds a URL from import.meta.url (${[...via, here].join(' → ')})`);
    for (const { specifier, line } of imports) {
      const at = `${here}:${line} imports '${specifier}'`;
      if (specifier.startsWith('.')) {
        const next = resolve(dirname(file), specifier);
        if (existsSync(next)) walk(next, [...via, here]);
        else problems.push(`${at}, which does not exist`);
        continue;
      }
      const workspace = workspaceTarget(specifier);
      if (workspace?.file) walk(workspace.file, [...via, here]);
      else if (workspace) problems.push(`${at}: a package's main entry is Node-only, import a subpath`);
      else if (specifier.startsWith('node:') || builtinModules.includes(specifier))
        problems.push(`${at}: a Node built-in (${[...via, here].join(' → ')})`);
      else if (!BROWSER_SAFE.has(specifier.split('/')[0] ?? specifier))
        problems.push(`${at}: not among the bundle-safe packages (${[...BROWSER_SAFE].join(', ')})`);
    }
  };
  walk(entry, []);
  return problems;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const path = join(dir, d.name);
    if (d.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(d.name) ? [path] : [];
  });
}

/** `entries` and every dashboard file they reach through relative value imports. */
function reachedFrom(entries: readonly string[]): string[] {
  const reached = new Set<string>();
  const walk = (file: string): void => {
    if (reached.has(file)) return;
    reached.add(file);
    for (const { specifier } of valueImports(file).imports) {
      const next = resolve(dirname(file), specifier);
      if (specifier.startsWith('.') && existsSync(next)) walk(next);
    }
  };
  for (const file of entries) if (existsSync(file)) walk(file);
  return [...reached];
}

const dashboardSrc = join(root, 'dashboard', 'src');

/** The dashboard files Next bundles: every route, page and layout under src/app, and what they import. */
const bundledDashboardFiles = () =>
  reachedFrom([...sourceFiles(join(dashboardSrc, 'app')), join(dashboardSrc, 'proxy.ts')]);

/** The dashboard files shipped to the browser: every 'use client' module and what it imports. */
const browserDashboardFiles = () =>
  reachedFrom(
    sourceFiles(dashboardSrc).filter((file) => /^\s*['"]use client['"]/.test(readFileSync(file, 'utf8'))),
  );

describe('bundle-safe package surfaces', () => {
  const subpaths = PACKAGES.flatMap((pkg) =>
    Object.entries(exportsOf(pkg))
      .filter(([path]) => path !== '.')
      .map(([path, file]) => ({ name: `${pkg}${path.slice(1)}`, file: join(root, pkg, file) })),
  );

  it('exports the subpaths the dashboard imports', () => {
    expect(subpaths.map((s) => s.name)).toEqual(
      expect.arrayContaining([
        'collector/query',
        'load-tests/model',
        'load-tests/results',
        'alert-rules/model',
      ]),
    );
  });

  it.each(subpaths)('$name reaches no Node-only module', ({ file }) => {
    expect(bundleProblems(file)).toEqual([]);
  });

  it("the dashboard's bundled code imports the packages only through their subpaths", () => {
    const bundled = bundledDashboardFiles();
    expect(bundled.map((f) => relative(root, f))).toContain('dashboard/src/server/routers/reports.ts');
    const mainEntries = bundled.flatMap((file) =>
      valueImports(file)
        .imports.filter(({ specifier }) => workspaceTarget(specifier)?.file === null)
        .map(({ specifier, line }) => `${relative(root, file)}:${line} imports '${specifier}'`),
    );
    expect(mainEntries).toEqual([]);
  });

  it("the browser's code imports no values from the packages (their subpaths bring zod and catalogues)", () => {
    const browser = browserDashboardFiles();
    expect(browser.map((f) => relative(root, f))).toContain('dashboard/src/lib/run-view.ts');
    const packageValues = browser.flatMap((file) =>
      valueImports(file)
        .imports.filter(({ specifier }) => workspaceTarget(specifier) !== undefined)
        .map(({ specifier, line }) => `${relative(root, file)}:${line} imports '${specifier}'`),
    );
    expect(packageValues).toEqual([]);
  });

  it('names the Node-only imports it finds (the guard can fail)', () => {
    const launcher = join(root, 'load-tests', 'src', 'launcher.ts');
    expect(bundleProblems(launcher)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/launcher\.ts:\d+ imports 'node:crypto': a Node built-in/),
        expect.stringMatching(/k6-process\.ts:\d+ imports 'node:child_process': a Node built-in/),
      ]),
    );
    const store = join(root, 'collector', 'src', 'store', 'create-store.ts');
    expect(bundleProblems(store).join('\n')).toMatch(/imports 'chdb.*': not among the bundle-safe packages/);
  });
});
