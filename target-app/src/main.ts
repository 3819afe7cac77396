// Process entry: `node target-app/src/main.ts`. Configuration comes from the environment (see env.ts);
// SIGTERM/SIGINT drain requests, flush telemetry and exit.
import { ConfigError, parseConfig } from './env.ts';
import { startTargetApp } from './start.ts';

async function main(): Promise<void> {
  let config: ReturnType<typeof parseConfig>;
  try {
    config = parseConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }

  const app = await startTargetApp(config);
  console.log(`target-app listening on ${app.url}`);

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      console.error(`target-app: second ${signal}, exiting without waiting`);
      process.exit(1);
    }
    stopping = true;
    console.log(`target-app: ${signal} received, shutting down`);
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('target-app: error during shutdown', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  console.error('target-app failed to start:', error);
  process.exit(1);
});
