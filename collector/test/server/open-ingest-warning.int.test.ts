// The collector process warns at start when it listens beyond loopback without ingest keys (anyone
// who reaches the port could write telemetry), and is quiet on loopback or with keys. Real
// `node collector/src/main.ts` processes on an embedded store, configured only by the environment.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { openIngestWarning } from '../../src/server/api-keys.ts';

const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Starts the collector, waits until it listens, stops it; its whole output. */
async function startOutput(env: Record<string, string>): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'collector-open-'));
  dirs.push(dir);
  const child: ChildProcess = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH ?? '', DATA_DIR: dir, COLLECTOR_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = once(child, 'exit');
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`collector did not listen:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('collector: OTLP/HTTP on')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then(() => reject(new Error(`collector exited:\n${output}`)));
  });
  child.kill('SIGTERM');
  await exited;
  return output;
}

describe('a collector open beyond loopback', () => {
  it('warns at start without keys, and not with keys or on loopback', async () => {
    expect(await startOutput({ COLLECTOR_HOST: '0.0.0.0' })).toMatch(
      /collector: warning: OTLP receiver on 0\.0\.0\.0 \(not loopback\) without COLLECTOR_API_KEYS/,
    );
    expect(
      await startOutput({ COLLECTOR_HOST: '0.0.0.0', COLLECTOR_API_KEYS: 'key-0123456789abcdef' }),
    ).not.toMatch(/warning: OTLP receiver/);
    expect(await startOutput({ COLLECTOR_HOST: '127.0.0.1' })).not.toMatch(/warning: OTLP receiver/);
  });

  it('judges hosts as loopback or not', () => {
    for (const host of ['0.0.0.0', '::', '10.0.0.5', 'collector', 'example.com'])
      expect(openIngestWarning(host, [])).toMatch(/not loopback/);
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1'])
      expect(openIngestWarning(host, [])).toBeNull();
    expect(openIngestWarning('0.0.0.0', ['key-0123456789abcdef'])).toBeNull();
  });
});
