import { expect, test } from 'vitest';
import { buildK6Command, k6ChildEnv } from '../src/k6-process.ts';

const input = {
  script: '/repo/load-tests/k6/scenarios/smoke.js',
  runId: 'run_20261122T120000Z_abcdef',
  apiAddress: '127.0.0.1:45678',
  params: { vus: 3, duration: '15s', target: 'http://127.0.0.1:8080' },
  summaryPath: '/runs/run_x/summary.json',
};

test('every run has its REST API, run id tag and parameters', () => {
  const { args, env } = buildK6Command(input);
  expect(args[0]).toBe('run');
  expect(args.at(-1)).toBe(input.script);
  const after = (flag: string): string[] => args.flatMap((a, i) => (a === flag ? [args[i + 1]!] : []));
  expect(after('--address')).toEqual(['127.0.0.1:45678']);
  expect(after('--tag')).toEqual(['run_id=run_20261122T120000Z_abcdef']);
  expect(after('-e')).toEqual([
    'BASE_URL=http://127.0.0.1:8080',
    'VUS=3',
    'DURATION=15s',
    'SUMMARY_PATH=/runs/run_x/summary.json',
  ]);
  expect(args).toContain('--no-usage-report');
  // The script sees its -e parameters only, not k6's process environment.
  expect(args).toContain('--include-system-env-vars=false');
  expect(args).not.toContain('--out');
  expect(env).toEqual({});
});

test('with an OTLP endpoint: --out opentelemetry over http/protobuf with delta temporality', () => {
  const { args, env } = buildK6Command({ ...input, otlpEndpoint: '127.0.0.1:4318' });
  expect(args.slice(args.indexOf('--out'), args.indexOf('--out') + 2)).toEqual(['--out', 'opentelemetry']);
  expect(env).toEqual({
    K6_OTEL_EXPORTER_PROTOCOL: 'http/protobuf',
    K6_OTEL_HTTP_EXPORTER_ENDPOINT: '127.0.0.1:4318',
    K6_OTEL_HTTP_EXPORTER_INSECURE: 'true',
    K6_OTEL_EXPORT_INTERVAL: '1s',
    K6_OTEL_FLUSH_INTERVAL: '1s',
    K6_OTEL_SERVICE_NAME: 'k6',
    OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: 'delta',
  });
});

test('a scaled scenario passes SCALE; a segment of a distributed run is paused, segmented and tagged', () => {
  const { args } = buildK6Command({
    ...input,
    params: { ...input.params, scale: 0.001 },
    paused: true,
    segment: { segment: '1/2:1', sequence: '0,1/2,1' },
  });
  const after = (flag: string): string[] => args.flatMap((a, i) => (a === flag ? [args[i + 1]!] : []));
  expect(after('-e')).toContain('SCALE=0.001');
  expect(args).toContain('--paused');
  expect(after('--execution-segment')).toEqual(['1/2:1']);
  expect(after('--execution-segment-sequence')).toEqual(['0,1/2,1']);
  expect(after('--tag')).toEqual(['run_id=run_20261122T120000Z_abcdef', 'segment=1/2:1']);
});

test("k6's environment: the allowlisted parent variables and the run's own, no parent secret", () => {
  const parent = {
    PATH: '/usr/bin',
    HOME: '/home/qa',
    JWT_SECRET: 'secret',
    DASHBOARD_USERS: 'admin:admin:hash',
    K6_CLOUD_TOKEN: 'token',
    OTEL_EXPORTER_OTLP_HEADERS: 'authorization=x',
  };
  expect(k6ChildEnv(parent, { K6_OTEL_SERVICE_NAME: 'k6' })).toEqual({
    PATH: '/usr/bin',
    HOME: '/home/qa',
    K6_OTEL_SERVICE_NAME: 'k6',
  });
});

test('OTLP headers (the collector key) reach k6 as K6_OTEL_HEADERS, URL-encoded as k6 reads them', () => {
  const { env } = buildK6Command({
    ...input,
    otlpEndpoint: '127.0.0.1:4318',
    otlpHeaders: { authorization: 'Bearer k=ey,with%odd;chars' },
  });
  expect(env.K6_OTEL_HEADERS).toBe('authorization=Bearer%20k%3Dey%2Cwith%25odd%3Bchars');
});

test('with a samples path, k6 writes every sample there as CSV with millisecond timestamps', () => {
  const { args, env } = buildK6Command({ ...input, samplesPath: '/runs/run_x/samples.csv' });
  expect(args.flatMap((a, i) => (a === '--out' ? [args[i + 1]] : []))).toEqual([
    'csv=/runs/run_x/samples.csv',
  ]);
  expect(env).toEqual({ K6_CSV_TIME_FORMAT: 'unix_milli' });
  expect(args.at(-1)).toBe(input.script);
});
