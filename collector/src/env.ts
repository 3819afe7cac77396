// The collector's environment, parsed once with clear messages.
import { z } from 'zod';
import { parseScrapeTargets } from './scrape/scrape-config.ts';

const schema = z.object({
  CLICKHOUSE_URL: z
    .url({ message: 'CLICKHOUSE_URL must be a URL such as http://default:@127.0.0.1:8123/default' })
    .optional(),
  DATA_DIR: z.string().min(1).default('.data'),
  COLLECTOR_HOST: z.string().min(1).default('127.0.0.1'),
  COLLECTOR_PORT: z.coerce.number().int().min(0).max(65535).default(4318),
  COLLECTOR_MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(256 * 1024 * 1024)
    .default(20 * 1024 * 1024),
  /** Bound of the on-disk queue (DATA_DIR/collector-queue); beyond it new data gets 503. */
  COLLECTOR_QUEUE_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(1024 * 1024 * 1024),
  /** 'insert': acknowledge once inserted (queue only on store trouble); 'queue': once fsync'd to the queue. */
  /** Retention in days (unset: keep forever) of the metric, trace and log tables. */
  COLLECTOR_TTL_DAYS_METRICS: z.coerce.number().int().min(1).optional(),
  COLLECTOR_TTL_DAYS_TRACES: z.coerce.number().int().min(1).optional(),
  COLLECTOR_TTL_DAYS_LOGS: z.coerce.number().int().min(1).optional(),
  /** Create the tables ON CLUSTER (server mode); Replicated engines unless COLLECTOR_REPLICATED=false. */
  COLLECTOR_CLUSTER: z
    .string()
    .regex(/^[A-Za-z0-9_.{}-]+$/, { message: 'COLLECTOR_CLUSTER must be a cluster name or macro' })
    .optional(),
  COLLECTOR_REPLICATED: z.enum(['true', 'false']).default('true'),
  COLLECTOR_ACK_AFTER: z.enum(['insert', 'queue']).default('insert'),
  /** Memory the embedded store (chDB) may use in all, MiB; over it a statement fails instead. */
  COLLECTOR_STORE_MAX_MEMORY_MB: z.coerce
    .number()
    .int()
    .min(128)
    .max(1024 * 1024)
    .default(2048),
  /**
   * Prometheus targets to scrape, JSON: [{"job":"car-suggester","url":"http://127.0.0.1:8080/metrics",
   * "interval":"5s","timeout":"2s"}] (interval default 15s, timeout default 10s, at most the interval).
   */
  COLLECTOR_SCRAPE_TARGETS: z
    .string()
    .default('[]')
    .transform((json, ctx) => {
      try {
        return parseScrapeTargets(json);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    }),
  /** Comma-separated ingest API keys; when set, OTLP POSTs need one (Bearer or x-api-key). */
  COLLECTOR_API_KEYS: z
    .string()
    .default('')
    .transform((s) =>
      s
        .split(',')
        .map((k) => k.trim())
        .filter((k) => k !== ''),
    )
    .refine((keys) => keys.every((k) => k.length >= 16 && /^[\x21-\x7e]+$/.test(k)), {
      message: 'each COLLECTOR_API_KEYS key must be at least 16 printable characters without spaces',
    }),
  /** Seconds between writes of the collector's own counters into the store (0 = off). */
  COLLECTOR_SELF_TELEMETRY_INTERVAL: z.coerce.number().min(0).max(3600).default(10),
  /** ServiceName of the collector's own metrics in the store. */
  COLLECTOR_SERVICE_NAME: z.string().min(1).max(100).default('collector'),
});

export type CollectorEnv = z.infer<typeof schema>;

export function parseCollectorEnv(source: NodeJS.ProcessEnv = process.env): CollectorEnv {
  const result = schema.safeParse(Object.fromEntries(Object.entries(source).filter(([, v]) => v !== '')));
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid collector environment:\n${lines.join('\n')}`);
  }
  return result.data;
}

/** The collector options that come from the environment beyond store, host and port. */
export function collectorOptionsFromEnv(env: CollectorEnv) {
  return {
    scrapeTargets: env.COLLECTOR_SCRAPE_TARGETS,
    apiKeys: env.COLLECTOR_API_KEYS,
    selfTelemetry:
      env.COLLECTOR_SELF_TELEMETRY_INTERVAL > 0
        ? {
            intervalMs: env.COLLECTOR_SELF_TELEMETRY_INTERVAL * 1000,
            serviceName: env.COLLECTOR_SERVICE_NAME,
          }
        : (false as const),
  };
}
