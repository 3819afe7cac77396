import 'server-only';
// The server half of tRPC: server components call the routers directly (no HTTP), as the signed-in
// user of the request being rendered, so a page's first view arrives in its HTML.
import { headers } from 'next/headers';
import { createCaller } from '../server/routers/_app.ts';
import { createTRPCContext } from '../server/trpc.ts';

/** A caller for the request being rendered; `signal` ends the subscriptions it opened. */
export async function serverCaller(signal: AbortSignal) {
  return createCaller(await createTRPCContext({ headers: await headers() }), { signal });
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
