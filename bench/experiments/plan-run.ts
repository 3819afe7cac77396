// The plan's experiment end to end, by hand (issue 23): the real target on PostgreSQL + Redis, the
// real dashboard server running the experiment (scores per run), launched and followed through the
// CLI as a person would. Prints the CLI's progress lines and final tables, and saves the
// experiment's stored result as JSON under bench/results/.
//
// Run: eval "$(bash scripts/test-services.sh)"; node bench/experiments/plan-run.ts [--repeats 3]
//        [--duration 30s] [--vus 10] [--cars 20000]
// Bounded: every run has its duration, the whole plan (variants × repeats + a warm-up) ends by itself,
// and all traffic goes to 127.0.0.1.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { createApiToken } from '../../dashboard/test/support/cli-process.ts';
import { send, signInSession, startDashboardServer } from '../../dashboard/test/support/dashboard-server.ts';
import { startTargetProcess } from '../../dashboard/test/support/target-process.ts';
import { TEST_USERS, testUsersEnv } from '../../dashboard/test/support/users.ts';
import { createTestDatabase } from '../../target-app/test/support/databases.ts';

const args = z
  .object({
    repeats: z.coerce.number().int().min(2).max(10).default(3),
    duration: z
      .string()
      .regex(/^\d+[sm]$/)
      .default('30s'),
    vus: z.coerce.number().int().min(1).max(50).default(10),
    cars: z.coerce.number().int().min(1000).max(1_000_000).default(20_000),
  })
  .parse(
    Object.fromEntries(
      process.argv.slice(2).flatMap((a, i, all) => (a.startsWith('--') ? [[a.slice(2), all[i + 1]]] : [])),
    ),
  );
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:56379';
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ADMIN = TEST_USERS[2]!;
const TARGET_ADMIN_TOKEN = 'bench-experiment-plan-admin-token-0123456789';

const work = mkdtempSync(join(tmpdir(), 'bench-experiment-'));
const database = await createTestDatabase('bench_experiment_plan');
console.log(`bench-experiment: target on PostgreSQL (${database.url}) + Redis, ${args.cars} cars …`);
const target = await startTargetProcess({
  DATABASE_URL: database.url,
  REDIS_URL,
  CAR_COUNT: String(args.cars),
  ADMIN_TOKEN: TARGET_ADMIN_TOKEN,
});
const dashboard = await startDashboardServer(join(work, 'data'), {
  DASHBOARD_USERS: await testUsersEnv(),
  TARGET_URL: target.url,
  TARGET_ADMIN_TOKEN,
});
try {
  const cookie = await signInSession(dashboard.url, ADMIN.name, ADMIN.password);
  const { token } = await createApiToken(dashboard.url, cookie, 'bench-experiment', 'admin');
  const started = Date.now();
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(
      process.execPath,
      [
        join(ROOT, 'load-tests/src/cli.ts'),
        'experiment',
        'start',
        '--plan',
        'plan-optimisations',
        '--repeats',
        String(args.repeats),
        '--duration',
        args.duration,
        '--vus',
        String(args.vus),
      ],
      { env: { ...process.env, PERF_SERVER_URL: dashboard.url, PERF_TOKEN: token }, stdio: 'inherit' },
    );
    child.on('close', resolve);
  });
  console.log(`bench-experiment: CLI exit ${code} after ${Math.round((Date.now() - started) / 60_000)} min`);
  const list = await send(`${dashboard.url}/api/trpc/experiments.list`, { headers: { cookie } });
  const listed = JSON.parse(list.body).result.data as { experiments: { id: string }[] };
  const id = listed.experiments[0]?.id;
  if (id) {
    const input = encodeURIComponent(JSON.stringify({ id }));
    const got = await send(`${dashboard.url}/api/trpc/experiments.get?input=${input}`, {
      headers: { cookie },
    });
    mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
    const file = join(
      ROOT,
      'bench/results',
      `experiment-plan-${new Date().toISOString().replace(/[:.]/g, '-')}.json`,
    );
    writeFileSync(
      file,
      JSON.stringify(
        { args, loadavg: (await import('node:os')).loadavg(), ...JSON.parse(got.body).result.data },
        null,
        2,
      ),
    );
    console.log(`bench-experiment: saved ${file}`);
  }
} finally {
  await dashboard.stop();
  await target.stop();
  await database.drop();
  rmSync(work, { recursive: true, force: true });
}
