// The collector's environment, parsed once with clear messages, and the options the store and the
// collector are built from. Both entry points — the collector's own process (main.ts) and the
// dashboard's all-in-one process — take these, so every variable means the same in both.
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { parseScrapeTargets } from './scrape/scrape-config.ts';
import type { CollectorOptions } from './server/collector-server.ts';
import type { StoreOptions } from './store/create-store.ts';

/** A relative DATA_DIR is taken from the repository root, whichever process or folder reads it. */
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A port variable (0: any free port), by the same rule wherever a process takes one. */
export const portVariable = (name: string, fallback: number) =>
  z.coerce
    .number({ error: `${name} must be a port number` })
    .int(`${name} must be a whole number`)
    .min(0, `${name} must be 0..65535`)
    .max(65_535, `${name} must be 0..65535`)
    .default(fallback);

/** The collector's variables; the dashboard's schema extends this one, so they parse alike. */
export const collectorEnvSchema = z.object({
  CLICKHOUSE_URL: z
    .url({
      protocol: /^https?$/,
      error: 'must be an http(s) URL such as http://default:@127.0.0.1:8123/default',
    })
    .transform((u) => u.replace(/\/+$/, ''))
    .optional(),
  DATA_DIR: z
    .string()
    .trim()
    .min(1)
    .default('.data')
    .transform((dir) => (isAbsolute(dir) ? dir : resolve(REPO_ROOT, dir))),
  COLLECTOR_HOST: z.string().trim().min(1).default('127.0.0.1'),
  COLLECTOR_PORT: portVariable('COLLECTOR_PORT', 4318),
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
  /** Retention in days (unset: keep forever) of the metric, trace and log tables. */
  COLLECTOR_TTL_DAYS_METRICS: z.coerce.number().int().min(1).optional(),
  COLLECTOR_TTL_DAYS_TRACES: z.coerce.number().int().min(1).optional(),
  COLLECTOR_TTL_DAYS_LOGS: z.coerce.number().int().min(1).optional(),
  /** Create the tables ON CLUSTER (server mode); Replicated engines unless COLLECTOR_REPLICATED=false. */
  COLLECTOR_CLUSTER: z
    .string()
    .regex(/^[A-Za-z0-9_.{}-]+$/, { message: 'must be a cluster name or macro' })
    .optional(),
  COLLECTOR_REPLICATED: z.enum(['true', 'false']).default('true'),
  /** 'insert': acknowledge once inserted (queue only on store trouble); 'queue': once fsync'd to the queue. */
  COLLECTOR_ACK_AFTER: z.enum(['insert', 'queue']).default('insert'),
  /**
   * Light traffic: while under 1000 rows a second arrive, batches go through the on-disk queue and
   * are stored together once this many ms have passed (one insert per table), instead of one
   * insert per table per export; 0 = off (npm start sets 5000). Store readers see such rows up to
   * this much later.
   */
  COLLECTOR_COALESCE_MS: z.coerce.number().int().min(0).max(60_000).default(0),
  /** Memory the embedded store (chDB) may use in all, MiB; over it a statement fails instead. */
  COLLECTOR_STORE_MAX_MEMORY_MB: z.coerce
    .number()
    .int()
    .min(128)
    .max(1024 * 1024)
    .default(2048),
  /**
   * Embedded store: the fewest parts one merge takes (MergeTree min_parts_to_merge_at_once). Small
   * inserts every few seconds would otherwise be merged into a table's big part one or two at a time.
   */
  COLLECTOR_STORE_MIN_PARTS_TO_MERGE: z.coerce.number().int().min(2).max(100).default(10),
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
      message: 'each key must be at least 16 printable characters without spaces',
    }),
  /** Seconds between writes of the collector's own counters into the store (0 = off). */
  COLLECTOR_SELF_TELEMETRY_INTERVAL: z.coerce.number().min(0).max(3600).default(10),
  /** ServiceName of the collector's own metrics in the store (the dashboard's System page reads it). */
  COLLECTOR_SERVICE_NAME: z.string().trim().min(1).max(100).default('collector'),
});

export type CollectorEnv = z.output<typeof collectorEnvSchema>;

/** An empty variable means "use the default", as in a docker-compose file with `FOO=`. */
function definedVariables(source: Readonly<Record<string, string | undefined>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(source).filter((entry): entry is [string, string] => (entry[1] ?? '').trim() !== ''),
  );
}

export function parseCollectorEnv(
  source: Readonly<Record<string, string | undefined>> = process.env,
): CollectorEnv {
  const result = collectorEnvSchema.safeParse(definedVariables(source));
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid collector environment:\n${lines.join('\n')}`);
  }
  return result.data;
}

/** The store as the environment describes it: server or embedded, memory cap, retention, cluster. */
export function storeOptionsFromEnv(env: CollectorEnv): StoreOptions {
  return {
    url: env.CLICKHOUSE_URL,
    dataDir: join(env.DATA_DIR, 'chdb'),
    maxMemoryBytes: env.COLLECTOR_STORE_MAX_MEMORY_MB * 1024 * 1024,
    merge: { minPartsToMerge: env.COLLECTOR_STORE_MIN_PARTS_TO_MERGE },
    ttlDays: {
      metrics: env.COLLECTOR_TTL_DAYS_METRICS,
      traces: env.COLLECTOR_TTL_DAYS_TRACES,
      logs: env.COLLECTOR_TTL_DAYS_LOGS,
    },
    cluster: env.COLLECTOR_CLUSTER
      ? { cluster: env.COLLECTOR_CLUSTER, replicated: env.COLLECTOR_REPLICATED === 'true' }
      : undefined,
  };
}

/** Every collector option the environment sets; the caller adds the store it opened. */
export function collectorOptionsFromEnv(env: CollectorEnv): Omit<CollectorOptions, 'store'> {
  return {
    host: env.COLLECTOR_HOST,
    port: env.COLLECTOR_PORT,
    maxBodyBytes: env.COLLECTOR_MAX_BODY_BYTES,
    queueDir: join(env.DATA_DIR, 'collector-queue'),
    queue: { maxBytes: env.COLLECTOR_QUEUE_MAX_BYTES },
    batch: { ackAfter: env.COLLECTOR_ACK_AFTER, coalesceMs: env.COLLECTOR_COALESCE_MS },
    scrapeTargets: env.COLLECTOR_SCRAPE_TARGETS,
    apiKeys: env.COLLECTOR_API_KEYS,
    selfTelemetry:
      env.COLLECTOR_SELF_TELEMETRY_INTERVAL > 0
        ? {
            intervalMs: env.COLLECTOR_SELF_TELEMETRY_INTERVAL * 1000,
            serviceName: env.COLLECTOR_SERVICE_NAME,
          }
        : false,
  };
}
