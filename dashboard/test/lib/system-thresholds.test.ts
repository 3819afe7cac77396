import { describe, expect, it } from 'vitest';
import { SYSTEM_THRESHOLDS, thresholdText, toneOf, worseTone } from '../../src/lib/system-thresholds.ts';

const T = SYSTEM_THRESHOLDS;

describe('System page thresholds', () => {
  it('colours the store round trip: a 938 ms round trip is red, not green', () => {
    expect(toneOf(938, T.storeRoundTripMs)).toBe('bad');
    expect(toneOf(250, T.storeRoundTripMs)).toBe('warn');
    expect(toneOf(100, T.storeRoundTripMs)).toBe('ok');
    expect(toneOf(3, T.storeRoundTripMs)).toBe('ok');
    expect(toneOf(null, T.storeRoundTripMs)).toBeNull();
  });

  it('any refused, rejected or dropped item is red', () => {
    expect(toneOf(0, T.losses)).toBe('ok');
    expect(toneOf(0.1, T.losses)).toBe('bad');
    expect(toneOf(1, T.losses)).toBe('bad');
  });

  it('colours the queue by its fill', () => {
    expect(toneOf(0.2, T.queueFill)).toBe('ok');
    expect(toneOf(0.6, T.queueFill)).toBe('warn');
    expect(toneOf(0.95, T.queueFill)).toBe('bad');
  });

  it('states the thresholds it colours by', () => {
    expect(thresholdText(T.storeRoundTripMs)).toBe('amber > 100 ms, red > 500 ms');
    expect(thresholdText(T.queueFill)).toBe('amber > 50 %, red > 90 %');
    expect(thresholdText(T.losses)).toBe('red > 0');
  });

  it('takes the worse of two tones', () => {
    expect(worseTone('bad', 'ok')).toBe('bad');
    expect(worseTone('ok', 'warn')).toBe('warn');
    expect(worseTone(null, 'ok')).toBe('ok');
    expect(worseTone(null, null)).toBeNull();
  });
});
