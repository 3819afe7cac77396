// Silences and acknowledgements on a real chDB store with a real webhook receiver: a silenced
// firing alert keeps its state but pages nobody (the delivery log says "suppressed") and pages once
// the silence ends; an acknowledged alert gets no repeats until it resolves, which clears the ack.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStore, type Store } from 'collector';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type AlertEngine, createAlertEngine } from '../../src/engine.ts';
import { parseRuleFile } from '../../src/load-rules.ts';
import { parseRoutingConfig } from '../../src/notify/routing-config.ts';
import type { WebhookPayload } from '../../src/notify/webhook.ts';
import { AlertActionError } from '../../src/silence/alert-action-error.ts';
import { recentNotifications } from '../../src/store/alert-events.ts';
import { writeSilence } from '../../src/store/silences.ts';
import { type HttpReceiver, startHttpReceiver } from '../support/http-receiver.ts';
import { insertSeries } from '../support/series.ts';

const t0 = Date.UTC(2026, 2, 1, 9, 0, 0);
const s = 1000;
const routing = parseRoutingConfig(
  `route: { receiver: hook, group_by: [alertname], group_interval: 1s, repeat_interval: 10s }
receivers: [{ name: hook, webhook: { url_env: HOOK_URL } }]`,
  'routing.yaml',
);

let dataDir: string;
let store: Store;
let receiver: HttpReceiver;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'alert-rules-silences-'));
  store = await createStore({ dataDir });
  receiver = await startHttpReceiver();
  // A gauge low until 10s, high from 10s to 39s, low again from 40s.
  await insertSeries(
    store.client,
    [{ series: 'test.level{service="svc"}', values: '0x9 5x29 0x30', kind: 'gauge' }],
    {
      start: t0,
      stepMs: s,
    },
  );
});

beforeEach(async () => {
  for (const table of ['cp_silences', 'cp_alert_acks'])
    await store.client.command({ query: `TRUNCATE TABLE ${table}` });
});

