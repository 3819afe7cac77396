// The CLI's server client at its edges: which server and token it uses (flags over the
// environment), and how each kind of answer becomes one line and an exit code — an API error, a
// page that is not the API, an answer of the wrong shape, a server that is not there. A plain
// node:http server stands in for the dashboard's answers (the real one: dashboard/test/loop/cli-server.int.test.ts).
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_EXIT } from '../src/cli-exit.ts';
import { ANSWERS } from '../src/server-answers.ts';
import { createServerClient, ServerError, serverConnection } from '../src/server-client.ts';

let server: Server;
let url: string;
const seen: { url: string; authorization: string | undefined; method: string | undefined }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push({ url: req.url ?? '', authorization: req.headers.authorization, method: req.method });
    const path = (req.url ?? '').split('?')[0];
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (path === '/api/trpc/reports.trend')
      json(200, { result: { data: [{ runId: 'run_a', createdAt: 1, state: 'finished' }] } });
    else if (path === '/api/trpc/runs.get')
      json(404, {
        error: {
          message: 'no run run_x\nstack…',
          code: -32004,
          data: { code: 'NOT_FOUND', httpStatus: 404 },
        },
      });
    else if (path === '/api/trpc/runs.list')
      json(200, { result: { data: { runs: [{ id: 7 }], storeError: null } } });
    else {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html>bad gateway</html>');
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

async function failure(promise: Promise<unknown>): Promise<ServerError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof ServerError)) throw new Error(`expected a ServerError, got ${String(error)}`);
  return error;
}

describe('serverConnection', () => {
  it('takes the flags over the environment, and nothing when no server is named', () => {
    const env = { PERF_SERVER_URL: 'http://env:3000/', PERF_TOKEN: 'env-token' };
    expect(serverConnection({}, env)).toEqual({ url: 'http://env:3000', token: 'env-token' });
    expect(serverConnection({ server: 'https://flag', token: 'flag-token' }, env)).toEqual({
      url: 'https://flag',
      token: 'flag-token',
    });
    expect(serverConnection({}, {})).toBeNull();
  });

  it('refuses a URL that is not http(s) and a missing token as usage errors', () => {
    const bad = (flags: { server?: string; token?: string }) => {
      try {
        serverConnection(flags, {});
      } catch (error) {
        return error as ServerError;
      }
      throw new Error('accepted');
    };
    expect(bad({ server: 'ftp://x', token: 't' })).toMatchObject({ exitCode: CLI_EXIT.usage });
    expect(bad({ server: '127.0.0.1:3000', token: 't' }).message).toMatch(/http\(s\) URL/);
    expect(bad({ server: 'http://x' })).toMatchObject({
      exitCode: CLI_EXIT.usage,
      message: expect.stringMatching(/an API token is needed: --token T or PERF_TOKEN/),
    });
  });
});

describe('createServerClient', () => {
  const api = () => createServerClient({ url, token: 'cpt_test' });

  it('sends the token as Bearer and the input as ?input=<JSON>', async () => {
    expect(await api().query('reports.trend', ANSWERS.trend, { scenario: 'smoke' })).toEqual([
      { runId: 'run_a', createdAt: 1, state: 'finished' },
    ]);
    expect(seen.at(-1)).toEqual({
      url: `/api/trpc/reports.trend?input=${encodeURIComponent('{"scenario":"smoke"}')}`,
      authorization: 'Bearer cpt_test',
      method: 'GET',
    });
  });

  it('turns an API error into its first line and the exit code of its status', async () => {
    const error = await failure(api().query('runs.get', ANSWERS.run, { id: 'run_x' }));
    expect(error.message).toBe('404: no run run_x');
    expect(error.exitCode).toBe(CLI_EXIT.notFound);
  });

  it('refuses an answer of the wrong shape, naming the field', async () => {
    const error = await failure(api().query('runs.list', ANSWERS.runList));
    expect(error.exitCode).toBe(CLI_EXIT.server);
    expect(error.message).toMatch(
      /^the server's answer to \/api\/trpc\/runs\.list is not what this CLI expects \(runs\.0\.id: /,
    );
  });

  it('says so in one line when the answer is not the API, or nobody answers', async () => {
    const page = await failure(api().query('nothing.here', ANSWERS.any));
    expect(page.message).toBe(
      `the server at ${url} answered 502 with no API answer: <html>bad gateway</html>`,
    );
    expect(page.exitCode).toBe(CLI_EXIT.server);
    const closed = createServerClient({ url: 'http://127.0.0.1:59998', token: 't' });
    const down = await failure(closed.query('runs.list', ANSWERS.runList));
    expect(down.message).toBe('cannot reach the server at http://127.0.0.1:59998: ECONNREFUSED');
    expect(down.exitCode).toBe(CLI_EXIT.server);
  });
});
