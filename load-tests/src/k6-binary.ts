// Finds the k6 binary: explicit path → K6_PATH → `k6` on PATH → <repo>/.tools/bin/k6 (scripts/install-k6.sh).
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type LoadTestsEnv, env as processEnv } from './env.ts';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const PROJECT_K6_PATH = join(REPO_ROOT, '.tools', 'bin', 'k6');

export class K6NotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'K6NotFoundError';
  }
}

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function resolveK6Path(
  opts: { k6Path?: string; env?: Pick<LoadTestsEnv, 'K6_PATH' | 'PATH'>; projectK6Path?: string } = {},
): string {
  const env = opts.env ?? processEnv;
  // An explicitly named binary that is missing is an error, not a reason to quietly pick another k6.
  for (const [source, path] of [
    ['k6Path option', opts.k6Path],
    ['K6_PATH', env.K6_PATH],
  ] as const) {
    if (path === undefined) continue;
    if (isExecutableFile(path)) return path;
    throw new K6NotFoundError(`${source} points to ${path}, which is not an executable file`);
  }
  for (const dir of env.PATH.split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, 'k6');
    if (isExecutableFile(candidate)) return candidate;
  }
  const local = opts.projectK6Path ?? PROJECT_K6_PATH;
  if (isExecutableFile(local)) return local;
  throw new K6NotFoundError(
    `k6 not found: set K6_PATH, put k6 on PATH, or run scripts/install-k6.sh to build it into ${local}`,
  );
}
