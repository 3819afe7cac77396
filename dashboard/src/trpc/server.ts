import 'server-only';
// The server half of tRPC: server components call the routers directly (no HTTP), as the signed-in
// user of the request being rendered, so a page's first view arrives in its HTML.
import { headers } from 'next/headers';
import { alertsRouter } from '../server/routers/alerts.ts';
import { metricsRouter } from '../server/routers/metrics.ts';
import { runsRouter } from '../server/routers/runs.ts';
import { scoresRouter } from '../server/routers/scores.ts';
import { createCallerFactory, createTRPCContext, router } from '../server/trpc.ts';

/**
 * The areas a server-rendered first view reads, under their app-router names. Only routers that
 * import no values from alert-rules or load-tests: alert-rules' module-level
 * `new URL(…, import.meta.url)` is rewritten by Turbopack into a URL that Node's fileURLToPath
 * rejects inside server components (`next build` fails collecting the page's data); the engine
 * itself reaches the routers through the services in the context.
 */
const firstViewRouter = router({
  metrics: metricsRouter,
  scores: scoresRouter,
  runs: runsRouter,
  alerts: alertsRouter,
});
const createFirstViewCaller = createCallerFactory(firstViewRouter);

/** A caller for the request being rendered; `signal` ends the subscriptions it opened. */
export async function serverCaller(signal: AbortSignal) {
  return createFirstViewCaller(await createTRPCContext({ headers: await headers() }), { signal });
}

/**
 * The first value a subscription yields (every live procedure starts with a snapshot), or
 * undefined when it fails or takes longer than `timeoutMs`: the page then waits for the live stream.
 */
export async function firstSnapshot<T>(
  open: (signal: AbortSignal) => Promise<AsyncIterable<T>>,
  timeoutMs: number,
): Promise<T | undefined> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const iterator = (await open(controller.signal))[Symbol.asyncIterator]();
    const timedOut = new Promise<undefined>((resolve) =>
      controller.signal.addEventListener('abort', () => resolve(undefined), { once: true }),
    );
    const first = await Promise.race([iterator.next(), timedOut]);
    controller.abort();
    void iterator.return?.();
    return first && !first.done ? first.value : undefined;
  } catch {
    return undefined;
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}
