// The order of an experiment's runs: every variant once per round, rounds repeated, so a drift of
// the machine over the experiment (a neighbour's load, a warming cache, a filling table) falls on
// every variant alike. Round r is a seeded shuffle of the variants rotated by r × ⌈V / R⌉: each
// variant leads a different round and sits at spread-out positions, and the same seed gives the
// same order again.

export type RunSlot = {
  /** 0-based position in the whole experiment. */
  index: number;
  /** 1-based round; the variant's repeat number is its round. */
  round: number;
  variant: string;
};

/** mulberry32: a small seeded PRNG, enough to shuffle a handful of names reproducibly. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** V variants × R repeats, interleaved: R rounds of V runs. */
export function interleavedOrder(variants: readonly string[], repeats: number, seed: number): RunSlot[] {
  if (new Set(variants).size !== variants.length) throw new RangeError('variant names must be unique');
  if (!Number.isInteger(repeats) || repeats < 1) throw new RangeError('repeats must be a whole number ≥ 1');
  const v = variants.length;
  if (v === 0) return [];
  const base = shuffled(variants, seededRandom(seed));
  const step = Math.ceil(v / repeats);
  const slots: RunSlot[] = [];
  for (let r = 0; r < repeats; r++) {
    const shift = (r * step) % v;
    const round = [...base.slice(shift), ...base.slice(0, shift)];
    for (const variant of round) slots.push({ index: slots.length, round: r + 1, variant });
  }
  return slots;
}
