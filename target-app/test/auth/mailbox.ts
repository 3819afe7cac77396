// A local HTTP endpoint standing in for MAIL_WEBHOOK_URL: records each mail, and can hold its answer
// so a test can see what the service does while a delivery is still in flight.
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Mail = { to: string; subject: string; text: string };

export async function startMailbox() {
  const received: Mail[] = [];
  const waiting: ServerResponse[] = [];
  let holding = false;
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    request.on('end', () => {
      received.push(JSON.parse(body) as Mail);
      if (holding) waiting.push(response);
      else response.writeHead(202).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mail`,
    received,
    /** Requests arriving from now on get no answer until release(). */
    hold() {
      holding = true;
    },
    release() {
      holding = false;
      for (const response of waiting.splice(0)) response.writeHead(202).end();
    },
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
