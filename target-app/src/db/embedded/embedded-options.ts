// The embedded database process's command line, validated with zod; the target builds it with
// embeddedArgs() so both sides agree on the flags.
import { parseArgs } from 'node:util';
import { z } from 'zod';

export const embeddedOptionsSchema = z.strictObject({
  /** PostgreSQL data directory; absent → in memory. */
  dataDir: z.string().trim().min(1, 'must not be empty').optional(),
  host: z.string().trim().min(1).default('127.0.0.1'),
  port: z.number().int().min(0).max(65_535).default(0),
  lockWaitMs: z.number().int().min(0).max(600_000).default(15_000),
  /** Its own service.name, so its memory is a series of its own beside the target's. */
  serviceName: z.string().trim().min(1).max(100).default('car-suggester-db'),
  telemetryEnabled: z.boolean().default(true),
  otlpEndpoint: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as http://127.0.0.1:4318' })
    .transform((url) => url.replace(/\/+$/, ''))
    .default('http://127.0.0.1:4318'),
  metricExportIntervalMs: z.number().int().min(100).max(60_000).default(1_000),
});

export type EmbeddedOptions = z.output<typeof embeddedOptionsSchema>;
export type EmbeddedOptionsInput = z.input<typeof embeddedOptionsSchema>;

const FLAGS = {
  dataDir: '--data-dir',
  host: '--host',
  port: '--port',
  lockWaitMs: '--lock-wait-ms',
  serviceName: '--service-name',
  telemetryEnabled: '--telemetry',
  otlpEndpoint: '--otlp-endpoint',
  metricExportIntervalMs: '--export-interval-ms',
} as const satisfies Record<keyof EmbeddedOptions, string>;

const NUMERIC = new Set<keyof EmbeddedOptions>(['port', 'lockWaitMs', 'metricExportIntervalMs']);

export function embeddedArgs(options: EmbeddedOptionsInput): string[] {
  return (Object.entries(FLAGS) as [keyof EmbeddedOptions, string][]).flatMap(([key, flag]) => {
    const value = options[key];
    return value === undefined ? [] : [`${flag}=${String(value)}`];
  });
}

/** Throws an Error naming each bad flag. */
export function parseEmbeddedArgs(argv: string[]): EmbeddedOptions {
  const { values } = parseArgs({
    args: argv,
    options: Object.fromEntries(
      Object.values(FLAGS).map((flag) => [flag.slice(2), { type: 'string' as const }]),
    ),
  });
  const raw: Record<string, unknown> = {};
  for (const [key, flag] of Object.entries(FLAGS) as [keyof EmbeddedOptions, string][]) {
    const text = values[flag.slice(2)];
    if (typeof text !== 'string') continue;
    if (NUMERIC.has(key)) raw[key] = /^\d+$/.test(text.trim()) ? Number(text) : text;
    else if (key === 'telemetryEnabled') raw[key] = text === 'true' ? true : text === 'false' ? false : text;
    else raw[key] = text;
  }
  const parsed = embeddedOptionsSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const key = issue.path[0] as keyof EmbeddedOptions | undefined;
      return `  ${key === undefined ? '(options)' : FLAGS[key]}: ${issue.message}`;
    });
    throw new Error(`invalid embedded database options:\n${lines.join('\n')}`);
  }
  return parsed.data;
}
