// The collector through a full store outage (default 60 s; the CI test runs the same scenario for
// 6 s): steady OTLP/HTTP ingest while the store refuses, is slow, times out and loses
// acknowledgements, a quarter of the outage each; then the queue drains. Fails (exit 1) if any
// acknowledged point is missing or stored twice. Reports the drain time against the outage it
// follows (a ratio measured in the same run) and the replay rate against the ingest rate.
// Run: node bench/collector-outage.ts [outage seconds=60]
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStore } from '../collector/src/index.ts';
import { runStoreOutage } from '../collector/test/support/store-outage-scenario.ts';

const outageSeconds = Number(process.argv[2] ?? 60);
if (!Number.isFinite(outageSeconds) || outageSeconds < 4) throw new Error('outage seconds: a number ≥ 4');

const dir = mkdtempSync(join(tmpdir(), 'bench-collector-outage-'));
const store = await createStore({ dataDir: join(dir, 'chdb') });
let failed = false;
try {
  const outage = await runStoreOutage({
    store,
    queueDir: join(dir, 'queue'),
    outageMs: outageSeconds * 1000,
    log: (line) => console.log(line),
  });
  const s = outage.stats;
  const ingestPerS = outage.acked / (outageSeconds + 1);
  const replayPerS = outage.drainMs > 0 ? s.replayedRows / (outage.drainMs / 1000) : null;
  const checks = {
    'nothing acknowledged missing': outage.missing.length === 0,
    'nothing stored twice': outage.doubled.length === 0,
    'the store was seen failing': outage.sawFailing,
    'batches went through the queue': s.queuedRows > 0,
    'every queued row replayed': s.replayedRows === s.queuedRows,
    'nothing dropped': s.droppedRows === 0,
    'store healthy after': s.storeError === null,
  };
  failed = Object.values(checks).some((ok) => !ok);
  console.table({
    'outage (s)': outageSeconds,
    'points acknowledged': outage.acked,
    missing: outage.missing.length,
    'stored twice': outage.doubled.length,
    'rows queued': s.queuedRows,
    'rows replayed': s.replayedRows,
    'backlog at the end (batches)': outage.backlogBatches,
    'drain (ms)': outage.drainMs,
    'drain / outage': Number((outage.drainMs / (outageSeconds * 1000)).toFixed(3)),
    'ingest (points/s)': Math.round(ingestPerS),
    'replay (rows/s)': replayPerS === null ? null : Math.round(replayPerS),
  });
  for (const [check, ok] of Object.entries(checks)) console.log(`${ok ? 'ok  ' : 'FAIL'} ${check}`);
  mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
  const file = new URL(
    `./results/collector-outage-${new Date().toISOString().replace(/[:.]/g, '-')}.json`,
    import.meta.url,
  );
  writeFileSync(
    file,
    JSON.stringify(
      {
        node: process.version,
        outageSeconds,
        acked: outage.acked,
        missing: outage.missing.slice(0, 100),
        doubled: outage.doubled.slice(0, 100),
        sawFailing: outage.sawFailing,
        backlogBatches: outage.backlogBatches,
        drainMs: outage.drainMs,
        stats: s,
        checks,
      },
      null,
      2,
    ),
  );
  console.log(`written ${file.pathname}`);
} finally {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
