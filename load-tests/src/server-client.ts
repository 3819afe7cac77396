// The dashboard server's API as the CLI calls it: tRPC procedures over plain HTTP (GET for
// queries, POST for mutations, JSON) and the REST export route, with `Authorization: Bearer
// <API token>`. The server checks roles exactly as for the UI. Failures become a ServerError with
// one line to print and the CLI exit code it stands for.
import { z } from 'zod';
import { CLI_EXIT, type CliExit } from './cli-exit.ts';

export interface ServerConnection {
  url: string;
  token: string;
}

export class ServerError extends Error {
  override readonly name = 'ServerError';
  readonly exitCode: CliExit;
  constructor(message: string, exitCode: CliExit) {
    super(message);
    this.exitCode = exitCode;
  }
}

const connectionSchema = z.object({
  url: z.string().refine((u) => {
    try {
      return ['http:', 'https:'].includes(new URL(u).protocol);
    } catch {
      return false;
    }
  }, 'the server URL must be an http(s) URL such as http://127.0.0.1:3000'),
  token: z
    .string({
      error: 'an API token is needed: --token T or PERF_TOKEN (created by an admin on the Tokens page)',
    })
    .min(1, 'the API token is empty'),
});

/** The server and token from flags, else PERF_SERVER_URL / PERF_TOKEN; null when no server is named. */
export function serverConnection(
  flags: { server?: string | undefined; token?: string | undefined },
  env: { PERF_SERVER_URL?: string | undefined; PERF_TOKEN?: string | undefined },
): ServerConnection | null {
  const url = flags.server ?? env.PERF_SERVER_URL;
  if (url === undefined) return null;
  const parsed = connectionSchema.safeParse({ url, token: flags.token ?? env.PERF_TOKEN });
  if (!parsed.success)
    throw new ServerError(parsed.error.issues.map((i) => i.message).join('; '), CLI_EXIT.usage);
  return { url: parsed.data.url.replace(/\/+$/, ''), token: parsed.data.token };
}

const envelopeSchema = z.union([
  z.object({ result: z.object({ data: z.unknown() }) }),
  z.object({
    error: z.object({
      message: z.string(),
      data: z
        .object({
          httpStatus: z.number().optional(),
          // The fields the server's input check refused (zod), each with its reason.
          issues: z
            .array(z.object({ field: z.string(), message: z.string() }))
            .nullable()
            .optional()
            .catch(null),
        })
        .partial()
        .optional(),
    }),
  }),
]);

const exitOfStatus = (status: number): CliExit =>
  status === 404 ? CLI_EXIT.notFound : status === 400 ? CLI_EXIT.usage : CLI_EXIT.server;

/**
 * What an answer must look like: a zod schema checking the fields the CLI reads (other fields pass
 * through), typed as the package's own type the server sends.
 */
export type Answer<T> = { schema: z.ZodType; _type?: T };
export const answer = <T>(schema: z.ZodType): Answer<T> => ({ schema });

export interface ServerClient {
  query<T>(path: string, expected: Answer<T>, input?: unknown): Promise<T>;
  mutation<T>(path: string, expected: Answer<T>, input: unknown): Promise<T>;
  /** A REST download (e.g. /api/runs/<id>/export?format=html): the body as text. */
  download(path: string): Promise<string>;
}

export function createServerClient(connection: ServerConnection): ServerClient {
  const headers = { authorization: `Bearer ${connection.token}` };

  async function send(path: string, init: RequestInit): Promise<Response> {
    const url = `${connection.url}${path}`;
    try {
      return await fetch(url, {
        ...init,
        headers: { ...headers, ...init.headers },
        signal: AbortSignal.timeout(60_000),
      });
    } catch (error) {
      const { cause } = error as { cause?: { code?: string; message?: string } };
      const why = cause?.code ?? cause?.message ?? (error as Error).message;
      throw new ServerError(`cannot reach the server at ${connection.url}: ${why}`, CLI_EXIT.server);
    }
  }

  async function call<T>(path: string, expected: Answer<T>, init: RequestInit): Promise<T> {
    const response = await send(path, init);
    const text = await response.text();
    let body: z.infer<typeof envelopeSchema>;
    try {
      body = envelopeSchema.parse(JSON.parse(text));
    } catch {
      const first = text.split('\n')[0]?.slice(0, 200) ?? '';
      throw new ServerError(
        `the server at ${connection.url} answered ${response.status} with no API answer${first ? `: ${first}` : ''}`,
        CLI_EXIT.server,
      );
    }
    if ('error' in body) {
      const status = body.error.data?.httpStatus ?? response.status;
      const issues = body.error.data?.issues ?? [];
      const message =
        issues.length > 0
          ? issues.map((i) => `${i.field}: ${i.message}`).join('; ')
          : body.error.message.split('\n')[0];
      throw new ServerError(`${status}: ${message}`, exitOfStatus(status));
    }
    const checked = expected.schema.safeParse(body.result.data);
    if (!checked.success) {
      const issue = checked.error.issues[0];
      throw new ServerError(
        `the server's answer to ${path.split('?')[0]} is not what this CLI expects (${issue?.path.join('.') || 'answer'}: ${issue?.message}): is the CLI as new as the server?`,
        CLI_EXIT.server,
      );
    }
    return checked.data as T;
  }

  return {
    query: (path, expected, input) =>
      call(
        `/api/trpc/${path}${input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`}`,
        expected,
        { method: 'GET' },
      ),
    mutation: (path, expected, input) =>
      call(`/api/trpc/${path}`, expected, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(input),
      }),
    async download(path) {
      const response = await send(path, { method: 'GET' });
      const text = await response.text();
      if (!response.ok)
        throw new ServerError(`${response.status}: ${text.split('\n')[0]}`, exitOfStatus(response.status));
      return text;
    },
  };
}
