// Optional equipment a listing can have, with how common it is; recommendations and "similar cars"
// compare cars by these. Premium cars carry more of them (see generate.ts).
export const FEATURES = [
  { name: 'air_conditioning', share: 0.85 },
  { name: 'bluetooth', share: 0.8 },
  { name: 'cruise_control', share: 0.6 },
  { name: 'parking_sensors', share: 0.55 },
  { name: 'navigation', share: 0.45 },
  { name: 'apple_carplay', share: 0.4 },
  { name: 'rear_camera', share: 0.4 },
  { name: 'heated_seats', share: 0.35 },
  { name: 'led_headlights', share: 0.35 },
  { name: 'keyless_entry', share: 0.3 },
  { name: 'adaptive_cruise', share: 0.25 },
  { name: 'leather_seats', share: 0.25 },
  { name: 'sunroof', share: 0.15 },
  { name: 'tow_bar', share: 0.12 },
  { name: 'all_wheel_drive', share: 0.12 },
  { name: 'head_up_display', share: 0.08 },
] as const;

export type Feature = (typeof FEATURES)[number]['name'];
export const FEATURE_NAMES: readonly Feature[] = FEATURES.map((f) => f.name);

/** Price bands (EUR, lower bound inclusive) for facet counts and recommendation candidates. */
export const PRICE_BANDS = [
  { band: 0, label: 'under 5k', min: 0, max: 4_999 },
  { band: 1, label: '5k–10k', min: 5_000, max: 9_999 },
  { band: 2, label: '10k–20k', min: 10_000, max: 19_999 },
  { band: 3, label: '20k–30k', min: 20_000, max: 29_999 },
  { band: 4, label: '30k–50k', min: 30_000, max: 49_999 },
  { band: 5, label: '50k–75k', min: 50_000, max: 74_999 },
  { band: 6, label: '75k and more', min: 75_000, max: null },
] as const;

export function priceBandOf(price: number): number {
  for (let i = PRICE_BANDS.length - 1; i >= 0; i--) if (price >= PRICE_BANDS[i]!.min) return i;
  return 0;
}
