// One vitest run for every workspace. Integration tests (*.int.test.ts) talk to real parts —
// chDB, k6, OTel SDK exporters — so they run one file at a time, each file in its own process
// (chDB allows one data directory per process).
import { defineConfig } from 'vitest/config';

const workspaces = ['target-app', 'collector', 'load-tests', 'alert-rules', 'dashboard'];
// scripts/ is not a workspace, but its tests (the test command's own summary line) run here too.
const testTrees = [...workspaces, 'scripts'];

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: testTrees.map((w) => `${w}/test/**/*.test.ts`),
          exclude: ['**/*.int.test.ts', '**/node_modules/**'],
          pool: 'forks',
        },
      },
      {
        test: {
          name: 'integration',
          include: testTrees.map((w) => `${w}/test/**/*.int.test.ts`),
          pool: 'forks',
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // One retry: these drive real servers, k6 and timers on a 2-core machine. A test that
          // passes only on its retry is named in the test command's summary (flaky-reporter.ts).
          retry: 1,
        },
      },
    ],
  },
});
