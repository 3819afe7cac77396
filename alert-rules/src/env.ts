// The package's environment, parsed once with zod. Receiver secrets are not here: the routing
// file names the variables that hold them, and they are read from the environment by name.
import { z } from 'zod';

const envSchema = z.object({
  /** Set → one active evaluator across replicas, through a Redis lock. */
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
  /** Routing file (default: alert-rules/routing.yaml). */
  ALERT_ROUTING_FILE: z.string().trim().min(1).optional(),
});

export type AlertRulesEnv = z.output<typeof envSchema>;

export function parseAlertRulesEnv(source: Record<string, string | undefined> = process.env): AlertRulesEnv {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success)
    throw new Error(
      `alert-rules environment: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  return parsed.data;
}
