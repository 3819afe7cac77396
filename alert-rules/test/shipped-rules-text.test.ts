// Every shipped rule as on-call reads it: its condition, a sample value and its annotations,
// rendered in the rule's unit. A new rule in alert-rules/rules needs its line here.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadRules } from '../src/load-rules.ts';
import { describeCondition, formatRuleValue, unitOf } from '../src/rule-text.ts';
import { renderTemplate } from '../src/template.ts';

const shipped = loadRules(fileURLToPath(new URL('../rules', import.meta.url)));

interface Expected {
  /** The unit of what it compares; undefined only where no single unit applies. */
  unit: string | undefined;
  condition: string;
  /** A value the rule might see, its labels (group labels beside the rule's), and how both read. */
  sample: number;
  labels?: Record<string, string>;
  value: string;
  annotations: Record<string, string>;
}

const runbook = (anchor: string) => ({ runbook_url: `alert-rules/README.md#${anchor}` });
const sloSummary = (value: string, factor: string, windows: string) =>
  `TargetAvailability: ${value} bad events burn the 0.1 % error budget ${factor}× too fast (${windows})`;

const expected: Record<string, Expected> = {
  TargetChaosLeftOn: {
    unit: undefined, // the settings differ (ms, a share): each row brings its own as a `unit` label
    condition: 'sql over 1m > 0',
    sample: 300,
    labels: { setting: 'chaos.latency_ms', unit: 'ms' },
    value: '300 ms',
    annotations: {
      summary: 'chaos setting chaos.latency_ms of car-suggester has been 300 ms for 10m or more',
      ...runbook('targetchaoslefton'),
    },
  },
  CollectorDroppingData: {
    unit: '{row}',
    condition: 'sum(collector.dropped) over 5m > 0',
    sample: 12_345,
    labels: { signal: 'metrics' },
    value: '12,345',
    annotations: {
      summary: 'the collector dropped 12,345 acknowledged metrics rows in the last 5m',
      ...runbook('collectordroppingdata'),
    },
  },
  CollectorRejectingData: {
    unit: '{item}',
    condition: 'sum(collector.rejected) over 5m > 0',
    sample: 60,
    labels: { signal: 'traces' },
    value: '60',
    annotations: {
      summary: 'the collector rejected 60 invalid traces items in the last 5m',
      ...runbook('collectorrejectingdata'),
    },
  },
  LoadRunLatencyThresholdFailing: {
    unit: 'ms',
    condition: 'sql over 30s > 200 ms', // the p95 of the run's samples (cp_run_samples)
    sample: 448.863_636_363_636_4,
    labels: { run_id: 'r1', service: 'k6' },
    value: '449 ms',
    annotations: {
      summary: 'load run r1: p95 449 ms breaks its threshold p(95)<200',
      ...runbook('loadrunthresholdfailing'),
    },
  },
  LoadRunErrorThresholdFailing: {
    unit: '1',
    condition: 'ratio(http_req_failed.total) over 30s > 0.1 %',
    sample: 0.012_345,
    labels: { run_id: 'r1' },
    value: '1.23 %',
    annotations: {
      summary: 'load run r1: 1.23 % of requests failed, threshold rate<0.001',
      ...runbook('loadrunthresholdfailing'),
    },
  },
  TargetSlowRealtimeDelivery: {
    unit: 's',
    condition: 'p95(realtime.message.latency) over 1m > 50 ms',
    sample: 0.083_42,
    value: '83.4 ms',
    annotations: {
      summary: 'p95 real-time delivery latency of car-suggester is 83.4 ms (target < 50 ms)',
      ...runbook('targetslowrealtimedelivery'),
    },
  },
  TargetHighMemory: {
    unit: 'By',
    condition: 'avg(process.memory.usage) over 1m > 200 MB',
    sample: 5.994e8,
    value: '599.4 MB',
    annotations: {
      summary: 'car-suggester uses 599.4 MB of memory (RSS, target < 200 MB)',
      ...runbook('targethighmemory'),
    },
  },
  TargetHeapRetained: {
    unit: 'By',
    condition: 'min(v8js.memory.heap.used) over 10m > 150 MB',
    sample: 182_431_744,
    value: '182.4 MB',
    annotations: {
      summary: 'the JS heap of car-suggester has not dropped below 182.4 MB for 10m',
      ...runbook('targetheapretained'),
    },
  },
  TargetEventLoopBlocked: {
    unit: 's',
    condition: 'avg(nodejs.eventloop.delay.p99) over 1m > 100 ms',
    sample: 0.150_274_3,
    value: '150 ms',
    annotations: {
      summary: 'event-loop delay p99 of car-suggester is 150 ms',
      ...runbook('targeteventloopblocked'),
    },
  },
  TargetAvailabilityBurnRatePage: {
    unit: '1',
    condition: 'ratio(http.server.request.duration) over 1h and 5m > 1.44 %',
    sample: 0.018_141_6,
    value: '1.81 %',
    annotations: {
      summary: sloSummary('1.81 %', '14.4', '1h and 5m'),
      ...runbook('targetavailabilityburnrate'),
    },
  },
  TargetAvailabilityBurnRatePageSlow: {
    unit: '1',
    condition: 'ratio(http.server.request.duration) over 6h and 30m > 0.6 %',
    sample: 0.006_66,
    value: '0.666 %',
    annotations: {
      summary: sloSummary('0.666 %', '6', '6h and 30m'),
      ...runbook('targetavailabilityburnrate'),
    },
  },
  TargetAvailabilityBurnRateTicket: {
    unit: '1',
    condition: 'ratio(http.server.request.duration) over 3d and 6h > 0.1 %',
    sample: 0.001_234_5,
    value: '0.123 %',
    annotations: {
      summary: sloSummary('0.123 %', '1', '3d and 6h'),
      ...runbook('targetavailabilityburnrate'),
    },
  },
  TargetLowCacheHitRatio: {
    unit: '1',
    condition: 'sql over 2m < 80 %',
    sample: 0.1963,
    value: '19.6 %',
    annotations: {
      summary: 'only 19.6 % of cache lookups of car-suggester hit (target > 80 %)',
      ...runbook('targetlowcachehitratio'),
    },
  },
  TargetHighPoolUtilisation: {
    unit: '1',
    condition: 'sql over 1m > 60 %',
    sample: 0.696_969,
    labels: { pool: 'postgres' },
    value: '69.7 %',
    annotations: {
      summary: 'postgres pool of car-suggester is 69.7 % utilised (target < 60 %)',
      ...runbook('targethighpoolutilisation'),
    },
  },
  TargetHighLatencyP95: {
    unit: 's',
    condition: 'p95(http.server.request.duration) over 5s > 200 ms',
    sample: 1.274_9,
    value: '1.27 s',
    annotations: {
      summary: 'p95 latency of car-suggester is 1.27 s',
      description: 'The 95th percentile of HTTP request duration over 5s is above 200 ms.',
      ...runbook('targethighlatencyp95'),
    },
  },
  TargetHighErrorRatio: {
    unit: '1',
    condition: 'ratio(http.server.request.duration) over 10s > 0.1 %',
    sample: 0.009_900_990_099,
    value: '0.99 %',
    annotations: {
      summary: '0.99 % of requests to car-suggester fail with 5xx',
      ...runbook('targethigherrorratio'),
    },
  },
  TargetSlowDatabaseQueries: {
    unit: 's',
    condition: 'avg(db.client.operation.duration) over 1m > 100 ms',
    sample: 0.251_3,
    labels: { db_operation_name: 'SELECT' },
    value: '251 ms',
    annotations: {
      summary: 'SELECT queries of car-suggester average 251 ms',
      ...runbook('targetslowdatabasequeries'),
    },
  },
  TargetDown: {
    unit: undefined, // `up` is 1 or 0
    condition: 'max(up) over 10s < 1',
    sample: 0,
    labels: { job: 'car-suggester' },
    value: '0',
    annotations: {
      summary: 'every scrape of car-suggester failed for 30s: its process is down or not answering',
      ...runbook('targetdown'),
    },
  },
  TargetExited: {
    unit: '{exit}',
    condition: 'sum(supervisor.target.exits) over 5m > 0',
    sample: 2,
    labels: { target_service: 'car-suggester', exit_reason: 'SIGKILL' },
    value: '2',
    annotations: {
      summary: 'car-suggester exited (SIGKILL); exits in the last 5m: 2; npm start started it again',
      ...runbook('targetexited'),
    },
  },
  TargetNoData: {
    unit: '{count}',
    condition: 'count(chaos.latency_ms) over 1m < 1',
    sample: 0,
    value: '0',
    annotations: {
      summary: 'no telemetry from car-suggester for 1m30s: the target or its telemetry is down',
      ...runbook('targetnodata'),
    },
  },
};

