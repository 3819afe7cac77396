// Calls to a running target's /admin/optimisations, for the tests of the switches and their effects.
import type { OptimisationsResponse } from '../../src/optimisations/admin-routes.ts';
import { TEST_TOKEN } from './test-app.ts';

export type OptimisationsReply = {
  status: number;
  body: Partial<OptimisationsResponse> & { error?: string; issues?: { path: string; message: string }[] };
};

/** `token: null` sends no Authorization header; a string body is sent as it is (bad JSON). */
export async function optimisations(
  baseUrl: string,
  method: 'GET' | 'PUT' | 'DELETE',
  body?: unknown,
  token: string | null = TEST_TOKEN,
): Promise<OptimisationsReply> {
  const response = await fetch(`${baseUrl}/admin/optimisations`, {
    method,
    headers: {
      ...(token === null ? {} : { authorization: `Bearer ${token}` }),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as OptimisationsReply['body'] };
}
