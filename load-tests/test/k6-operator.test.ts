import { expect, test } from 'vitest';
import { archiveArgs, archiveConfigMap, testRunManifest } from '../src/k6-operator.ts';
import { scenarioScript } from '../src/scenario-script.ts';
import { ParamValidationError, parseScenarioParams } from '../src/scenarios.ts';

const target = 'http://target.perf.svc:8080';
const input = {
  scenario: 'stress',
  params: { target, scale: 0.2, duration: '20m' },
  targets: [target],
  runId: 'run_20261122T120000Z_abcdef',
  collectorEndpoint: 'collector.perf.svc:4318',
  parallelism: 4,
};

test('a TestRun with the CRD fields: script ConfigMap, parallelism, OTel output to the collector', () => {
  const m = testRunManifest({ ...input, namespace: 'perf' });
  expect(m.apiVersion).toBe('k6.io/v1alpha1');
  expect(m.kind).toBe('TestRun');
  expect(m.metadata.name).toBe('stress-run-20261122t120000z-abcdef');
  expect(m.metadata.name).toMatch(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/);
  expect(m.metadata.namespace).toBe('perf');
  expect(Object.keys(m.spec).sort()).toEqual(
    ['arguments', 'cleanup', 'parallelism', 'runner', 'script', 'separate'].sort(),
  );
  expect(m.spec.parallelism).toBe(4);
  expect(m.spec.script).toEqual({ configMap: { name: 'k6-stress', file: 'stress.tar' } });
  expect(m.spec.arguments.split(' -')).toEqual([
    '--out opentelemetry',
    '-tag run_id=run_20261122T120000Z_abcdef',
    '-no-usage-report',
    'e BASE_URL=http://target.perf.svc:8080',
    'e VUS=10000',
    'e DURATION=20m',
    'e SCALE=0.2',
  ]);
  expect(m.spec.runner.image).toBe('grafana/k6:2.2.0');
  const env = Object.fromEntries(
    m.spec.runner.env.map((e) => [e.name, 'value' in e ? e.value : e.valueFrom]),
  );
  expect(env).toMatchObject({
    K6_OTEL_EXPORTER_PROTOCOL: 'http/protobuf',
    K6_OTEL_HTTP_EXPORTER_ENDPOINT: 'collector.perf.svc:4318',
    OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: 'delta',
  });
  // Serialises as plain JSON (kubectl apply -f accepts JSON as well as YAML).
  expect(JSON.parse(JSON.stringify(m))).toEqual(m);
});

test('the allowlist and parameter limits hold for the cluster too', () => {
  expect(() => testRunManifest({ ...input, params: { target: 'http://evil.test' } })).toThrow(
    ParamValidationError,
  );
  expect(() => testRunManifest({ ...input, params: { target, scale: 2 } })).toThrow(ParamValidationError);
  expect(() => testRunManifest({ ...input, parallelism: 0 })).toThrow(RangeError);
});

test('the archive ConfigMap carries the tar under the file name the TestRun names', () => {
  const cm = archiveConfigMap({ name: 'k6-stress', scenario: 'stress', archive: new Uint8Array([1, 2, 3]) });
  expect(cm.binaryData).toEqual({ 'stress.tar': 'AQID' });
  expect(testRunManifest(input).spec.script.configMap.file).toBe(Object.keys(cm.binaryData)[0]);
});

test('the archive is built with the run parameters (an archive freezes the options)', () => {
  const { scenario, params } = parseScenarioParams('stress', input.params, input.targets);
  const args = archiveArgs(scenario, params, '/tmp/stress.tar');
  expect(args.slice(0, 4)).toEqual(['archive', '--quiet', '-O', '/tmp/stress.tar']);
  expect(args).toContain('SCALE=0.2');
  expect(args.at(-1)).toBe(scenarioScript(scenario));
});
