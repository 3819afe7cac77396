// A small real OTLP/HTTP endpoint for tests: accepts protobuf bodies at /v1/metrics and /v1/traces
// (gunzipping if asked), keeps them, answers with an empty protobuf response as a collector would.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

export type OtlpReceiver = {
  url: string;
  bodies: { metrics: Buffer[]; traces: Buffer[] };
  /** Requests refused for a wrong path or content type: should stay empty. */
  rejected: string[];
  close(): Promise<void>;
};

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const bodies = { metrics: [] as Buffer[], traces: [] as Buffer[] };
  const rejected: string[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const signal =
        request.url === '/v1/metrics' ? 'metrics' : request.url === '/v1/traces' ? 'traces' : undefined;
      const contentType = request.headers['content-type'];
      if (request.method !== 'POST' || signal === undefined || contentType !== 'application/x-protobuf') {
        rejected.push(`${request.method} ${request.url} ${contentType}`);
        response.writeHead(400).end();
        return;
      }
      const raw = Buffer.concat(chunks);
      bodies[signal].push(request.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw);
      response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    bodies,
    rejected,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
