// Input request samples of load runs for rule tests: rows of cp_run_samples (the table the launcher
// streams every k6 request duration into), written with the same expanding values as input series
// ("300x59", "100+20x29", "_" for a step without requests). Each step holds `count` requests of the
// run, each lasting that step's value in milliseconds, stamped at the step's instant.
import { randomUUID } from 'node:crypto';
import { RUN_SAMPLE_COLUMNS, RUN_SAMPLES_TABLE, type Store } from 'collector';
import { expandValues, type SeriesClock } from './series.ts';

export interface InputSamples {
  run_id: string;
  /** k6's `name` tag (the endpoint); default "". */
  name?: string | undefined;
  /** The k6 process's execution segment ("0:1/2"); default "" (one process). */
  segment?: string | undefined;
  values: string;
  /** Requests per step (default 1). */
  count?: number | undefined;
}

export function sampleRows(input: InputSamples, clock: SeriesClock): unknown[][] {
  const count = input.count ?? 1;
  return expandValues(input.values).flatMap((value, i) => {
    if (value === null) return [];
    const row = [
      input.run_id,
      input.segment ?? '',
      input.name ?? '',
      'GET',
      '200',
      1,
      ((clock.start + i * clock.stepMs) / 1000).toFixed(3),
      value,
    ];
    return Array.from({ length: count }, () => row);
  });
}

export async function insertRunSamples(
  client: Store['client'],
  samples: InputSamples[],
  clock: SeriesClock,
): Promise<void> {
  const values = samples.flatMap((s) => sampleRows(s, clock));
  if (values.length === 0) return;
  await client.insert({
    table: RUN_SAMPLES_TABLE,
    values,
    columns: [...RUN_SAMPLE_COLUMNS],
    format: 'JSONCompactEachRow',
    // The table deduplicates repeated blocks (the launcher's retries): two cases with the same
    // input must both be stored.
    clickhouse_settings: { insert_deduplication_token: `rule-test/${randomUUID()}` },
  });
}