/**
 * A float printed raw (a long tail or an exponent), or a value's unit glued to its number ("250MB",
 * "300ms"; windows keep Prometheus' spelling, "10s", "1m30s").
 */
const unreadable = /\d\.\d{5,}|\de[+-]?\d|\d(?:ms|µs|[kMGT]?B|%)(?!\w)/;

describe('the shipped rules read in their units', () => {
  it('load, and every one of them is listed here', () => {
    expect(shipped.errors).toEqual([]);
    expect(shipped.rules.map((r) => r.alert).filter((name) => !(name in expected))).toEqual([]);
  });

  it.each(shipped.rules.map((rule) => [rule.alert, rule] as const))('%s', (name, rule) => {
    const want = expected[name]!;
    const labels = {
      ...(rule.type === 'stat' && rule.service ? { service: rule.service } : {}),
      ...want.labels,
      ...rule.labels,
      alertname: rule.alert,
    };
    const annotations = Object.fromEntries(
      Object.entries(rule.annotations).map(([key, template]) => {
        const rendered = renderTemplate(template, { labels, value: want.sample, unit: unitOf(rule, labels) });
        expect(rendered.error, `${key} of ${name}`).toBeUndefined();
        return [key, rendered.text];
      }),
    );
    const got = {
      unit: rule.unit,
      condition: describeCondition(rule),
      value: formatRuleValue(rule, want.sample, labels),
      annotations,
    };
    expect(got).toEqual({
      unit: want.unit,
      condition: want.condition,
      value: want.value,
      annotations: want.annotations,
    });
    for (const text of [got.condition, got.value, ...Object.values(annotations)])
      expect(text, `${name}: "${text}"`).not.toMatch(unreadable);
  });

  it('TargetChaosLeftOn reads each setting in its own unit', () => {
    const chaos = shipped.rules.find((r) => r.alert === 'TargetChaosLeftOn')!;
    const labels = { setting: 'chaos.error_rate', unit: '1', service: 'car-suggester' };
    expect(formatRuleValue(chaos, 0.05, labels)).toBe('5 %');
    expect(
      renderTemplate(chaos.annotations.summary!, { labels, value: 0.05, unit: unitOf(chaos, labels) }).text,
    ).toBe('chaos setting chaos.error_rate of car-suggester has been 5 % for 10m or more');
  });
});
