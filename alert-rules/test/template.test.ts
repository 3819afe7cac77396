import { describe, expect, it } from 'vitest';
import { checkTemplate, formatG, humanize, humanizeDuration, renderTemplate } from '../src/template.ts';

const data = { labels: { service: 'car-suggester', alertname: 'X' }, value: 0.2534 };

describe('renderTemplate', () => {
  it('fills labels and the value, through the humanize functions', () => {
    expect(renderTemplate('p95 of {{ $labels.service }} is {{ $value | humanizeDuration }}', data)).toEqual({
      text: 'p95 of car-suggester is 253.4ms',
    });
    expect(renderTemplate('{{$value}} / {{ .Value | humanize }} / {{ .Labels.alertname }}', data).text).toBe(
      '0.2534 / 253.4m / X',
    );
    expect(renderTemplate('{{ $value | humanizePercentage }} failed', { ...data, value: 0.0123 }).text).toBe(
      '1.23% failed',
    );
    expect(renderTemplate('missing: "{{ $labels.nope }}"', data).text).toBe('missing: ""');
  });

  it('renders the value in the rule’s unit through humanizeUnit', () => {
    const render = (value: number, unit?: string) =>
      renderTemplate('average {{ $value | humanizeUnit }}', { ...data, value, unit }).text;
    expect(render(0.2513, 's')).toBe('average 251 ms');
    expect(render(448.8636363636364, 'ms')).toBe('average 449 ms');
    expect(render(5.994e8, 'By')).toBe('average 599.4 MB');
    expect(render(0.1963, '1')).toBe('average 19.6 %');
    expect(render(0.123456)).toBe('average 0.1235');
    expect(renderTemplate('{{ $value | humanizeUnit }}', { ...data, value: null, unit: 's' }).text).toBe(
      'no data',
    );
  });

  it('says "no data" for a missing value', () => {
    expect(
      renderTemplate('{{ $value | humanizeDuration }} and {{ $value }}', { ...data, value: null }).text,
    ).toBe('no data and no data');
  });

  it('renders a broken template as its raw text and reports why', () => {
    expect(renderTemplate('p95 is {{ $value | humanise }}', data)).toEqual({
      text: 'p95 is {{ $value | humanise }}',
      error:
        'unknown function "humanise" (known: humanize, humanizeDuration, humanizePercentage, humanizeUnit)',
    });
    expect(renderTemplate('{{ $value', data).error).toBe('unclosed "{{" at character 1');
    expect(renderTemplate('{{ $labels.service | humanize }}', data).error).toBe(
      'humanize needs a number, got "car-suggester"',
    );
    expect(checkTemplate('{{ $vlaue }}')).toBe('unknown expression "$vlaue" (use $value or $labels.<name>)');
    expect(checkTemplate('fine {{ $value }}')).toBeNull();
  });
});

describe('humanize functions (as Prometheus prints them)', () => {
  it.each([
    [0, '0s'],
    [0.25, '250ms'],
    [0.000_012_3, '12.3us'],
    [1.5, '1.5s'],
    [59.99, '59.99s'],
    [90, '1m 30s'],
    [3_725, '1h 2m 5s'],
    [93_784, '1d 2h 3m 4s'],
    [-90, '-1m 30s'],
  ])('humanizeDuration(%s) = %s', (v, text) => expect(humanizeDuration(v)).toBe(text));

  it.each([
    [0, '0'],
    [1234, '1.234k'],
    [1_500_000, '1.5M'],
    [0.5, '500m'],
    [42, '42'],
  ])('humanize(%s) = %s', (v, text) => expect(humanize(v)).toBe(text));

  it('formats like Go %.4g', () => {
    expect([123456, 0.000_012_34, 1.23456, 100, Number.NaN].map((v) => formatG(v))).toEqual([
      '1.235e+05',
      '1.234e-05',
      '1.235',
      '100',
      'NaN',
    ]);
  });
});
