import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { formatRuleError, loadRules, parseRuleFile } from '../src/load-rules.ts';

const shipped = fileURLToPath(new URL('../rules', import.meta.url));

const rule = (fields: Record<string, string | undefined>) =>
  `groups:
  - name: g
    interval: 2s
    rules:
      - alert: ${fields.alert ?? 'A'}
        metric: http.server.request.duration
        kind: histogram
        stat: ${fields.stat ?? 'p95'}
        window: ${fields.window ?? '10s'}
        op: '>'
${fields.threshold === undefined ? '' : `        threshold: ${fields.threshold}\n`}        for: ${fields.for ?? '10s'}
`;

const errorsOf = (text: string) => parseRuleFile(text, 'rules/x.yaml').errors.map(formatRuleError);

describe('parseRuleFile', () => {
  it('turns a valid rule into durations in ms and query filters', () => {
    const { rules, errors } = parseRuleFile(
      `groups:
  - name: api
    interval: 500ms
    rules:
      - alert: Errors
        metric: http.server.request.duration
        kind: histogram
        stat: ratio
        service: car-suggester
        where:
          http.route: { op: '!=', value: /health }
          http.request.method: GET
        numerator:
          http.response.status_code: [{ op: '>=', value: 500 }, { op: '<', value: 600 }]
        window: 1m30s
        op: '>='
        threshold: 0.001
        keep_firing_for: 1m
`,
      'api.yaml',
    );
    expect(errors).toEqual([]);
    expect(rules).toEqual([
      expect.objectContaining({
        alert: 'Errors',
        group: 'api',
        file: 'api.yaml',
        line: 5,
        intervalMs: 500,
        windowMs: 90_000,
        forMs: 0,
        keepFiringForMs: 60_000,
        where: [
          { key: 'http.route', op: '!=', value: '/health' },
          { key: 'http.request.method', op: '=', value: 'GET' },
        ],
        numerator: [
          { key: 'http.response.status_code', op: '>=', value: 500 },
          { key: 'http.response.status_code', op: '<', value: 600 },
        ],
        labels: {},
      }),
    ]);
  });

  it('rejects a bad duration at its line', () => {
    expect(errorsOf(rule({ threshold: '1', window: '10 seconds' }))).toEqual([
      'rules/x.yaml:9: rule "A" window: "10 seconds" is not a duration (use e.g. 500ms, 10s, 1m, 1h30m)',
    ]);
  });

  it('rejects an unknown stat, naming the known ones', () => {
    const [error, ...rest] = errorsOf(rule({ threshold: '1', stat: 'p96' }));
    expect(rest).toEqual([]);
    expect(error).toMatch(
      /^rules\/x\.yaml:8: rule "A" stat: Invalid option: expected one of "p50"\|.*"ratio"$/,
    );
  });

  it('rejects a missing threshold at the rule', () => {
    expect(errorsOf(rule({}))).toEqual(['rules/x.yaml:5: rule "A" threshold: required']);
  });

  it('rejects misspelt fields, YAML syntax errors, broken templates and inconsistent stats', () => {
    expect(errorsOf(rule({ threshold: '1' }).replace('for:', 'fore:'))).toEqual([
      'rules/x.yaml:12: rule "A" fore: Unrecognized key: "fore"',
    ]);
    expect(errorsOf('groups:\n  - name: g\n    rules: [\n')[0]).toMatch(/^rules\/x\.yaml:4: /);
    expect(
      errorsOf(
        `${rule({ threshold: '1' })}        annotations:\n          summary: '{{ $value | humanise }}'\n`,
      ),
    ).toEqual([
      'rules/x.yaml:14: rule "A" annotations.summary: template: unknown function "humanise" (known: humanize, humanizeDuration, humanizePercentage, humanizeUnit)',
    ]);
    expect(errorsOf(rule({ threshold: '1', stat: 'ratio' }))).toEqual([
      'rules/x.yaml:5: rule "A" numerator: stat "ratio" needs a numerator filter',
    ]);
  });

  it('reads `by` and the unknown-condition policies, rejecting a policy that does not fit', () => {
    const text = `${rule({ threshold: '1' })}        by: [http.route, service]\n        no_data: alerting\n`;
    expect(parseRuleFile(text, 'x.yaml').rules[0]).toMatchObject({
      by: ['http.route', 'service'],
      noData: 'alerting',
      onError: 'error',
    });
    expect(errorsOf(`${rule({ threshold: '1' })}        no_data: error\n`)).toEqual([
      'rules/x.yaml:13: rule "A" no_data: no_data is one of nodata, alerting, ok',
    ]);
  });

  it('knows the unit of what a rule compares: declared, or from the statistic and the metric', () => {
    const withUnit = (unit: string) =>
      rule({ threshold: '200' }).replace('        for:', `        unit: ${unit}\n        for:`);
    const unitOf = (text: string) => parseRuleFile(text, 'x.yaml').rules[0]?.unit;
    expect(unitOf(rule({ threshold: '0.2' }))).toBe('s'); // http.server.request.duration is in seconds
    expect(unitOf(rule({ threshold: '0.2', stat: 'count' }))).toBe('{count}');
    expect(unitOf(rule({ threshold: '5', stat: 'rate' }))).toBe('{count}/s');
    expect(unitOf(withUnit('ms'))).toBe('ms');
    expect(unitOf(withUnit('"{row}"'))).toBe('{row}');
    expect(errorsOf(withUnit('seconds'))).toEqual([
      'rules/x.yaml:12: rule "A" unit: not a unit this engine formats (use one of ns, us, ms, s, min, h, d, By, kBy, MBy, GBy, TBy, KiBy, MiBy, GiBy, TiBy, 1, %, a {count}, or a rate such as {request}/s)',
    ]);
  });

  it('accepts an empty file as no rules', () => {
    expect(parseRuleFile('# nothing yet\n', 'empty.yaml')).toEqual({ rules: [], errors: [] });
  });
});

