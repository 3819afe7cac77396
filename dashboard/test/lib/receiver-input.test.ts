// What an admin may enter for a receiver: webhook URLs over http or https, Slack over https only,
// PagerDuty routing keys of 32 characters (PagerDuty: "the 32 character Integration Key"), names
// and severities of a safe shape; adding needs the secret, editing may keep the stored one.
import { describe, expect, it } from 'vitest';
import { receiverAddSchema, receiverEditSchema, receiverRefSchema } from '../../src/lib/receiver-input.ts';

const messages = (input: unknown, schema = receiverAddSchema) => {
  const parsed = schema.safeParse(input);
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('receiver input', () => {
  it('takes each kind with its secret, trimmed, all alerts by default', () => {
    expect(
      receiverAddSchema.parse({ kind: 'webhook', name: ' ops ', url: ' http://10.0.0.5:9000/hook ' }),
    ).toEqual({
      kind: 'webhook',
      name: 'ops',
      url: 'http://10.0.0.5:9000/hook',
      severity: null,
    });
    expect(
      receiverAddSchema.parse({
        kind: 'slack',
        name: 'chat',
        url: 'https://hooks.slack.com/services/T0/B0/x',
        channel: '#oncall',
        severity: 'page',
      }),
    ).toMatchObject({ channel: '#oncall', severity: 'page' });
    expect(
      receiverAddSchema.parse({
        kind: 'pagerduty',
        name: 'pd',
        routingKey: 'r3FPuDvNOTEDyQYCc7trBkymIFcy2NkE',
      }),
    ).toMatchObject({ routingKey: 'r3FPuDvNOTEDyQYCc7trBkymIFcy2NkE' });
  });

  it('refuses what cannot be sent to, with the reason', () => {
    expect(messages({ kind: 'webhook', name: 'a', url: 'ftp://x/hook' })).toEqual([
      'url: a webhook URL starts with http:// or https://',
    ]);
    expect(messages({ kind: 'webhook', name: 'a', url: 'not a url' })).toEqual([
      'url: a webhook URL starts with http:// or https://',
    ]);
    expect(messages({ kind: 'slack', name: 'a', url: 'http://hooks.slack.com/services/x' })).toEqual([
      'url: a Slack incoming-webhook URL starts with https://',
    ]);
    expect(messages({ kind: 'pagerduty', name: 'a', routingKey: 'x'.repeat(31) })).toEqual([
      'routingKey: a PagerDuty routing key is 32 letters or digits',
    ]);
    expect(messages({ kind: 'pagerduty', name: 'a', routingKey: `${'x'.repeat(31)}!` })).toHaveLength(1);
    expect(messages({ kind: 'webhook', name: 'a b', url: 'https://x.test' })).toEqual([
      'name: a receiver name is 1–64 letters, digits or . _ -',
    ]);
    expect(messages({ kind: 'webhook', name: 'a', url: 'https://x.test', severity: 'page"' })).toHaveLength(
      1,
    );
    expect(messages({ kind: 'email', name: 'a', url: 'https://x.test' })).toEqual([
      'kind: kind must be one of webhook, slack, pagerduty',
    ]);
    // A field of another kind is refused rather than ignored.
    expect(messages({ kind: 'webhook', name: 'a', url: 'https://x.test', routingKey: 'k' })).toHaveLength(1);
  });

  it('needs the secret to add, not to edit', () => {
    expect(messages({ kind: 'webhook', name: 'a' })).toHaveLength(1);
    expect(messages({ kind: 'webhook', name: 'a' }, receiverEditSchema)).toEqual([]);
    expect(messages({ kind: 'slack', name: 'a', url: 'http://x.test' }, receiverEditSchema)).toHaveLength(1);
  });

  it('names a receiver to test by id or by the routing file name, not both', () => {
    expect(receiverRefSchema.safeParse({ id: 'abcdEFGH12345678' }).success).toBe(true);
    expect(receiverRefSchema.safeParse({ file: 'webhook' }).success).toBe(true);
    expect(receiverRefSchema.safeParse({ id: 'abcdEFGH12345678', file: 'webhook' }).success).toBe(false);
    expect(receiverRefSchema.safeParse({ id: '../etc' }).success).toBe(false);
  });
});
