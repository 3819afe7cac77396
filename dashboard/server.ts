// The dashboard's process (`node dashboard/server.ts`, after `next build`): in embedded mode the
// whole product in one process — store, OTLP collector, k6 launcher, alert engine — with the
// Next.js app on top, reaching them through the services facade.
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { EnvError, parseDashboardEnv } from './src/env.ts';
import { startServices } from './src/runtime/start-services.ts';
import { CLIENT_ADDRESS_HEADER, clientAddressOf } from './src/server/auth/client-address.ts';
import { registerServices, unregisterServices } from './src/server/services.ts';

const DASHBOARD_DIR = fileURLToPath(new URL('.', import.meta.url));
const log = (line: string) => console.log(`dashboard: ${line}`);

async function main(): Promise<void> {
  let env: ReturnType<typeof parseDashboardEnv>;
  try {
    env = parseDashboardEnv();
  } catch (error) {
    if (!(error instanceof EnvError)) throw error;
    console.error(error.message);
    process.exit(1);
  }

  const running = await startServices(env, log);
  registerServices(running.services);

  // React and Next pick their production builds from NODE_ENV, read when they load.
  Object.assign(process.env, { NODE_ENV: 'production' });
  const { default: next } = await import('next');
  const app = next({ dev: false, dir: DASHBOARD_DIR, hostname: env.HOST, port: env.PORT });
  await app.prepare();
  const handle = app.getRequestHandler();
  const server = createServer((req, res) => {
    // The peer address sign-in throttling keys on; a client cannot choose it.
    req.headers[CLIENT_ADDRESS_HEADER] = clientAddressOf(
      req.socket.remoteAddress,
      req.headers['x-forwarded-for'],
      env.TRUSTED_PROXY_HOPS,
    );
    handle(req, res).catch((error: unknown) => {
      console.error('dashboard: request failed', error);
      if (!res.headersSent) res.writeHead(500).end('internal error');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(env.PORT, env.HOST, resolve);
  });

  log(`store: ${running.services.config.storeDescription}`);
  if (running.collector) log(`collector: OTLP/HTTP on ${running.collector.url}`);
  log(`load-test targets: ${env.LOAD_TARGETS.join(', ')}`);
  console.log(`dashboard ready: http://${env.HOST}:${env.PORT}`);

  const SHUTDOWN_TIMEOUT_MS = 45_000;
  let stopping = false;
  const shutdown = async (signal: NodeJS.Signals) => {
    if (stopping) {
      console.error(`dashboard: second ${signal}, exiting without waiting`);
      process.exit(1);
    }
    stopping = true;
    log(`${signal}: stopping runs and alerts, draining the collector`);
    // Shutdown is bounded: every store query has its own bound, and whatever still hangs after
    // SHUTDOWN_TIMEOUT_MS (a store that stopped answering, a child that ignores signals) is left.
    setTimeout(() => {
      console.error(`dashboard: shutdown took over ${SHUTDOWN_TIMEOUT_MS / 1000} s, exiting without waiting`);
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS).unref();
    // Open SSE streams would hold server.close() forever: end them.
    server.closeAllConnections();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    try {
      await running.close();
      unregisterServices();
      await closed;
      process.exit(0);
    } catch (error) {
      console.error('dashboard: error during shutdown', error);
      process.exit(1);
    }
  };
  process.on('SIGTERM', (s) => void shutdown(s));
  process.on('SIGINT', (s) => void shutdown(s));
}

main().catch((error: unknown) => {
  console.error('dashboard failed to start:', error instanceof Error ? error.message : error);
  if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    console.error(
      '  another process holds that port: set PORT (dashboard) or COLLECTOR_PORT (OTLP receiver)',
    );
  } else if (error instanceof Error && error.cause) {
    console.error('  cause:', error.cause);
  }
  process.exit(1);
});
