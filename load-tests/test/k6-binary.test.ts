import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { K6NotFoundError, resolveK6Path } from '../src/k6-binary.ts';

function fakeBinDir(withK6: boolean): string {
  const dir = mkdtempSync(join(tmpdir(), 'k6-bin-'));
  if (withK6) {
    writeFileSync(join(dir, 'k6'), '#!/bin/sh\n');
    chmodSync(join(dir, 'k6'), 0o755);
  }
  return dir;
}

const onPath = fakeBinDir(true);
const explicit = join(fakeBinDir(true), 'k6');
const projectLocal = join(fakeBinDir(true), 'k6');
const missing = join(fakeBinDir(false), 'k6');

test('K6_PATH wins over PATH and the project-local install', () => {
  expect(resolveK6Path({ env: { K6_PATH: explicit, PATH: onPath }, projectK6Path: projectLocal })).toBe(
    explicit,
  );
});

test('then k6 on PATH, then <repo>/.tools/bin/k6', () => {
  const empty = fakeBinDir(false);
  expect(
    resolveK6Path({ env: { K6_PATH: undefined, PATH: `${empty}:${onPath}` }, projectK6Path: projectLocal }),
  ).toBe(join(onPath, 'k6'));
  expect(resolveK6Path({ env: { K6_PATH: undefined, PATH: empty }, projectK6Path: projectLocal })).toBe(
    projectLocal,
  );
});

test('a K6_PATH that does not exist is an error, not a silent fallback', () => {
  expect(() => resolveK6Path({ env: { K6_PATH: missing, PATH: onPath } })).toThrow(/K6_PATH points to/);
});

test('nothing found: the error names the installer', () => {
  const err = (() => {
    try {
      resolveK6Path({ env: { K6_PATH: undefined, PATH: fakeBinDir(false) }, projectK6Path: missing });
    } catch (e) {
      return e;
    }
  })();
  expect(err).toBeInstanceOf(K6NotFoundError);
  expect((err as Error).message).toContain('scripts/install-k6.sh');
});

test('a non-executable file does not count', () => {
  const dir = fakeBinDir(false);
  writeFileSync(join(dir, 'k6'), 'not a program');
  expect(() => resolveK6Path({ env: { K6_PATH: undefined, PATH: dir }, projectK6Path: missing })).toThrow(
    K6NotFoundError,
  );
});
