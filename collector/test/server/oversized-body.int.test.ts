// A client sending a body over the limit reads the 413 with its reason: the collector reads the
// rest of the body (up to a bound) before answering and closing, instead of closing while the
// client is still sending — which the client sees as a connection reset, not an answer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CollectorFixture, startCollectorFixture } from '../support/collector-fixture.ts';

let fx: CollectorFixture;
beforeAll(async () => {
  fx = await startCollectorFixture();
});
afterAll(async () => fx.close());

describe('an oversized body', () => {
  it('gets a 413 the client can read, every time (Node fetch, 30 MiB against the 20 MiB limit)', async () => {
    const body = Buffer.alloc(30 * 1024 * 1024, 0x20);
    const outcomes: string[] = [];
    for (let i = 0; i < 8; i++) {
      try {
        const res = await fetch(`${fx.url}/v1/traces`, {
          method: 'POST',
          body,
          headers: { 'content-type': 'application/json' },
        });
        const answer = (await res.json()) as { message?: string };
        outcomes.push(`${res.status} ${answer.message ?? ''}`);
      } catch (error) {
        outcomes.push(`failed: ${String((error as Error).cause ?? error)}`);
      }
    }
    // Streamed (chunked, no Content-Length): the limit is only found while reading.
    for (let i = 0; i < 8; i++) {
      try {
        const chunks = Array.from({ length: 30 }, () => Buffer.alloc(1024 * 1024, 0x20));
        const stream = new ReadableStream<Uint8Array>({
          pull(controller) {
            const chunk = chunks.shift();
            if (chunk) controller.enqueue(chunk);
            else controller.close();
          },
        });
        const res = await fetch(`${fx.url}/v1/traces`, {
          method: 'POST',
          body: stream,
          headers: { 'content-type': 'application/json' },
          duplex: 'half',
        } as RequestInit);
        const answer = (await res.json()) as { message?: string };
        outcomes.push(`${res.status} ${answer.message ?? ''}`);
      } catch (error) {
        outcomes.push(`failed: ${String((error as Error).cause ?? error)}`);
      }
    }
    expect(outcomes).toEqual(Array(16).fill('413 body exceeds the limit of 20971520 bytes'));
    // The collector still answers afterwards.
    expect((await fetch(`${fx.url}/ready`)).status).toBe(200);
  });
});
