// The target's chaos controls (PUT/GET/DELETE /admin/chaos with its admin token), reached from
// the dashboard so admins can inject latency, errors and the rest without curl. The target
// validates the settings itself; its field-level refusals come back as FieldIssues.
import { z } from 'zod';

export const chaosSettingsSchema = z.strictObject({
  latencyMs: z.number().min(0).max(30_000).default(0),
  jitterMs: z.number().min(0, 'jitter is 0..30000 ms').max(30_000, 'jitter is 0..30000 ms').default(0),
  errorRate: z.number().min(0, 'an error rate is 0..1').max(1, 'an error rate is 0..1').default(0),
  routes: z.array(z.string().max(200)).max(50).default([]),
  cacheEnabled: z.boolean().default(true),
  slowQueryMs: z.number().min(0).max(30_000).default(0),
  slowQueryRate: z.number().min(0).max(1).default(1),
  memoryLeakMbPerSec: z.number().min(0).max(100).default(0),
  memoryLeakCapMb: z.number().int().min(1).max(2048).default(256),
  cpuBurn: z.number().min(0).max(0.95).default(0),
  poolMax: z.number().int().min(1).max(500).nullable().default(null),
});
export type ChaosSettings = z.output<typeof chaosSettingsSchema>;
export type ChaosState = ChaosSettings & { updatedAt: string };

/** The target refused the settings: one message per field. */
export class ChaosRefusedError extends Error {
  readonly issues: { field: string; message: string }[];
  constructor(message: string, issues: { field: string; message: string }[]) {
    super(message);
    this.name = 'ChaosRefusedError';
    this.issues = issues;
  }
}

export interface TargetChaos {
  readonly targetUrl: string;
  current(): Promise<ChaosState>;
  set(settings: ChaosSettings): Promise<ChaosState>;
  reset(): Promise<ChaosState>;
  /** The target's /api route patterns, the only ones a setting's `routes` may name. */
  knownRoutes(): Promise<string[]>;
}

const knownRoutesSchema = z.object({ routes: z.array(z.string()) });

const errorBodySchema = z.object({
  error: z.string(),
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

export function createTargetChaos(options: {
  targetUrl: string;
  adminToken: string;
  timeoutMs?: number;
}): TargetChaos {
  const call = async (
    method: 'GET' | 'PUT' | 'DELETE',
    body?: ChaosSettings,
    path = '/admin/chaos',
  ): Promise<unknown> => {
    let res: Response;
    try {
      res = await fetch(`${options.targetUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${options.adminToken}`,
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(options.timeoutMs ?? 5_000),
      });
    } catch (error) {
      throw new Error(`the target at ${options.targetUrl} did not answer: ${(error as Error).message}`);
    }
    const json: unknown = await res.json().catch(() => null);
    if (res.ok) return json;
    if (res.status === 401) {
      throw new Error('the target refused the admin token: set TARGET_ADMIN_TOKEN to its ADMIN_TOKEN');
    }
    const parsed = errorBodySchema.safeParse(json);
    if (res.status === 400 && parsed.success) {
      throw new ChaosRefusedError(
        parsed.data.error,
        (parsed.data.issues ?? []).map((i) => ({ field: i.path, message: i.message })),
      );
    }
    throw new Error(`the target answered ${res.status}${parsed.success ? `: ${parsed.data.error}` : ''}`);
  };
  return {
    targetUrl: options.targetUrl,
    current: async () => (await call('GET')) as ChaosState,
    set: async (settings) => (await call('PUT', settings)) as ChaosState,
    reset: async () => (await call('DELETE')) as ChaosState,
    knownRoutes: async () =>
      knownRoutesSchema.parse(await call('GET', undefined, '/admin/chaos/routes')).routes,
  };
}
