// The fixed vocabulary the car generator draws from: makes with their models, and the enumerations
// the search API filters on. Prices are new-car list prices in EUR, roughly 2025 European levels.

export const BODY_TYPES = [
  'hatchback',
  'sedan',
  'estate',
  'suv',
  'coupe',
  'convertible',
  'van',
  'pickup',
] as const;
export type BodyType = (typeof BODY_TYPES)[number];

export const FUELS = ['petrol', 'diesel', 'hybrid', 'plugin_hybrid', 'electric'] as const;
export type Fuel = (typeof FUELS)[number];

export const TRANSMISSIONS = ['manual', 'automatic'] as const;
export type Transmission = (typeof TRANSMISSIONS)[number];

export const COLOURS = [
  'black',
  'white',
  'silver',
  'grey',
  'blue',
  'red',
  'green',
  'brown',
  'yellow',
  'orange',
] as const;
export type Colour = (typeof COLOURS)[number];

export const CITIES = [
  'Berlin',
  'Hamburg',
  'Munich',
  'Cologne',
  'Frankfurt',
  'Paris',
  'Lyon',
  'Marseille',
  'Madrid',
  'Barcelona',
  'Milan',
  'Rome',
  'Amsterdam',
  'Rotterdam',
  'Brussels',
  'Vienna',
  'Zurich',
  'Warsaw',
  'Prague',
  'Copenhagen',
  'Stockholm',
  'Dublin',
  'Lisbon',
  'London',
  'Manchester',
] as const;

/** Model years run from MIN_YEAR to REFERENCE_YEAR; fixed (not today's date) so data stays deterministic. */
export const MIN_YEAR = 2005;
export const REFERENCE_YEAR = 2025;

export type ModelSpec = {
  readonly name: string;
  readonly bodyType: BodyType;
  readonly basePrice: number;
  readonly fuels: readonly Fuel[];
  /** First model year on sale; defaults to MIN_YEAR. */
  readonly since?: number;
};

export type MakeSpec = {
  readonly name: string;
  /** Relative share of listings, so filters have uneven selectivity as real stock does. */
  readonly weight: number;
  readonly models: readonly ModelSpec[];
};

const ICE: readonly Fuel[] = ['petrol', 'diesel'];
const ICE_HYBRID: readonly Fuel[] = ['petrol', 'diesel', 'hybrid'];
const ALL_BUT_EV: readonly Fuel[] = ['petrol', 'diesel', 'hybrid', 'plugin_hybrid'];
const EV: readonly Fuel[] = ['electric'];

