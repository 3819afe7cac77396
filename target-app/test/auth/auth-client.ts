// JSON calls to a running target app for the auth, favourites and rate-limit tests.
import type { TokenPair } from '../../src/auth/accounts.ts';

export type Reply<T = Record<string, unknown>> = { status: number; headers: Headers; body: T };

export async function call<T = Record<string, unknown>>(
  baseUrl: string,
  method: string,
  path: string,
  options: { body?: unknown; token?: string } = {},
): Promise<Reply<T>> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      ...(options.token === undefined ? {} : { authorization: `Bearer ${options.token}` }),
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: (text === '' ? {} : JSON.parse(text)) as T,
  };
}

let counter = 0;
/** A fresh address per call, so tests in one file never collide. */
export function uniqueEmail(tag: string): string {
  counter += 1;
  return `${tag}-${process.pid}-${counter}@example.com`;
}

/** Registers and logs in a new user; returns the e-mail and tokens. */
export async function signUp(baseUrl: string, tag: string, password = 'correct horse battery') {
  const email = uniqueEmail(tag);
  const registered = await call(baseUrl, 'POST', '/api/auth/register', { body: { email, password } });
  if (registered.status !== 201) throw new Error(`register failed: ${JSON.stringify(registered.body)}`);
  const login = await call<TokenPair>(baseUrl, 'POST', '/api/auth/login', { body: { email, password } });
  if (login.status !== 200) throw new Error(`login failed: ${JSON.stringify(login.body)}`);
  // Registration does not say whether it created an account (nor its id): the account says.
  const me = await call(baseUrl, 'GET', '/api/auth/me', { token: login.body.accessToken });
  return { email, password, id: me.body.id as number, ...login.body };
}

/** Polls an async probe until it returns a value (background work completes later). */
export async function until<T>(probe: () => Promise<T | undefined>, timeoutMs = 8_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
