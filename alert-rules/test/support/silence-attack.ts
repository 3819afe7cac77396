// One "dashboard process" for the silence attack test, run as a child so a test can kill it when
// it hangs: opens the store in <dataDir>, optionally creates qa's silences, evaluates the rule once
// and prints what the engine says as one JSON line. Run twice on one directory it is a restart.
//   node silence-attack.ts <dataDir> <t0> create|plant|none
import { createStore } from 'collector';
import { createAlertEngine } from '../../src/engine.ts';
import { parseRuleFile } from '../../src/load-rules.ts';
import { writeSilence } from '../../src/store/silences.ts';
import { insertSeries } from './series.ts';

const [dataDir = '', t0Text = '0', mode = 'none'] = process.argv.slice(2);
const t0 = Number(t0Text);
/** A label value on which a backtracking engine tries ~2^40 ways to match (a+)+ before failing. */
const evilTeam = `${'a'.repeat(40)}!`;

const store = await createStore({ dataDir });
// A gauge high from 10 s on: the rule fires at t0 + 11 s.
if (mode !== 'none')
  await insertSeries(
    store.client,
    [{ series: 'test.level{service="svc"}', values: '0x9 5x29', kind: 'gauge' }],
    {
      start: t0,
      stepMs: 1000,
    },
  );
const log: string[] = [];
const { rules, errors } = parseRuleFile(
  `groups:
  - name: g
    interval: 1s
    rules:
      - alert: LevelHigh
        metric: test.level
        kind: gauge
        stat: last
        service: svc
        window: 5s
        op: ">"
        threshold: 1
        labels: { severity: page, team: "${evilTeam}" }
`,
  'attack.yaml',
);
if (errors.length > 0) throw new Error(errors.join('\n'));
const engine = createAlertEngine({
  client: store.client,
  rules,
  routing: null,
  redisUrl: null,
  log: (m) => log.push(m),
});
const created: Record<string, string> = {};
if (mode === 'create') {
  // What a qa user sends through the dashboard: accepted, since RE2 matches it in linear time.
  const base = { endsAt: t0 + 3_600_000, createdBy: 'qa', comment: 'nested quantifiers' };
  created.nested = (await engine.createSilence({ ...base, matchers: ['team=~"(a+)+"'] }, t0)).id;
  created.matching = (await engine.createSilence({ ...base, matchers: ['team=~"a+!"'] }, t0)).id;
}
if (mode === 'plant') {
  // A row written before patterns were checked with RE2: JavaScript accepted the lookahead; with
  // `!~` it matched every alert, so it silenced everything.
  created.refused = '00000000-0000-4000-8000-000000000001';
  await writeSilence(store.client, {
    id: created.refused,
    matchers: [{ name: 'team', op: '!~', value: '(?=never)' }],
    startsAt: t0,
    endsAt: t0 + 3_600_000,
    createdBy: 'old-version',
    comment: 'stored before RE2',
    updatedAt: t0,
  });
}
await engine.evaluateOnce(t0 + 11_000);
await engine.evaluateOnce(t0 + 12_000);
const alert = engine.alerts().find((a) => a.rule === 'LevelHigh');
const silences = await engine.silences(t0 + 11_000);
console.log(
  JSON.stringify({
    created,
    state: alert?.state,
    silencedBy: alert?.silencedBy,
    problems: Object.fromEntries(silences.map((s) => [s.id, s.problem ?? null])),
    log,
  }),
);
await engine.stop();
await store.close();
