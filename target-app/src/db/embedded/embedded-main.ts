// Process entry of the embedded database: `node target-app/src/db/embedded/embedded-main.ts
// [--data-dir DIR] [--port N]`. Started by the target app when DATABASE_URL is unset
// (embedded-process.ts); exits on SIGTERM/SIGINT and when the target that started it is gone.

import { startRuntimeMetrics } from '../../telemetry/runtime-metrics.ts';
import { startTelemetry } from '../../telemetry/sdk.ts';
import type { EmbeddedDbMessage } from './embedded-messages.ts';
import { parseEmbeddedArgs } from './embedded-options.ts';
import { startEmbeddedServer } from './embedded-server.ts';

function tell(message: EmbeddedDbMessage): void {
  if (process.send !== undefined) process.send(message);
}

async function main(): Promise<void> {
  let options: ReturnType<typeof parseEmbeddedArgs>;
  try {
    options = parseEmbeddedArgs(process.argv.slice(2));
  } catch (error) {
    console.error((error as Error).message);
    tell({ type: 'failed', message: (error as Error).message });
    process.exit(2);
  }
  // RSS, heap and event-loop delay under a service.name of its own: the target's memory stays its own.
  const telemetry = startTelemetry(options);
  const runtime = telemetry.enabled ? startRuntimeMetrics(telemetry.meter) : { stop() {} };
  let server: Awaited<ReturnType<typeof startEmbeddedServer>>;
  try {
    server = await startEmbeddedServer({ ...options, dataDir: options.dataDir });
  } catch (error) {
    const message = `embedded database failed to start: ${(error as Error).message}`;
    console.error(message);
    tell({ type: 'failed', message });
    runtime.stop();
    await telemetry.shutdown();
    process.exit(1);
  }
  const where = options.dataDir ?? 'memory (nothing kept)';
  console.log(
    `embedded database listening on postgres://${server.host}:${server.port}/postgres (data: ${where})`,
  );
  tell({ type: 'ready', host: server.host, port: server.port });

  let stopping = false;
  const stop = (why: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`embedded database: ${why}, closing`);
    runtime.stop();
    Promise.allSettled([server.close(), telemetry.shutdown()]).then((results) => {
      const failed = results.find((r) => r.status === 'rejected');
      if (failed) console.error('embedded database: error while closing', failed.reason);
      process.exit(failed ? 1 : 0);
    });
  };
  process.on('SIGTERM', () => stop('SIGTERM received'));
  // Ctrl-C reaches the whole process group: a target still draining its requests needs the database,
  // and stops it (SIGTERM, or its exit) once done. Started by hand, Ctrl-C stops it.
  process.on('SIGINT', () => {
    if (process.send === undefined) stop('SIGINT received');
  });
  // The IPC channel closes when the target exits, however it died: no orphan keeps the directory.
  process.on('disconnect', () => stop('the target app that started it is gone'));
}

main().catch((error: unknown) => {
  console.error('embedded database failed:', error);
  process.exit(1);
});
