import { expect, it } from 'vitest';
import { LightTraffic } from '../../src/write/light-traffic.ts';

it('is light below the rows a second, in this second and the one before', () => {
  let now = 10_000;
  const traffic = new LightTraffic(100, () => now);
  expect(traffic.light).toBe(true);
  traffic.note(60);
  traffic.note(39);
  expect(traffic.light).toBe(true);
  traffic.note(1);
  expect(traffic.light).toBe(false);
  // The next second still remembers the burst; the one after has forgotten it.
  now += 1_000;
  expect(traffic.light).toBe(false);
  traffic.note(10);
  now += 1_000;
  expect(traffic.light).toBe(true);
  // A gap of several seconds forgets everything before it.
  traffic.note(150);
  now += 5_000;
  expect(traffic.light).toBe(true);
});
