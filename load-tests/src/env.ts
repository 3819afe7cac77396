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
});

export type LoadTestsEnv = z.infer<typeof envSchema>;

export function parseEnv(source: Record<string, string | undefined> = process.env): LoadTestsEnv {
  return envSchema.parse(source);
}

export const env: LoadTestsEnv = parseEnv();
