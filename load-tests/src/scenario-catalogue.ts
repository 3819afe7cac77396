// The scenarios QA can launch: each a k6 script under k6/scenarios with its defaults (the product
// plan's figures), limits and, for scaled scenarios, the plan's load shape. The dashboard's launch
// form lists whatever is here. Plain data (no paths, no Node modules): it belongs to the
// bundle-safe `load-tests/model`; the launcher resolves a script's path with scenarioScript().

/**
 * Validated launch parameters. Scaled scenarios (all but smoke) also carry `scale`; their `vus` is
 * then the peak VU count that scale gives (the k6 script computes the same from SCALE).
 */
export type ScenarioParams = { vus: number; duration: string; target: string; scale?: number };

export type ScenarioDefinition = {
  name: string;
  description: string;
  /** The k6 script's file name under load-tests/k6/scenarios (its path: scenarioScript()). */
  file: string;
  /** For scaled scenarios maxVus is the plan's peak (scale 1); minScale/maxScale bound `scale`. */
  limits: { maxVus: number; maxDuration: string; minScale?: number; maxScale?: number };
  /** For scaled scenarios: the plan's figures (vus = peak VUs at scale 1, duration = the plan's). */
  defaults: { vus: number; duration: string; scale?: number };
  /** Scaled scenarios: the plan's load shape at scale 1; VUs and rates are multiplied by `scale`. */
  plan?: { peakVus: number; peakRate?: number; shape: string };
  /** What one machine of this size sustains with this script (measured by bench/load-tests). */
  capacity?: string;
};

// Measured with bench/load-tests/run.ts on 2 cores / 24 GB, k6 and the target on the same machine
// (see load-tests/README.md): the target gives out first; k6 itself needs about 0.3–0.45 MB per VU.
const ONE_MACHINE =
  'One 2-core machine running k6 and the target: about 50 VUs of this journey (~55 req/s) before p95 passes 200 ms when the machine is quiet — e.g. load scale 0.005, stress 0.001; k6 needs ≈ 0.4 MB per VU, so k6 alone is not the limit';
const SCALE_LIMITS = { minScale: 0.0001, maxScale: 1 } as const;

export const scenarios = {
  smoke: {
    name: 'smoke',
    description:
      'A couple of VUs browse (makes → search → details) for a short while: does it work, does it meet the targets?',
    file: 'smoke.js',
    limits: { maxVus: 50, maxDuration: '10m' },
    defaults: { vus: 2, duration: '20s' },
  },
  load: {
    name: 'load',
    description:
      "The plan's expected traffic: 10,000 concurrent users browsing with think time; 10 % ramp-up, 80 % hold, 10 % ramp-down. Scale (or peak VUs) and duration shrink it for a laptop.",
    file: 'load.js',
    limits: { maxVus: 10_000, maxDuration: '4h', ...SCALE_LIMITS },
    defaults: { vus: 10_000, duration: '30m', scale: 1 },
    plan: { peakVus: 10_000, shape: 'ramp 10 % → hold 80 % → ramp down 10 %' },
    capacity: ONE_MACHINE,
  },
  stress: {
    name: 'stress',
    description:
      "Beyond expected traffic: steps of 20/50/80/100 % of the plan's 50,000 concurrent users, then down. Where does latency give, does it recover?",
    file: 'stress.js',
    limits: { maxVus: 50_000, maxDuration: '4h', ...SCALE_LIMITS },
    defaults: { vus: 50_000, duration: '40m', scale: 1 },
    plan: { peakVus: 50_000, shape: 'steps 20/50/80/100 % (ramp, hold), then ramp down' },
    capacity: ONE_MACHINE,
  },
  spike: {
    name: 'spike',
    description:
      'A baseline of 2,000 users, a sudden surge to 20,000 (twice the plan load) and a sudden drop back: does the target absorb and recover?',
    file: 'spike.js',
    limits: { maxVus: 20_000, maxDuration: '2h', ...SCALE_LIMITS },
    defaults: { vus: 20_000, duration: '10m', scale: 1 },
    plan: { peakVus: 20_000, shape: 'baseline 10 % for 40 %, surge in 5 %, hold 15 %, drop in 5 %, recover' },
    capacity: ONE_MACHINE,
  },
  endurance: {
    name: 'endurance',
    description:
      "Soak: the plan's 10,000 concurrent users for 24 h (a 10-minute run on a laptop with a duration override): leaks, pool exhaustion, drift.",
    file: 'endurance.js',
    limits: { maxVus: 10_000, maxDuration: '48h', ...SCALE_LIMITS },
    defaults: { vus: 10_000, duration: '24h', scale: 1 },
    plan: { peakVus: 10_000, shape: 'ramp 2 % → hold 96 % → ramp down 2 %' },
    capacity: ONE_MACHINE,
  },
  breakpoint: {
    name: 'breakpoint',
    description:
      'User sessions arrive at a rate ramped from 0 towards 20,000/s (up to 50,000 VUs) until a plan threshold fails; abortOnFail then ends the run (exit 99) — the rate reached is the capacity.',
    file: 'breakpoint.js',
    limits: { maxVus: 50_000, maxDuration: '4h', ...SCALE_LIMITS },
    defaults: { vus: 50_000, duration: '1h', scale: 1 },
    plan: { peakVus: 50_000, peakRate: 20_000, shape: 'arrival rate ramped linearly 0 → peak' },
    capacity: ONE_MACHINE,
  },
} as const satisfies Record<string, ScenarioDefinition>;

export type ScenarioName = keyof typeof scenarios;
