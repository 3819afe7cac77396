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
  /** The dashboard server the CLI talks to (`--server` wins). */
  PERF_SERVER_URL: optionalText,
  /** The CLI's API token (`--token` wins); an admin creates it on the Tokens page. */
  PERF_TOKEN: optionalText,
  /** The target's ADMIN_TOKEN, for experiments switching its settings (`--admin-token` wins). */
  TARGET_ADMIN_TOKEN: optionalText,
});

export type LoadTestsEnv = z.infer<typeof envSchema>;

export function parseEnv(source: Record<string, string | undefined> = process.env): LoadTestsEnv {
  return envSchema.parse(source);
}

export const env: LoadTestsEnv = parseEnv();

const variableName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'is not an environment variable name');

/**
 * A secret the CLI takes from the environment variable a flag names (`--secret-env VAR`), never
 * from argv (which shell history and `ps` keep): its value, or one line saying why there is none.
 */
export function namedSecret(
  flag: string,
  name: string,
  source: Record<string, string | undefined> = process.env,
): { value: string } | { refusal: string } {
  if (!variableName.safeParse(name).success) return { refusal: `${flag} ${name}: not a variable name` };
  const value = source[name];
  if (value === undefined || value.trim() === '')
    return {
      refusal: `${flag} ${name}: that variable is not set (export ${name}=… first; never on the command line)`,
    };
  return { value };
}