describe('loadRules', () => {
  let dir: string | undefined;
  afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));

  it('loads the shipped rules', () => {
    const loaded = loadRules(shipped);
    expect(loaded.errors).toEqual([]);
    expect(loaded.rules.map((r) => [r.alert, r.type === 'stat' ? r.stat : 'sql', r.threshold])).toEqual([
      ['TargetChaosLeftOn', 'sql', 0],
      ['CollectorDroppingData', 'sum', 0],
      ['CollectorRejectingData', 'sum', 0],
      ['LoadRunLatencyThresholdFailing', 'sql', 200],
      ['LoadRunErrorThresholdFailing', 'ratio', 0.001],
      ['TargetSlowRealtimeDelivery', 'p95', 0.05],
      ['TargetHighMemory', 'avg', 200_000_000],
      ['TargetHeapRetained', 'min', 150_000_000],
      ['TargetEventLoopBlocked', 'avg', 0.1],
      ['TargetDown', 'max', 1],
      ['TargetAvailabilityBurnRatePage', 'ratio', 0.0144],
      ['TargetAvailabilityBurnRatePageSlow', 'ratio', 0.006],
      ['TargetAvailabilityBurnRateTicket', 'ratio', 0.001],
      ['TargetLowCacheHitRatio', 'sql', 0.8],
      ['TargetHighPoolUtilisation', 'sql', 0.6],
      ['TargetExited', 'sum', 0],
      ['TargetHighLatencyP95', 'p95', 0.2],
      ['TargetHighErrorRatio', 'ratio', 0.001],
      ['TargetSlowDatabaseQueries', 'avg', 0.1],
      ['TargetNoData', 'count', 1],
    ]);
  });

  it('reads *.yaml and *.yml recursively and rejects an alert name used twice', () => {
    dir = mkdtempSync(join(tmpdir(), 'alert-rules-load-'));
    mkdirSync(join(dir, 'team'));
    writeFileSync(join(dir, 'a.yaml'), rule({ threshold: '1' }));
    writeFileSync(
      join(dir, 'team', 'b.yml'),
      rule({ threshold: '2', alert: 'B' }) +
        rule({ threshold: '3' }).replace('groups:\n  - name: g', '  - name: h'),
    );
    writeFileSync(join(dir, 'notes.txt'), 'not a rule file');
    const loaded = loadRules(dir, { displayBase: dir });
    expect(loaded.files).toEqual(['a.yaml', 'team/b.yml']);
    expect(loaded.rules.map((r) => r.alert)).toEqual(['A', 'B']);
    expect(loaded.errors.map(formatRuleError)).toEqual([
      'team/b.yml:16: alert "A" is defined twice (first at a.yaml:5)',
    ]);
  });

  it('reports a missing directory', () => {
    const loaded = loadRules('/nonexistent/rules');
    expect(loaded.errors.map(formatRuleError)).toEqual([
      expect.stringMatching(/^\/nonexistent\/rules:0: cannot read rules directory/),
    ]);
  });
});
