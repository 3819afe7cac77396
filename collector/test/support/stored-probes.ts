// What steadyIngest's points left in the store for one service: rows, and distinct `seq` values
// (equal when every acknowledged point is stored exactly once).
import type { Store } from '../../src/index.ts';

export async function storedProbes(store: Store, service: string): Promise<{ n: number; u: number }> {
  const result = await store.client.query({
    query: `SELECT count() AS n, uniqExact(Attributes['seq']) AS u FROM otel_metrics_gauge
      WHERE ServiceName = {service:String}`,
    query_params: { service },
    format: 'JSONEachRow',
  });
  const [row] = await result.json<{ n: string; u: string }>();
  return { n: Number(row?.n), u: Number(row?.u) };
}
