// Refusal accounting without a server: one log line per sender and reason per interval (the rest
// counted into the next line), counts per sender, reason and signal, and the cap on sender names.
import { describe, expect, it } from 'vitest';
import { RateLimitedLog } from '../../src/server/refusal-log.ts';
import { type Refusal, SenderRefusals, signalOfUrl } from '../../src/server/sender-refusals.ts';

function clock(start = 1_000_000) {
  let t = start;
  return {
    now: () => t,
    advance: (ms: number) => {
      t += ms;
    },
  };
}

const invalid = (service: string, items: number): Refusal => ({
  reason: 'invalid_items',
  signal: 'metrics',
  itemsByService: { [service]: items },
  address: '10.0.0.7',
  userAgent: 'OTel-OTLP-Exporter-JavaScript/0.301.0',
  detail: 'queue.depth: non-finite value',
});

describe('RateLimitedLog', () => {
  it('writes one line per key per interval and counts the rest into the next line', () => {
    const c = clock();
    const lines: string[] = [];
    const log = new RateLimitedLog({ intervalMs: 60_000, now: c.now, write: (l) => lines.push(l) });
    for (let i = 0; i < 5; i++) {
      log.event('a', 2, () => `a ${i}`);
      c.advance(1_000);
    }
    log.event('b', 1, () => 'b 0');
    expect(lines).toEqual(['a 0', 'b 0']);
    c.advance(60_000);
    log.event('a', 2, () => 'a 5');
    expect(lines[2]).toBe('a 5 (4 more like it in the 65 s before, not logged: 8 items)');
    log.event('a', 3, () => 'a 6');
    log.flush((key) => `flushed ${key}`);
    expect(lines[3]).toBe('flushed a (1 more like it in the 0 s before, not logged: 3 items)');
    expect(lines).toHaveLength(4);
  });
});

describe('SenderRefusals', () => {
  it('counts items and requests per sender, reason and signal, and logs who and why', () => {
    const c = clock();
    const lines: string[] = [];
    const refusals = new SenderRefusals({ now: c.now, log: { write: (l) => lines.push(l) } });
    refusals.record(invalid('checkout', 3));
    c.advance(500);
    refusals.record(invalid('checkout', 2));
    refusals.record({
      reason: 'unauthorized',
      signal: signalOfUrl('/v1/traces'),
      itemsByService: null,
      address: '192.0.2.1',
      userAgent: 'curl/8.5.0',
      detail: 'invalid API key',
    });
    expect(refusals.snapshot()).toEqual([
      {
        sender: 'checkout',
        reason: 'invalid_items',
        signal: 'metrics',
        items: 5,
        requests: 2,
        lastAt: 1_000_500,
      },
      {
        sender: 'unknown',
        reason: 'unauthorized',
        signal: 'traces',
        items: 0,
        requests: 1,
        lastAt: 1_000_500,
      },
    ]);
    expect(lines).toEqual([
      'collector: rejected 3 invalid metrics items (reason=invalid_items sender="checkout" address=10.0.0.7 user_agent="OTel-OTLP-Exporter-JavaScript/0.301.0"): "queue.depth: non-finite value"',
      'collector: refused a traces request (reason=unauthorized sender="unknown" (payload not decoded) address=192.0.2.1 user_agent="curl/8.5.0"): "invalid API key"',
    ]);
  });

  it('caps distinct sender names, so a client inventing names cannot grow the counters', () => {
    const refusals = new SenderRefusals({ maxSenders: 2, log: { write: () => {} } });
    for (let i = 0; i < 100; i++) refusals.record(invalid(`svc-${i}`, 1));
    refusals.record(invalid('svc-1', 1));
    const senders = refusals.snapshot().map((c) => [c.sender, c.items]);
    expect(senders).toEqual([
      ['svc-0', 1],
      ['svc-1', 2],
      ['other', 98],
    ]);
  });

  it('keeps a hostile service.name on one quoted, bounded line', () => {
    const lines: string[] = [];
    const refusals = new SenderRefusals({ log: { write: (l) => lines.push(l) } });
    refusals.record(invalid(`evil\ncollector: forged line ${'x'.repeat(500)}`, 1));
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain('\n');
    const sender = refusals.snapshot()[0]!.sender;
    expect(sender.startsWith('evil?collector: forged line')).toBe(true);
    expect(sender.length).toBe(64);
  });

  it('names the signal from the request path only', () => {
    expect(signalOfUrl('/v1/metrics')).toBe('metrics');
    expect(signalOfUrl('/v1/logs?x=1')).toBe('logs');
    expect(signalOfUrl('/v1/metricsX')).toBe('other');
    expect(signalOfUrl('/anything')).toBe('other');
  });
});