export const MAKES: readonly MakeSpec[] = [
  {
    name: 'Volkswagen',
    weight: 14,
    models: [
      { name: 'Polo', bodyType: 'hatchback', basePrice: 20_000, fuels: ['petrol'] },
      { name: 'Golf', bodyType: 'hatchback', basePrice: 28_000, fuels: ICE_HYBRID },
      { name: 'Passat', bodyType: 'estate', basePrice: 38_000, fuels: ALL_BUT_EV },
      { name: 'Tiguan', bodyType: 'suv', basePrice: 38_000, fuels: ICE },
      { name: 'ID.3', bodyType: 'hatchback', basePrice: 38_000, fuels: EV, since: 2020 },
      { name: 'ID.4', bodyType: 'suv', basePrice: 45_000, fuels: EV, since: 2021 },
    ],
  },
  {
    name: 'Toyota',
    weight: 10,
    models: [
      { name: 'Yaris', bodyType: 'hatchback', basePrice: 19_000, fuels: ['petrol', 'hybrid'] },
      { name: 'Corolla', bodyType: 'hatchback', basePrice: 24_000, fuels: ['petrol', 'hybrid'] },
      { name: 'Camry', bodyType: 'sedan', basePrice: 33_000, fuels: ['petrol', 'hybrid'] },
      { name: 'RAV4', bodyType: 'suv', basePrice: 36_000, fuels: ['petrol', 'hybrid', 'plugin_hybrid'] },
      { name: 'Hilux', bodyType: 'pickup', basePrice: 38_000, fuels: ['diesel'] },
    ],
  },
  {
    name: 'BMW',
    weight: 8,
    models: [
      { name: '3 Series', bodyType: 'sedan', basePrice: 45_000, fuels: ALL_BUT_EV },
      { name: '5 Series', bodyType: 'sedan', basePrice: 58_000, fuels: ALL_BUT_EV },
      { name: 'X3', bodyType: 'suv', basePrice: 52_000, fuels: ALL_BUT_EV },
      { name: 'X5', bodyType: 'suv', basePrice: 75_000, fuels: ALL_BUT_EV },
      { name: 'i4', bodyType: 'sedan', basePrice: 57_000, fuels: EV, since: 2021 },
      { name: 'Z4', bodyType: 'convertible', basePrice: 50_000, fuels: ['petrol'] },
    ],
  },
  {
    name: 'Mercedes-Benz',
    weight: 8,
    models: [
      { name: 'A-Class', bodyType: 'hatchback', basePrice: 34_000, fuels: ICE },
      { name: 'C-Class', bodyType: 'sedan', basePrice: 48_000, fuels: ALL_BUT_EV },
      { name: 'E-Class', bodyType: 'estate', basePrice: 60_000, fuels: ALL_BUT_EV },
      { name: 'GLC', bodyType: 'suv', basePrice: 55_000, fuels: ALL_BUT_EV },
      { name: 'EQA', bodyType: 'suv', basePrice: 48_000, fuels: EV, since: 2021 },
      { name: 'V-Class', bodyType: 'van', basePrice: 60_000, fuels: ['diesel'] },
    ],
  },
  {
    name: 'Audi',
    weight: 7,
    models: [
      { name: 'A3', bodyType: 'hatchback', basePrice: 33_000, fuels: ICE },
      { name: 'A4', bodyType: 'estate', basePrice: 44_000, fuels: ICE },
      { name: 'A6', bodyType: 'sedan', basePrice: 58_000, fuels: ALL_BUT_EV },
      { name: 'Q5', bodyType: 'suv', basePrice: 55_000, fuels: ALL_BUT_EV },
      { name: 'TT', bodyType: 'coupe', basePrice: 45_000, fuels: ['petrol'] },
      { name: 'e-tron GT', bodyType: 'coupe', basePrice: 105_000, fuels: EV, since: 2021 },
    ],
  },
  {
    name: 'Ford',
    weight: 9,
    models: [
      { name: 'Fiesta', bodyType: 'hatchback', basePrice: 19_000, fuels: ICE },
      { name: 'Focus', bodyType: 'hatchback', basePrice: 25_000, fuels: ICE },
      { name: 'Kuga', bodyType: 'suv', basePrice: 33_000, fuels: ALL_BUT_EV },
      { name: 'Mustang', bodyType: 'coupe', basePrice: 55_000, fuels: ['petrol'] },
      { name: 'Mustang Mach-E', bodyType: 'suv', basePrice: 50_000, fuels: EV, since: 2021 },
      { name: 'Ranger', bodyType: 'pickup', basePrice: 40_000, fuels: ['diesel'] },
      { name: 'Transit Custom', bodyType: 'van', basePrice: 42_000, fuels: ['diesel'] },
    ],
  },
  {
    name: 'Renault',
    weight: 6,
    models: [
      { name: 'Clio', bodyType: 'hatchback', basePrice: 18_000, fuels: ICE_HYBRID },
      { name: 'Megane', bodyType: 'hatchback', basePrice: 26_000, fuels: ICE },
      { name: 'Captur', bodyType: 'suv', basePrice: 24_000, fuels: ICE_HYBRID },
      { name: 'Zoe', bodyType: 'hatchback', basePrice: 30_000, fuels: EV, since: 2013 },
      { name: 'Kangoo', bodyType: 'van', basePrice: 26_000, fuels: ['diesel'] },
    ],
  },
  {
    name: 'Peugeot',
    weight: 6,
    models: [
      { name: '208', bodyType: 'hatchback', basePrice: 20_000, fuels: ['petrol', 'diesel', 'electric'] },
      { name: '308', bodyType: 'hatchback', basePrice: 27_000, fuels: ALL_BUT_EV },
      { name: '3008', bodyType: 'suv', basePrice: 35_000, fuels: ALL_BUT_EV },
      { name: '508', bodyType: 'estate', basePrice: 40_000, fuels: ALL_BUT_EV },
    ],
  },
  {
    name: 'Skoda',
    weight: 6,
    models: [
      { name: 'Fabia', bodyType: 'hatchback', basePrice: 18_000, fuels: ['petrol'] },
      { name: 'Octavia', bodyType: 'estate', basePrice: 28_000, fuels: ICE_HYBRID },
      { name: 'Kodiaq', bodyType: 'suv', basePrice: 38_000, fuels: ICE },
      { name: 'Enyaq', bodyType: 'suv', basePrice: 44_000, fuels: EV, since: 2021 },
    ],
  },
  {
    name: 'Kia',
    weight: 5,
    models: [
      { name: 'Picanto', bodyType: 'hatchback', basePrice: 14_000, fuels: ['petrol'] },
      { name: 'Ceed', bodyType: 'hatchback', basePrice: 23_000, fuels: ICE },
      { name: 'Sportage', bodyType: 'suv', basePrice: 32_000, fuels: ALL_BUT_EV },
      {
        name: 'Niro',
        bodyType: 'suv',
        basePrice: 32_000,
        fuels: ['hybrid', 'plugin_hybrid', 'electric'],
        since: 2016,
      },
      { name: 'EV6', bodyType: 'suv', basePrice: 48_000, fuels: EV, since: 2021 },
    ],
  },
  {
    name: 'Hyundai',
    weight: 5,
    models: [
      { name: 'i20', bodyType: 'hatchback', basePrice: 18_000, fuels: ['petrol'] },
      { name: 'i30', bodyType: 'hatchback', basePrice: 24_000, fuels: ICE },
      { name: 'Tucson', bodyType: 'suv', basePrice: 34_000, fuels: ALL_BUT_EV },
      { name: 'Ioniq 5', bodyType: 'suv', basePrice: 46_000, fuels: EV, since: 2021 },
    ],
  },
  {
    name: 'Tesla',
    weight: 3,
    models: [
      { name: 'Model S', bodyType: 'sedan', basePrice: 90_000, fuels: EV, since: 2012 },
      { name: 'Model 3', bodyType: 'sedan', basePrice: 42_000, fuels: EV, since: 2017 },
      { name: 'Model Y', bodyType: 'suv', basePrice: 45_000, fuels: EV, since: 2020 },
    ],
  },
  {
    name: 'Volvo',
    weight: 4,
    models: [
      { name: 'V60', bodyType: 'estate', basePrice: 45_000, fuels: ALL_BUT_EV },
      {
        name: 'XC40',
        bodyType: 'suv',
        basePrice: 40_000,
        fuels: ['petrol', 'diesel', 'electric'],
        since: 2018,
      },
      { name: 'XC60', bodyType: 'suv', basePrice: 55_000, fuels: ALL_BUT_EV },
      { name: 'EX30', bodyType: 'suv', basePrice: 37_000, fuels: EV, since: 2024 },
    ],
  },
  {
    name: 'Fiat',
    weight: 4,
    models: [
      { name: 'Panda', bodyType: 'hatchback', basePrice: 14_000, fuels: ['petrol', 'hybrid'] },
      { name: '500', bodyType: 'hatchback', basePrice: 17_000, fuels: ['petrol', 'hybrid', 'electric'] },
      { name: 'Ducato', bodyType: 'van', basePrice: 38_000, fuels: ['diesel'] },
    ],
  },
  {
    name: 'Mazda',
    weight: 3,
    models: [
      { name: 'Mazda3', bodyType: 'hatchback', basePrice: 27_000, fuels: ['petrol', 'diesel'] },
      { name: 'CX-5', bodyType: 'suv', basePrice: 35_000, fuels: ['petrol', 'diesel'] },
      { name: 'MX-5', bodyType: 'convertible', basePrice: 32_000, fuels: ['petrol'] },
    ],
  },
  {
    name: 'Porsche',
    weight: 2,
    models: [
      { name: '911', bodyType: 'coupe', basePrice: 130_000, fuels: ['petrol'] },
      { name: 'Cayenne', bodyType: 'suv', basePrice: 95_000, fuels: ['petrol', 'plugin_hybrid'] },
      { name: 'Taycan', bodyType: 'sedan', basePrice: 100_000, fuels: EV, since: 2020 },
    ],
  },
];
