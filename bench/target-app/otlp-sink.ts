// The far end of the target's OTLP exporters during "telemetry on": accepts every export with an
// empty protobuf response (a valid Export*ServiceResponse) and counts bytes. Isolates the target's
// own cost (spans, metrics, encoding, sending) from any collector's; the byte count proves the SDK
// really exported during the phase.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export type OtlpSink = {
  readonly endpoint: string;
  counts(): { requests: number; bytes: number };
  close(): Promise<void>;
};

export async function startOtlpSink(): Promise<OtlpSink> {
  let requests = 0;
  let bytes = 0;
  const server = createServer((req, res) => {
    req.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
    });
    req.on('end', () => {
      requests++;
      res.writeHead(200, { 'content-type': 'application/x-protobuf', 'content-length': '0' });
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    counts: () => ({ requests, bytes }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
