import { expect, it } from 'vitest';
import { pause, polled, streamOf } from '../../src/server/live.ts';

function emitter<T>() {
  const listeners = new Set<(e: T) => void>();
  return {
    subscribe: (l: (e: T) => void) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    emit: (e: T) => {
      for (const l of listeners) l(e);
    },
    count: () => listeners.size,
  };
}

it('streams events in order, including those emitted before the consumer asked', async () => {
  const source = emitter<number>();
  const controller = new AbortController();
  const stream = streamOf(source.subscribe, controller.signal);
  source.emit(1);
  source.emit(2);
  const seen: number[] = [];
  setTimeout(() => source.emit(3), 5);
  for await (const n of stream) {
    seen.push(n);
    if (n === 3) break;
  }
  expect(seen).toEqual([1, 2, 3]);
  expect(source.count()).toBe(0);
});

it('ends and unsubscribes when the client goes away', async () => {
  const source = emitter<number>();
  const controller = new AbortController();
  const stream = streamOf(source.subscribe, controller.signal);
  const next = stream.next();
  controller.abort();
  expect(await next).toEqual({ done: true, value: undefined });
  expect(source.count()).toBe(0);
});

it('drops the oldest events past the queue limit', async () => {
  const source = emitter<number>();
  const controller = new AbortController();
  const stream = streamOf(source.subscribe, controller.signal, 2);
  for (const n of [1, 2, 3, 4]) source.emit(n);
  expect((await stream.next()).value).toBe(3);
  expect((await stream.next()).value).toBe(4);
  controller.abort();
});

it('polls a snapshot until aborted', async () => {
  const controller = new AbortController();
  let reads = 0;
  const seen: number[] = [];
  for await (const n of polled(async () => ++reads, 1, controller.signal)) {
    seen.push(n);
    if (n === 3) controller.abort();
  }
  expect(seen).toEqual([1, 2, 3]);
});

it('a pause ends early when aborted', async () => {
  const controller = new AbortController();
  const started = Date.now();
  const paused = pause(10_000, controller.signal);
  controller.abort();
  expect(await paused).toBe(false);
  expect(Date.now() - started).toBeLessThan(1000);
});
