// The benchmark's command line: flags with their defaults (the full 1 M-car run fits in ~15 min),
// validated with zod so a bad value stops the run before anything is loaded or started.
import { parseArgs } from 'node:util';
import { z } from 'zod';

export const USAGE = `usage: node bench/target-app/run.ts [options]
  --cars N             cars to load (default 1000000)
  --seed N             generator seed (default 42)
  --rates LIST         mix rates, req/s (default search=30,details=60,recommendations=15,login=3)
  --duration S         seconds per mix phase (default 60)
  --warmup S           unmeasured seconds before each mix phase (default 10)
  --search-rates LIST  step ladder of random searches (nearly all miss the caches), req/s
                       (default 20,30,45,60,80,120)
  --popular-rates LIST step ladder of popular searches (Zipf over 1,000, caches warmed), req/s
                       (default 250,500,1000,1500,2000,2500)
  --step-duration S    seconds per step (default 20)
  --users N            users registered for login (default 5)
  --bcrypt-cost N      AUTH_BCRYPT_COST of the target (default 10, the product default)
  --pg-url URL, --redis-url URL   test servers (default: scripts/test-services.sh)
  --keep-db            keep the loaded database (its URL is printed)`;

const seconds = (max: number) => z.coerce.number().int().min(1).max(max);
const rateList = z
  .string()
  .regex(/^\d+(,\d+)*$/, 'must be comma-separated whole numbers')
  .transform((s) => s.split(',').map(Number))
  .pipe(z.array(z.number().int().min(1).max(20_000)).min(1).max(10));
const mixRates = z
  .string()
  .regex(/^(search|details|recommendations|login)=\d+(,(search|details|recommendations|login)=\d+)*$/, {
    error: 'must look like search=30,details=60,recommendations=15,login=3',
  })
  .transform((s) =>
    Object.fromEntries(
      s
        .split(',')
        .map((kv) => kv.split('='))
        .map(([k, v]) => [k, Number(v)]),
    ),
  )
  .pipe(z.record(z.string(), z.number().int().min(0).max(20_000)));
const optionsSchema = z.strictObject({
  cars: z.coerce.number().int().min(100).max(10_000_000).default(1_000_000),
  seed: z.coerce.number().int().min(0).max(0xffff_ffff).default(42),
  rates: mixRates.default({ search: 30, details: 60, recommendations: 15, login: 3 }),
  duration: seconds(1800).default(60),
  warmup: z.coerce.number().int().min(0).max(600).default(10),
  'search-rates': rateList.default([20, 30, 45, 60, 80, 120]),
  'popular-rates': rateList.default([250, 500, 1000, 1500, 2000, 2500]),
  'step-duration': seconds(600).default(20),
  users: z.coerce.number().int().min(1).max(100).default(5),
  'bcrypt-cost': z.coerce.number().int().min(4).max(15).default(10),
  'pg-url': z
    .string()
    .regex(/^postgres(ql)?:\/\/\S+$/, 'must be a postgres:// URL')
    .optional(),
  'redis-url': z
    .string()
    .regex(/^redis:\/\/\S+$/, 'must be a redis:// URL')
    .optional(),
  'keep-db': z.boolean().default(false),
  help: z.boolean().default(false),
});

export type BenchOptions = z.output<typeof optionsSchema>;

/** The command line, validated; prints the reason and the usage and exits 2 on bad input. */
export function parseBenchOptions(argv: string[] = process.argv.slice(2)): BenchOptions {
  let rawArgs: Record<string, string | boolean | undefined>;
  try {
    rawArgs = parseArgs({
      args: argv,
      options: {
        ...Object.fromEntries(
          ['cars', 'seed', 'rates', 'duration', 'warmup', 'search-rates', 'popular-rates', 'step-duration']
            .concat(['users'])
            .concat(['bcrypt-cost', 'pg-url', 'redis-url'])
            .map((name) => [name, { type: 'string' as const }]),
        ),
        'keep-db': { type: 'boolean' },
        help: { type: 'boolean' },
      },
      strict: true,
    }).values;
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  const parsed = optionsSchema.safeParse(rawArgs);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) console.error(`--${issue.path.join('.')}: ${issue.message}`);
    console.error(USAGE);
    process.exit(2);
  }
  if (parsed.data.help) {
    console.log(USAGE);
    process.exit(0);
  }
  return parsed.data;
}
