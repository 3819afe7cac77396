// The environment this package reads, parsed once with zod.
import { z } from 'zod';

const optionalText = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v));

export const envSchema = z.object({
  /** Explicit k6 binary; wins over PATH and the project-local install. */
  K6_PATH: optionalText,
  PATH: z.string().default(''),
  /** The store the results commands read: a ClickHouse server, else embedded chDB in DATA_DIR/chdb. */
  CLICKHOUSE_URL: optionalText.pipe(z.url({ protocol: /^https?$/ }).optional()),
  /** Relative paths resolve against the repository root, as the dashboard's do. */
  DATA_DIR: optionalText.transform((v) => v ?? '.data'),
});

export type LoadTestsEnv = z.infer<typeof envSchema>;

export function parseEnv(source: Record<string, string | undefined> = process.env): LoadTestsEnv {
  return envSchema.parse(source);
}

export const env: LoadTestsEnv = parseEnv();
