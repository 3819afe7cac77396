import { describe, expect, it } from 'vitest';
import { safeNext } from '../../src/lib/safe-next.ts';

// Each of these is a path on this site to a naive check but another site to a browser (which drops
// tab/CR/LF and reads `\` as `/`), or a scheme.
const OFF_SITE = [
  'https://evil.example/',
  '//evil.example',
  '/\\evil.example',
  '\\\\evil.example',
  '/\t/evil.example',
  '/\n/evil.example',
  '/\r\n/evil.example',
  '\t//evil.example',
  '/\\\t\\evil.example',
  '/.//evil.example',
  '/./\\evil.example',
  'javascript:alert(1)',
  'java\tscript:alert(1)',
  ' //evil.example',
  '',
];

describe('safeNext', () => {
  it.each(OFF_SITE)('sends %j home instead of to another site', (next) => {
    expect(safeNext(next)).toBe('/');
    // What a browser would make of the answer, resolved against this site.
    expect(new URL(safeNext(next), 'http://dash.test').origin).toBe('http://dash.test');
  });

  it('keeps a path on this site with its query and fragment', () => {
    expect(safeNext('/runs/abc?tab=report#p95')).toBe('/runs/abc?tab=report#p95');
    expect(safeNext('/alerts')).toBe('/alerts');
    expect(safeNext(null)).toBe('/');
  });

  it('normalises as a browser would before answering', () => {
    expect(safeNext('/ale\trts')).toBe('/alerts');
    expect(safeNext('/a\\b')).toBe('/a/b');
  });
});
