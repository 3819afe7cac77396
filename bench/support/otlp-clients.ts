// Closed-loop OTLP/HTTP exporters for the collector benchmark: each client posts the same encoded
// export and sends its next one only once the previous one is acknowledged, as an SDK exporter
// does; plus the collector's count of store inserts, read from its own /metrics.

export interface AckLatencies {
  p50: number;
  p99: number;
}

const percentile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;

/** `clients` concurrent exporters, `postsPerClient` posts each; throws on any non-200. */
export async function postConcurrently(
  url: string,
  body: Uint8Array,
  clients: number,
  postsPerClient: number,
): Promise<AckLatencies> {
  const latencies: number[] = [];
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (let i = 0; i < postsPerClient; i++) {
        const started = performance.now();
        const res = await fetch(url, {
          method: 'POST',
          body,
          headers: { 'content-type': 'application/x-protobuf' },
        });
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`ingest answered ${res.status}`);
        latencies.push(performance.now() - started);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return { p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99) };
}

/** Successful store inserts (direct and replayed) the collector has timed since it started. */
export async function storeInsertCount(collectorUrl: string): Promise<number> {
  const text = await (await fetch(`${collectorUrl}/metrics`)).text();
  let n = 0;
  for (const line of text.split('\n'))
    if (line.startsWith('collector_store_insert_duration_seconds_count') && line.includes('"success"'))
      n += Number(line.split(' ').at(-1));
  return n;
}
