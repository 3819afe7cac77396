import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../src/duration.ts';

describe('durations', () => {
  it('parses and prints Prometheus durations', () => {
    expect(['500ms', '10s', '1m', '1h30m', '2d', '0s', '10', '1.5s', ''].map(parseDuration)).toEqual([
      500,
      10_000,
      60_000,
      5_400_000,
      172_800_000,
      0,
      null,
      null,
      null,
    ]);
    expect([0, 500, 90_000, 3_600_000].map(formatDuration)).toEqual(['0s', '500ms', '1m30s', '1h']);
  });
});
