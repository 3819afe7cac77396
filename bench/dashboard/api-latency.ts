// Latency of the Overview's API as the page sees it: each of its tRPC subscriptions opened over
// SSE (as httpSubscriptionLink does) and timed to the first data event — the snapshot the server
// reads from the store when a page connects — then closed. The reference is auth.me, a plain tRPC
// query through the same route, middleware and session check that touches no telemetry.

export interface OverviewCall {
  name: string;
  path: string;
  input?: unknown;
  kind: 'subscription' | 'query';
}

/** What the Overview page opens (overview.tsx, overview-scores.tsx, use-live.ts), per range. */
export const OVERVIEW_CALLS: OverviewCall[] = [
  ...(['5m', '15m', '60m'] as const).flatMap((range): OverviewCall[] => [
    { name: `metrics.traffic ${range}`, path: 'metrics.traffic', input: { range }, kind: 'subscription' },
    { name: `scores.live ${range}`, path: 'scores.live', input: { range }, kind: 'subscription' },
  ]),
  { name: 'alerts.live', path: 'alerts.live', kind: 'subscription' },
  { name: 'runs.live', path: 'runs.live', kind: 'subscription' },
];
/** Reported alongside, not part of the Overview's bar: the Service page's live stream. */
export const EXTRA_CALLS: OverviewCall[] = [
  {
    name: 'service.live 15m',
    path: 'service.live',
    input: { range: '15m', route: null },
    kind: 'subscription',
  },
];
export const REFERENCE_CALL: OverviewCall = { name: 'auth.me (reference)', path: 'auth.me', kind: 'query' };

export interface LatencyFigure {
  name: string;
  mode: string;
  n: number;
  p50: number;
  p95: number;
  max: number;
  /** p95 over the same-run reference's p95. */
  p95Ratio: number | null;
  errors: string[];
}

function callUrl(base: string, call: OverviewCall): string {
  const input = call.input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(call.input))}`;
  return `${base}/api/trpc/${call.path}${input}`;
}

/** Opens the call, waits for its first data (or query answer), closes it; returns ms. */
export async function timeCall(
  base: string,
  cookie: string,
  call: OverviewCall,
  timeoutMs = 30_000,
): Promise<number> {
  const abort = new AbortController();
  const timer = setTimeout(
    () => abort.abort(new Error(`${call.name}: no answer within ${timeoutMs} ms`)),
    timeoutMs,
  );
  const start = performance.now();
  try {
    const res = await fetch(callUrl(base, call), {
      headers: { cookie, accept: call.kind === 'subscription' ? 'text/event-stream' : 'application/json' },
      signal: abort.signal,
    });
    if (!res.ok) throw new Error(`${call.name}: HTTP ${res.status} ${(await res.text()).slice(0, 200)}`);
    const data = call.kind === 'query' ? await res.text() : await firstEvent(res, call.name);
    const ms = performance.now() - start;
    checkPayload(call.name, data);
    return ms;
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
}

/** Reads SSE messages until the first one without an `event:` line (connected/ping are named). */
async function firstEvent(res: Response, name: string): Promise<string> {
  if (!res.body) throw new Error(`${name}: empty response`);
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of res.body) {
    buffer += decoder.decode(chunk as Uint8Array, { stream: true });
    let end = buffer.indexOf('\n\n');
    while (end >= 0) {
      const message = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const lines = message.split('\n');
      const event = lines.find((l) => l.startsWith('event: '))?.slice(7);
      const data = lines.find((l) => l.startsWith('data: '))?.slice(6);
      if (event === 'serialized-error') throw new Error(`${name}: ${data}`);
      if (event === undefined && data !== undefined) return data;
      end = buffer.indexOf('\n\n');
    }
  }
  throw new Error(`${name}: stream ended before any data`);
}

/** A snapshot that reports a store error or an empty Overview is not a valid measurement. */
function checkPayload(name: string, data: string): void {
  const value = JSON.parse(data) as Record<string, unknown>;
  if (typeof value.error === 'string' && value.error) throw new Error(`${name}: ${value.error}`);
  const errors = (value.report as { errors?: string[] } | undefined)?.errors;
  if (errors?.length) throw new Error(`${name}: ${errors.join('; ')}`);
  const current = value.current as { p95Ms?: number | null } | undefined;
  if (current && current.p95Ms === null)
    throw new Error(`${name}: no latency in the current window (empty store?)`);
}

const percentile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? 0;

export function summarise(
  name: string,
  mode: string,
  { samples, errors }: { samples: number[]; errors: string[] },
): LatencyFigure {
  const sorted = [...samples].sort((a, b) => a - b);
  const round = (v: number) => Math.round(v * 10) / 10;
  return {
    name,
    mode,
    n: sorted.length,
    p50: round(percentile(sorted, 0.5)),
    p95: round(percentile(sorted, 0.95)),
    max: round(sorted.at(-1) ?? 0),
    p95Ratio: null,
    errors,
  };
}

/**
 * `n` calls one after another, or spread over `concurrency` parallel callers, until `deadline`.
 * A call that fails or times out is kept as an error (first few messages) rather than a sample.
 */
export async function measure(
  base: string,
  cookie: string,
  call: OverviewCall,
  n: number,
  concurrency: number,
  deadline: number,
): Promise<{ samples: number[]; errors: string[] }> {
  const samples: number[] = [];
  const errors: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < n && Date.now() < deadline) {
      next++;
      try {
        samples.push(await timeCall(base, cookie, call));
      } catch (error) {
        errors.push((error as Error).message);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { samples, errors: errors.slice(0, 5) };
}
