// A real local HTTP receiver (node:http on 127.0.0.1) that records JSON bodies by path.
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  path: string;
  body: unknown;
  at: number;
}

export interface HttpReceiver {
  url: string;
  received: Received[];
  bodies<T>(path: string): T[];
  /** Replies to the next requests, in order; afterwards 200. */
  reply(...replies: ((res: ServerResponse) => void)[]): void;
  close(): Promise<void>;
}

export async function startHttpReceiver(): Promise<HttpReceiver> {
  const received: Received[] = [];
  const replies: ((res: ServerResponse) => void)[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    req.on('end', () => {
      received.push({ path: req.url ?? '/', body: JSON.parse(body || 'null'), at: Date.now() });
      const reply = replies.shift();
      if (reply) reply(res);
      else res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    bodies: <T>(path: string) => received.filter((r) => r.path === path).map((r) => r.body as T),
    reply: (...r) => void replies.push(...r),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
