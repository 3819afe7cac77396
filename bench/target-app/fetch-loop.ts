// A closed-loop driver for one endpoint: `concurrency` workers send requests back to back for a
// bounded time, each request's duration recorded; then count, rate and percentiles. Plain fetch to
// 127.0.0.1, no load tool in between (what one switch buys on its own endpoint, not a full mix).

export type LoopResult = {
  requests: number;
  errors: number;
  perSecond: number;
  p50Ms: number;
  p95Ms: number;
  meanMs: number;
};

/** One request; resolves with the HTTP status (its body is read to the end). */
export type Request = (sequence: number) => Promise<number>;

export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  const a = sorted[low] as number;
  const b = sorted[high] as number;
  return a + (b - a) * (position - low);
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** Runs `request` from `concurrency` workers for `seconds`; `expected` statuses count as successes. */
export async function runLoop(
  request: Request,
  options: { seconds: number; concurrency: number; expected?: readonly number[] },
): Promise<LoopResult> {
  const expected = options.expected ?? [200];
  const durations: number[] = [];
  let errors = 0;
  let sequence = 0;
  const started = performance.now();
  const deadline = started + options.seconds * 1000;
  const worker = async () => {
    while (performance.now() < deadline) {
      const n = sequence;
      sequence += 1;
      const before = performance.now();
      const status = await request(n).catch(() => 0);
      durations.push(performance.now() - before);
      if (!expected.includes(status)) errors += 1;
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const elapsedS = (performance.now() - started) / 1000;
  const sorted = durations.sort((a, b) => a - b);
  return {
    requests: sorted.length,
    errors,
    perSecond: round2(sorted.length / elapsedS),
    p50Ms: round2(quantile(sorted, 0.5)),
    p95Ms: round2(quantile(sorted, 0.95)),
    meanMs: round2(sorted.reduce((sum, d) => sum + d, 0) / Math.max(1, sorted.length)),
  };
}

/** The statuses' bodies must be read, or the connection is not reused. */
export async function statusOf(response: Promise<Response>): Promise<number> {
  const res = await response;
  await res.arrayBuffer();
  return res.status;
}
