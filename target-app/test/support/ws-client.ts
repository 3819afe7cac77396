// A real WebSocket client (the `ws` package) for the price feed tests: keeps every message, waits
// for the next one matching a predicate, and reports how the connection closed.
import { WebSocket } from 'ws';
import type { ServerMessage } from '../../src/realtime/messages.ts';

export type FeedClient = {
  socket: WebSocket;
  messages: ServerMessage[];
  send(message: unknown): void;
  /** The first message (already received or still to come) after index `from` matching `match`. */
  next<T extends ServerMessage>(match: (m: ServerMessage) => m is T, timeoutMs?: number): Promise<T>;
  closed: Promise<{ code: number; reason: string; at: number }>;
};

export const isType =
  <K extends ServerMessage['type']>(type: K) =>
  (m: ServerMessage): m is Extract<ServerMessage, { type: K }> =>
    m.type === type;

export async function connectFeed(httpUrl: string): Promise<FeedClient> {
  const socket = new WebSocket(`${httpUrl.replace(/^http/, 'ws')}/ws/prices`);
  const messages: ServerMessage[] = [];
  let cursor = 0;
  const waiters = new Set<() => void>();
  socket.on('message', (data: Buffer) => {
    messages.push(JSON.parse(data.toString('utf8')) as ServerMessage);
    for (const wake of waiters) wake();
  });
  const closed = new Promise<{ code: number; reason: string; at: number }>((resolve) => {
    socket.on('close', (code: number, reason: Buffer) =>
      resolve({ code, reason: reason.toString(), at: performance.now() }),
    );
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return {
    socket,
    messages,
    send: (message) => socket.send(typeof message === 'string' ? message : JSON.stringify(message)),
    next<T extends ServerMessage>(match: (m: ServerMessage) => m is T, timeoutMs = 8_000) {
      return new Promise<T>((resolve, reject) => {
        const check = () => {
          while (cursor < messages.length) {
            const message = messages[cursor++] as ServerMessage;
            if (match(message)) {
              waiters.delete(check);
              clearTimeout(timer);
              resolve(message);
              return;
            }
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(
              `no matching message within ${timeoutMs} ms; got ${JSON.stringify(messages.slice(-5))}`,
            ),
          );
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    closed,
  };
}
