// The cumulative → delta state across a restart: written beside the on-disk queue when the
// collector shuts down (after its last batch is durable), read and removed when it starts. Only a
// clean shutdown leaves the file: after a crash the state would be older than what was stored, and
// computing deltas from it would store part of an interval twice — so then, as without a file, the
// first cumulative point of a series is a baseline (some increase lost rather than doubled).
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CumulativeState, CumulativeToDelta } from './cumulative-to-delta.ts';

export const DELTA_STATE_FILE = 'cumulative-state.json';

const BIGINT = '$bigint';

export function saveDeltaState(dir: string, deltas: CumulativeToDelta): void {
  const text = JSON.stringify(deltas.state(), (_, value) =>
    typeof value === 'bigint' ? { [BIGINT]: value.toString() } : value,
  );
  const file = join(dir, DELTA_STATE_FILE);
  writeFileSync(`${file}.tmp`, text);
  renameSync(`${file}.tmp`, file);
}

/** The saved state, removed from disk (a crash after this start must not find it); null when none or unreadable. */
export function takeDeltaState(dir: string, log: (line: string) => void = () => {}): CumulativeState | null {
  const file = join(dir, DELTA_STATE_FILE);
  if (!existsSync(file)) return null;
  try {
    return JSON.parse(readFileSync(file, 'utf8'), (_, value) =>
      value !== null && typeof value === 'object' && typeof value[BIGINT] === 'string'
        ? BigInt(value[BIGINT])
        : value,
    ) as CumulativeState;
  } catch (error) {
    log(`cumulative state ${file} unreadable, starting from baselines: ${(error as Error).message}`);
    return null;
  } finally {
    rmSync(file, { force: true });
  }
}
