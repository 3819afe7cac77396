// Starts one `k6 run` process: command line and environment for a run, output lines to k6.log and a
// callback, and a promise for its exit (settled only after its output has been written).
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { ScenarioParams } from './scenarios.ts';

export type K6CommandInput = {
  script: string;
  runId: string;
  /** host:port for k6's REST API. */
  apiAddress: string;
  params: ScenarioParams;
  summaryPath: string;
  /** host:port of an OTLP/HTTP receiver; unset → no --out opentelemetry. */
  otlpEndpoint?: string;
  /** One of several k6 processes sharing the run (tagged `segment`, same run_id). */
  segment?: { segment: string; sequence: string };
  /** Start paused; the run begins when resumed through the REST API. */
  paused?: boolean;
  /** How k6 exports Trends: explicit buckets (k6's default) or OTel exponential histograms. */
  histograms?: HistogramLayout;
  /** Headers of k6's OTLP exports: the collector's ingest key when it asks for one. */
  otlpHeaders?: Record<string, string>;
  /** Where k6 writes every metric sample (`--out csv`), read by run-samples.ts; unset → not written. */
  samplesPath?: string;
};

export type HistogramLayout = 'explicit' | 'exponential';

/** Environment for k6's OpenTelemetry output: OTLP/HTTP protobuf, 1 s export, delta temporality. */
export function otelEnv(
  endpoint: string,
  histograms: HistogramLayout = 'explicit',
  headers: Record<string, string> = {},
): Record<string, string> {
  return {
    K6_OTEL_EXPORTER_PROTOCOL: 'http/protobuf',
    K6_OTEL_HTTP_EXPORTER_ENDPOINT: endpoint,
    K6_OTEL_HTTP_EXPORTER_INSECURE: 'true',
    K6_OTEL_EXPORT_INTERVAL: '1s',
    K6_OTEL_FLUSH_INTERVAL: '1s',
    K6_OTEL_SERVICE_NAME: 'k6',
    // Read by the OTel Go exporter vendored in k6; the store keeps histograms and sums as deltas.
    OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: 'delta',
    // Also read by the vendored exporter (checked with k6 v2.2.0: points land as exponential
    // histograms, delta, scale up to 20 → percentiles within ~1 % instead of a bucket's width).
    ...(histograms === 'exponential'
      ? { OTEL_EXPORTER_OTLP_METRICS_DEFAULT_HISTOGRAM_AGGREGATION: 'base2_exponential_bucket_histogram' }
      : {}),
    // k6 v2.2.0 (internal/output/opentelemetry/config.go): `k1=v1,k2=v2`, each part path-unescaped.
    ...(Object.keys(headers).length > 0
      ? {
          K6_OTEL_HEADERS: Object.entries(headers)
            .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
            .join(','),
        }
      : {}),
  };
}

/**
 * What a k6 process may take from the launcher's environment: what a Go binary needs to run, write
 * temporary files and verify TLS. Nothing else — the launcher's process holds secrets (JWT_SECRET,
 * DASHBOARD_USERS, SESSION_SECRET, collector keys, cloud tokens in K6_*) that a load script must
 * not see. k6's own settings (K6_*, OTEL_*) are only those the launcher sets for the run.
 */
export const INHERITED_K6_ENV = [
  'PATH',
  'HOME',
  'TMPDIR',
  'TZ',
  'LANG',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
] as const;

/** The k6 child's whole environment: the allowlisted parent variables, then the run's own. */
export function k6ChildEnv(
  parent: Readonly<Record<string, string | undefined>>,
  own: Readonly<Record<string, string>>,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of INHERITED_K6_ENV) {
    const value = parent[name];
    if (value !== undefined) env[name] = value;
  }
  return { ...env, ...own };
}

export function buildK6Command(input: K6CommandInput): { args: string[]; env: Record<string, string> } {
  const args = [
    'run',
    '--address',
    input.apiAddress,
    '--tag',
    `run_id=${input.runId}`,
    '--no-usage-report',
    '--no-color',
    // The script's __ENV holds only the -e parameters below, not k6's process environment (which
    // carries the OTLP settings, and with ingest keys on, the collector key).
    '--include-system-env-vars=false',
    // Progress lines every second would flood k6.log; live numbers come from the REST API instead.
    '--quiet',
    ...(input.otlpEndpoint ? ['--out', 'opentelemetry'] : []),
    ...(input.samplesPath ? ['--out', `csv=${input.samplesPath}`] : []),
    ...(input.paused ? ['--paused'] : []),
    ...(input.segment
      ? [
          '--execution-segment',
          input.segment.segment,
          '--execution-segment-sequence',
          input.segment.sequence,
          '--tag',
          `segment=${input.segment.segment}`,
        ]
      : []),
    ...(input.params.scale === undefined ? [] : ['-e', `SCALE=${input.params.scale}`]),
    '-e',
    `BASE_URL=${input.params.target}`,
    '-e',
    `VUS=${input.params.vus}`,
    '-e',
    `DURATION=${input.params.duration}`,
    '-e',
    `SUMMARY_PATH=${input.summaryPath}`,
    input.script,
  ];
  return {
    args,
    env: {
      ...(input.otlpEndpoint ? otelEnv(input.otlpEndpoint, input.histograms, input.otlpHeaders) : {}),
      // Millisecond timestamps (the default is whole seconds).
      ...(input.samplesPath ? { K6_CSV_TIME_FORMAT: 'unix_milli' } : {}),
    },
  };
}

export type K6Exit = { code: number | null; signal: string | null; error?: Error };

export type K6Process = {
  pid: number | undefined;
  signal(sig: NodeJS.Signals): void;
  exited: Promise<K6Exit>;
};

export function spawnK6(opts: {
  k6Path: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
  logPath: string;
  onLine: (stream: 'stdout' | 'stderr', line: string) => void;
}): K6Process {
  const log = createWriteStream(opts.logPath, { flags: 'a' });
  log.write(
    `$ ${opts.k6Path} ${opts.args.map((a) => (/[\s"']/.test(a) ? JSON.stringify(a) : a)).join(' ')}\n`,
  );
  const child = spawn(opts.k6Path, opts.args, {
    cwd: opts.cwd,
    // A cast: Next's types (in the dashboard's typecheck) make NODE_ENV required, and k6 has none.
    env: k6ChildEnv(process.env, opts.env) as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of ['stdout', 'stderr'] as const) {
    createInterface({ input: child[stream], crlfDelay: Number.POSITIVE_INFINITY }).on('line', (line) => {
      log.write(`${line}\n`);
      opts.onLine(stream, line);
    });
  }
  const exited = new Promise<K6Exit>((resolve) => {
    let settled = false;
    const finish = (exit: K6Exit): void => {
      if (settled) return;
      settled = true;
      if (exit.error) log.write(`launcher: could not run k6: ${exit.error.message}\n`);
      log.end(() => resolve(exit));
    };
    child.once('error', (error) => finish({ code: null, signal: null, error }));
    child.once('close', (code, signal) => finish({ code, signal }));
  });
  return {
    pid: child.pid,
    signal: (sig) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(sig);
    },
    exited,
  };
}
