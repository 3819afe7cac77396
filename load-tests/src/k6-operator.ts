// Kubernetes scale-out: a k6-operator TestRun (k6.io/v1alpha1) for a validated scenario. The operator
// splits the run into `parallelism` execution segments, one runner pod each; every pod exports to our
// collector over OTLP with the same run_id tag, so the store aggregates the run as for local segments.
// The scripts import ../lib/*.js, and a ConfigMap script is one file: ship a `k6 archive` (.tar). An
// archive freezes the options the script computed, so it is built per run with the run's parameters.
import { execFile } from 'node:child_process';
import { basename } from 'node:path';
import { promisify } from 'node:util';
import { otelEnv } from './k6-process.ts';
import { scenarioScript } from './scenario-script.ts';
import { parseScenarioParams, type ScenarioDefinition, type ScenarioParams } from './scenarios.ts';

export type TestRunInput = {
  scenario: string;
  params: unknown;
  /** Allowlist, as for the launcher: the cluster may only load the targets it names. */
  targets: readonly string[];
  runId: string;
  /** host:port of the collector's OTLP/HTTP receiver as seen from the cluster. */
  collectorEndpoint: string;
  parallelism: number;
  /** ConfigMap holding the script archive (see archiveConfigMap). Default: k6-<scenario>. */
  configMapName?: string;
  namespace?: string;
  /** Runner image; default grafana/k6 at the version the project pins. */
  runnerImage?: string;
  /** One runner per node, so the nodes' network and CPU do not cap the load. */
  separate?: boolean;
  /**
   * The Secret key holding one of the collector's COLLECTOR_API_KEYS, when it requires keys. The key
   * itself never enters the manifest: the pods read it from the Secret and send it as `x-api-key`.
   */
  ingestKeySecret?: { name: string; key: string };
};

export const DEFAULT_RUNNER_IMAGE = 'grafana/k6:2.2.0';

export type EnvVar =
  | { name: string; value: string }
  | { name: string; valueFrom: { secretKeyRef: { name: string; key: string } } };

/** The variable the runner pods read the ingest key into (referenced by K6_OTEL_HEADERS). */
export const INGEST_KEY_ENV = 'COLLECTOR_API_KEY';

/**
 * OTLP environment for the runner pods. With a Secret, the key is an env var from the Secret and
 * K6_OTEL_HEADERS refers to it as `$(COLLECTOR_API_KEY)`, which Kubernetes expands from the
 * variables listed before it (so the key must be URL-safe: k6 path-unescapes each header part).
 */
export function runnerEnv(collectorEndpoint: string, secret?: { name: string; key: string }): EnvVar[] {
  const otel: EnvVar[] = Object.entries(otelEnv(collectorEndpoint)).map(([name, value]) => ({ name, value }));
  if (!secret) return otel;
  if (!/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/.test(secret.name))
    throw new RangeError(`ingestKeySecret.name is not a Secret name: ${JSON.stringify(secret.name)}`);
  if (!/^[-._a-zA-Z0-9]{1,253}$/.test(secret.key))
    throw new RangeError(`ingestKeySecret.key is not a Secret key: ${JSON.stringify(secret.key)}`);
  return [
    { name: INGEST_KEY_ENV, valueFrom: { secretKeyRef: secret } },
    ...otel,
    { name: 'K6_OTEL_HEADERS', value: `x-api-key=$(${INGEST_KEY_ENV})` },
  ];
}

export type TestRunManifest = {
  apiVersion: 'k6.io/v1alpha1';
  kind: 'TestRun';
  metadata: { name: string; namespace?: string; labels: Record<string, string> };
  spec: {
    parallelism: number;
    separate: boolean;
    cleanup: 'post';
    script: { configMap: { name: string; file: string } };
    arguments: string;
    runner: { image: string; env: EnvVar[] };
  };
};

/** Name of the archive file inside the ConfigMap for a scenario. */
export const archiveFileName = (scenario: string): string => `${scenario}.tar`;

/** The script's environment for a run's parameters (as the launcher passes them with -e). */
export function scriptEnv(params: ScenarioParams): Record<string, string> {
  return {
    BASE_URL: params.target,
    VUS: String(params.vus),
    DURATION: params.duration,
    ...(params.scale === undefined ? {} : { SCALE: String(params.scale) }),
  };
}

/** `k6 archive` arguments that freeze a scenario's options for these parameters into `outPath`. */
export function archiveArgs(scenario: ScenarioDefinition, params: ScenarioParams, outPath: string): string[] {
  const env = Object.entries(scriptEnv(params)).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
  return ['archive', '--quiet', '-O', outPath, ...env, scenarioScript(scenario)];
}

/** Builds the archive with a real k6 (validated parameters only). */
export async function buildArchive(opts: {
  k6Path: string;
  scenario: string;
  params: unknown;
  targets: readonly string[];
  outPath: string;
}): Promise<void> {
  const { scenario, params } = parseScenarioParams(opts.scenario, opts.params, opts.targets);
  await promisify(execFile)(opts.k6Path, archiveArgs(scenario, params, opts.outPath));
}

/** Kubernetes object names: lower-case alphanumerics and '-', at most 63 characters. */
function k8sName(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
}

export function testRunManifest(input: TestRunInput): TestRunManifest {
  if (!Number.isInteger(input.parallelism) || input.parallelism < 1 || input.parallelism > 1000)
    throw new RangeError('parallelism must be a whole number 1..1000');
  const { scenario, params } = parseScenarioParams(input.scenario, input.params, input.targets);
  const env = scriptEnv(params);
  const args = [
    '--out opentelemetry',
    `--tag run_id=${input.runId}`,
    '--no-usage-report',
    ...Object.entries(env).map(([k, v]) => `-e ${k}=${v}`),
  ];
  return {
    apiVersion: 'k6.io/v1alpha1',
    kind: 'TestRun',
    metadata: {
      name: k8sName(`${scenario.name}-${input.runId}`),
      ...(input.namespace ? { namespace: input.namespace } : {}),
      labels: { 'app.kubernetes.io/part-of': 'perf-control-plane', 'k6.scenario': scenario.name },
    },
    spec: {
      parallelism: input.parallelism,
      separate: input.separate ?? false,
      cleanup: 'post',
      script: {
        configMap: {
          name: input.configMapName ?? k8sName(`k6-${scenario.name}`),
          file: archiveFileName(basename(scenario.file, '.js')),
        },
      },
      arguments: args.join(' '),
      runner: {
        image: input.runnerImage ?? DEFAULT_RUNNER_IMAGE,
        env: runnerEnv(input.collectorEndpoint, input.ingestKeySecret),
      },
    },
  };
}

/** The ConfigMap carrying a scenario's `k6 archive` (binary, so base64 under binaryData). */
export function archiveConfigMap(opts: {
  name: string;
  scenario: string;
  archive: Uint8Array;
  namespace?: string;
}) {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: opts.name, ...(opts.namespace ? { namespace: opts.namespace } : {}) },
    binaryData: { [archiveFileName(opts.scenario)]: Buffer.from(opts.archive).toString('base64') },
  } as const;
}
