// The memory-leak chaos in a process capped as the deployed target is (old generation 120 MiB): asked
// to hold more than fits, it stops short of V8's limit instead of crashing the service, and gives
// the memory back when switched off.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const LEAK = join(import.meta.dirname, '..', '..', 'src', 'chaos', 'memory-leak.ts');

const script = `
import { createMemoryLeak } from ${JSON.stringify(LEAK)};
const leak = createMemoryLeak();
leak.set(200, 1024);
await new Promise((resolve) => setTimeout(resolve, 2500));
const held = leak.retainedBytes();
leak.set(0, 1024);
console.log(JSON.stringify({ held, after: leak.retainedBytes() }));
`;

describe('memory-leak chaos', () => {
  it('holds what fits under the heap limit, never crashes the process, and frees it when off', async () => {
    const { stdout } = await run(
      process.execPath,
      ['--max-semi-space-size=4', '--max-old-space-size=120', '--input-type=module', '-e', script],
      { timeout: 30_000 },
    );
    const { held, after } = JSON.parse(stdout) as { held: number; after: number };
    const mb = held / 2 ** 20;
    expect(mb).toBeGreaterThan(20);
    expect(mb).toBeLessThan(120);
    expect(after).toBe(0);
  });
});
