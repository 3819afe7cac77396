import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  isInhibited,
  loadRoutingConfig,
  matchRoutes,
  parseMatcher,
  parseRoutingConfig,
  RoutingConfigError,
} from '../../src/notify/routing-config.ts';

const shipped = fileURLToPath(new URL('../../routing.yaml', import.meta.url));

const config = parseRoutingConfig(
  `route:
  receiver: default
  group_by: [alertname, service]
  routes:
    - matchers: ['severity="page"', 'service=~"car-.*"']
      receiver: pager
      group_wait: 10s
      continue: true
    - matchers: ['team!="db"']
      receiver: chat
receivers:
  - { name: default, webhook: { url_env: ALERT_WEBHOOK_URL } }
  - { name: pager, pagerduty: { routing_key_env: PD_KEY } }
  - { name: chat, slack: { url_env: SLACK_URL } }
`,
  'r.yaml',
);

describe('routing config', () => {
  it('parses Alertmanager matchers', () => {
    expect(parseMatcher('severity="page"')).toEqual({ name: 'severity', op: '=', value: 'page' });
    expect(parseMatcher('service =~ "car.*"')).toEqual({ name: 'service', op: '=~', value: 'car.*' });
    expect(parseMatcher('env!=dev')).toEqual({ name: 'env', op: '!=', value: 'dev' });
    expect(parseMatcher('no operator')).toBeNull();
  });

  it('walks the tree as Alertmanager does: first match wins unless it continues; children inherit', () => {
    const receivers = (labels: Record<string, string>) =>
      matchRoutes(config.route, labels).map((r) => [r.receiver, r.groupWait, r.groupBy.join(',')]);
    expect(receivers({ severity: 'page', service: 'car-suggester' })).toEqual([
      ['pager', 10_000, 'alertname,service'],
      ['chat', 0, 'alertname,service'],
    ]);
    expect(receivers({ severity: 'page', service: 'billing', team: 'db' })).toEqual([
      ['default', 0, 'alertname,service'],
    ]);
    expect(matchRoutes(config.route, {})[0]).toMatchObject({
      groupInterval: 5_000,
      repeatInterval: 14_400_000,
    });
  });

  it('takes secrets only as environment variable names, never literal URLs', () => {
    const attempt = (receiver: string) => () =>
      parseRoutingConfig(`route: { receiver: a }\nreceivers:\n  - ${receiver}\n`, 'bad.yaml');
    expect(attempt('{ name: a, slack: { url: "https://hooks.slack.com/services/T/B/X" } }')).toThrow(
      /bad\.yaml: receivers\.0\.slack: Unrecognized key: "url"/,
    );
    expect(attempt('{ name: a, webhook: { url_env: "https://x" } }')).toThrow(/environment variable/);
    expect(attempt('{ name: a }')).toThrow(/exactly one of webhook, slack, pagerduty/);
    expect(() =>
      parseRoutingConfig(
        'route: { receiver: nope }\nreceivers: [{ name: a, webhook: { url_env: A } }]',
        'x.yaml',
      ),
    ).toThrow(RoutingConfigError);
  });

  it('inhibits: a firing source mutes matching targets with equal labels, never itself', () => {
    const [rule] = loadRoutingConfig(shipped).inhibit_rules;
    const page = { fingerprint: 'p', labels: { severity: 'page', service: 'api' } };
    const ticket = { fingerprint: 't', labels: { severity: 'ticket', service: 'api' } };
    const otherTicket = { fingerprint: 'o', labels: { severity: 'ticket', service: 'db' } };
    expect(isInhibited(ticket, [page, ticket], [rule!])).toBe(true);
    expect(isInhibited(otherTicket, [page, otherTicket], [rule!])).toBe(false);
    expect(isInhibited(page, [page], [rule!])).toBe(false);
    expect(isInhibited(ticket, [ticket], [rule!])).toBe(false);
  });

  it('ships a routing file that loads', () => {
    const shippedConfig = loadRoutingConfig(shipped);
    expect(shippedConfig.receivers.map((r) => r.name)).toEqual(['webhook', 'slack', 'pagerduty']);
    expect(matchRoutes(shippedConfig.route, { severity: 'page' }).map((r) => r.receiver)).toEqual([
      'webhook',
      'slack',
      'pagerduty',
    ]);
    expect(matchRoutes(shippedConfig.route, { severity: 'ticket' }).map((r) => r.receiver)).toEqual([
      'webhook',
      'slack',
    ]);
  });
});