afterAll(async () => {
  await receiver?.close();
  await store?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

function engineFor(alert: string, suppressionReloadMs?: number): AlertEngine {
  const { rules, errors } = parseRuleFile(
    `groups:
  - name: g
    interval: 1s
    rules:
      - alert: ${alert}
        metric: test.level
        kind: gauge
        stat: last
        service: svc
        window: 5s
        op: ">"
        threshold: 1
        labels: { severity: page }
`,
    'silences.yaml',
  );
  expect(errors).toEqual([]);
  return createAlertEngine({
    client: store.client,
    rules,
    routing,
    env: { HOOK_URL: `${receiver.url}/${alert}` },
    redisUrl: null,
    suppressionReloadMs,
    log: () => {},
  });
}

const sent = (alert: string) => receiver.bodies<WebhookPayload>(`/${alert}`).map((p) => p.status);
/** The delivery log of one alert, as a sorted list (attempts carry wall-clock times, the engine's test clock does not). */
const logged = async (alert: string) =>
  (await recentNotifications(store.client, 200))
    .filter((n) => n.rule === alert)
    .map((n) => [n.status, n.suppressed ? 'suppressed' : `attempt ${n.attempt}`])
    .sort((a, b) => a.join().localeCompare(b.join()));

describe('silences', () => {
  it('rejects bad silences with the reason and stores nothing', async () => {
    const engine = engineFor('BadSilences');
    const base = { createdBy: 'ana', comment: 'deploy', endsAt: t0 + 60 * s };
    const attempts: unknown[] = [
      { ...base, matchers: [] },
      { ...base, matchers: ['alertname=~"("'] },
      { ...base, matchers: [{ name: 'severity', op: '=~', value: '.*' }] },
      { ...base, matchers: ['alertname="X"'], startsAt: t0 + 60 * s },
      { ...base, matchers: ['alertname="X"'], createdBy: ' ' },
      { ...base, matchers: ['not a matcher'] },
    ];
    const messages: string[] = [];
    for (const input of attempts) {
      const error = await engine.createSilence(input as never, t0).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AlertActionError);
      messages.push((error as Error).message);
    }
    expect(messages).toEqual([
      expect.stringContaining('at least one matcher'),
      expect.stringContaining('not an RE2 regular expression'),
      expect.stringContaining('silence everything'),
      expect.stringContaining('must be after startsAt'),
      expect.stringContaining('createdBy'),
      expect.stringContaining('is not a matcher'),
    ]);
    await expect(
      engine.createSilence({ ...base, matchers: ['alertname="X"'], endsAt: t0 - 1 }, t0),
    ).rejects.toThrow(/in the future/);
    expect(await engine.silences(t0)).toEqual([]);
  });

  it('lists silences as pending, active and expired, and expires one early', async () => {
    const engine = engineFor('ListSilences');
    const pending = await engine.createSilence(
      {
        matchers: ['alertname="Nope"'],
        startsAt: t0 + 100 * s,
        endsAt: t0 + 200 * s,
        createdBy: 'ana',
        comment: 'later',
      },
      t0,
    );
    const active = await engine.createSilence(
      {
        matchers: [{ name: 'service', op: '=', value: 'svc' }, 'alertname!~"Target.*"'],
        endsAt: t0 + 50 * s,
        createdBy: 'bo',
        comment: 'maintenance',
      },
      t0,
    );
    expect(pending.state).toBe('pending');
    expect(active).toMatchObject({ state: 'active', startsAt: t0, createdBy: 'bo', comment: 'maintenance' });
    const states = async (now: number) =>
      Object.fromEntries((await engine.silences(now)).map((x) => [x.id, x.state]));
    expect(await states(t0 + 10 * s)).toEqual({ [pending.id]: 'pending', [active.id]: 'active' });
    expect(await states(t0 + 120 * s)).toEqual({ [pending.id]: 'active', [active.id]: 'expired' });

    const expired = await engine.expireSilence(pending.id, t0 + 20 * s);
    expect(expired).toMatchObject({ state: 'expired', endsAt: t0 + 20 * s });
    expect(await states(t0 + 120 * s)).toEqual({ [pending.id]: 'expired', [active.id]: 'expired' });
    await expect(engine.expireSilence(pending.id, t0 + 21 * s)).rejects.toThrow(/already expired/);
    await expect(engine.expireSilence('nope', t0)).rejects.toThrow(/not a silence id/);
  });

  it('keeps a silenced alert firing without paging, and pages when the silence ends', async () => {
    const alert = 'SilencedLevel';
    const engine = engineFor(alert);
    const silence = await engine.createSilence(
      {
        matchers: [`alertname="${alert}"`, 'severity=~"page|ticket"'],
        endsAt: t0 + 20 * s,
        createdBy: 'ana',
        comment: 'known',
      },
      t0,
    );
    await engine.evaluateOnce(t0 + 11 * s);
    const firing = engine.alerts().find((a) => a.rule === alert)!;
    expect(firing).toMatchObject({ state: 'firing', silencedBy: [silence.id] });
    await engine.evaluateOnce(t0 + 15 * s);
    expect(sent(alert)).toEqual([]);
    expect(await logged(alert)).toEqual([['firing', 'suppressed']]);

    await engine.evaluateOnce(t0 + 21 * s); // the silence ended at 20s and the alert still fires
    expect(engine.alerts().find((a) => a.rule === alert)).toMatchObject({ state: 'firing', silencedBy: [] });
    expect(sent(alert)).toEqual(['firing']);
    await engine.evaluateOnce(t0 + 42 * s);
    expect(sent(alert)).toEqual(['firing', 'resolved']);
    expect(await logged(alert)).toEqual([
      ['firing', 'attempt 1'],
      ['firing', 'suppressed'],
      ['resolved', 'attempt 1'],
    ]);
    await engine.stop();
  });

  it('pages at once when a silence is expired early', async () => {
    const alert = 'ExpiredEarly';
    const engine = engineFor(alert);
    const silence = await engine.createSilence(
      { matchers: [`alertname="${alert}"`], endsAt: t0 + 3600 * s, createdBy: 'ana', comment: 'noise' },
      t0,
    );
    await engine.evaluateOnce(t0 + 11 * s);
    expect(sent(alert)).toEqual([]);
    await engine.expireSilence(silence.id, t0 + 12 * s);
    await engine.evaluateOnce(t0 + 13 * s);
    expect(sent(alert)).toEqual(['firing']);
    await engine.stop();
  });
});

describe('acknowledgements', () => {
  it('stops repeats until the alert resolves, which clears the ack', async () => {
    const alert = 'AckedLevel';
    const engine = engineFor(alert);
    await engine.evaluateOnce(t0 + 11 * s);
    expect(sent(alert)).toEqual(['firing']);
    const fp = engine.alerts().find((a) => a.rule === alert)!.fingerprint;

    const ack = await engine.acknowledge({ fingerprint: fp, by: 'ana', comment: 'on it' }, t0 + 12 * s);
    expect(ack).toMatchObject({ fingerprint: fp, rule: alert, by: 'ana', comment: 'on it' });
    expect(engine.alerts().find((a) => a.rule === alert)?.acknowledged).toMatchObject({ by: 'ana' });
    await engine.evaluateOnce(t0 + 22 * s); // repeat_interval (10s) is due: held back
    await engine.evaluateOnce(t0 + 33 * s);
    expect(sent(alert)).toEqual(['firing']);

    await engine.evaluateOnce(t0 + 42 * s); // resolved: on-call still hears it, and the ack is gone
    expect(sent(alert)).toEqual(['firing', 'resolved']);
    expect(engine.alerts().find((a) => a.rule === alert)?.acknowledged).toBeNull();
    await engine.evaluateOnce(t0 + 43 * s);
    expect(engine.alerts().find((a) => a.rule === alert)?.acknowledged).toBeNull(); // not reloaded from the store
    expect(await logged(alert)).toEqual([
      ['firing', 'attempt 1'],
      ['firing', 'suppressed'],
      ['firing', 'suppressed'],
      ['resolved', 'attempt 1'],
    ]);
    await engine.stop();
  });

  it('resumes repeats after an un-ack, and refuses to ack what is not firing', async () => {
    const alert = 'UnackedLevel';
    const engine = engineFor(alert);
    await engine.evaluateOnce(t0 + 11 * s);
    const fp = engine.alerts().find((a) => a.rule === alert)!.fingerprint;
    await engine.acknowledge({ fingerprint: fp, by: 'bo' }, t0 + 12 * s);
    await engine.unacknowledge(fp, t0 + 13 * s);
    await expect(engine.unacknowledge(fp, t0 + 14 * s)).rejects.toThrow(/not acknowledged/);
    await engine.evaluateOnce(t0 + 22 * s);
    expect(sent(alert)).toEqual(['firing', 'firing']);
    await expect(engine.acknowledge({ fingerprint: '0123456789abcdef', by: 'bo' }, t0)).rejects.toThrow(
      /no firing alert/,
    );
    await expect(engine.acknowledge({ fingerprint: 'zz', by: 'bo' }, t0)).rejects.toThrow(AlertActionError);
    await engine.stop();
  });
});

describe('reading silences and acknowledgements back', () => {
  it('applies its own changes at once and rereads the store only every reload period', async () => {
    const alert = 'OutsideWriter';
    const engine = engineFor(alert, 10 * s);
    await engine.evaluateOnce(t0 + 12 * s);
    const current = () => engine.alerts().find((a) => a.rule === alert)!;
    expect(current()).toMatchObject({ state: 'firing', silencedBy: [] });

    // A silence written beside the engine (an older version, a restore): picked up on the next reload.
    const id = '00000000-0000-4000-8000-0000000000aa';
    await writeSilence(store.client, {
      id,
      matchers: [{ name: 'alertname', op: '=', value: alert }],
      startsAt: t0,
      endsAt: t0 + 100 * s,
      createdBy: 'restore',
      comment: 'written beside the engine',
      updatedAt: t0 + 12 * s,
    });
    await engine.evaluateOnce(t0 + 13 * s);
    expect(current().silencedBy).toEqual([]); // the copy in memory is not reread every evaluation
    await engine.evaluateOnce(t0 + 22 * s);
    expect(current().silencedBy).toEqual([id]);

    // Through the engine, it applies at the very next evaluation.
    await engine.expireSilence(id, t0 + 23 * s);
    const own = await engine.createSilence(
      { matchers: [`alertname="${alert}"`], endsAt: t0 + 100 * s, createdBy: 'ana', comment: 'own' },
      t0 + 23 * s,
    );
    await engine.evaluateOnce(t0 + 24 * s);
    expect(current().silencedBy).toEqual([own.id]);
    await engine.stop();
  });
});
