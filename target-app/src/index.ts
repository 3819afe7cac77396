// Public surface of the target-app workspace.
export type { BodyType, Colour, Fuel, Transmission } from './cars/catalog.ts';
export { BODY_TYPES, FUELS, TRANSMISSIONS } from './cars/catalog.ts';
export type { Feature } from './cars/features.ts';
export { FEATURE_NAMES, PRICE_BANDS } from './cars/features.ts';
export type { Car } from './cars/generate.ts';
export { generateCarBatches, generateCars } from './cars/generate.ts';
export type { ChaosConfig, ChaosState } from './chaos.ts';
export { chaosConfigSchema } from './chaos.ts';
export type { CarSort } from './db/car-sql.ts';
export { CAR_SORTS } from './db/car-sql.ts';
export type { Recommendations, ScoredCar } from './db/recommendations.ts';
export type { Config, ConfigIssue } from './env.ts';
export { ConfigError, ENV_VARIABLES, parseConfig } from './env.ts';
export type { ErrorBody, Issue } from './http/errors.ts';
export { HTTP_DURATION_BUCKETS } from './metrics.ts';
export type { CarFacets, CarSearchResponse } from './routes/cars.ts';
export type { TargetApp } from './start.ts';
export { startTargetApp } from './start.ts';
