// Public surface of the target-app workspace.
export type { BodyType, Colour, Fuel, Transmission } from './cars/catalog.ts';
export { BODY_TYPES, FUELS, TRANSMISSIONS } from './cars/catalog.ts';
export type { Car } from './cars/generate.ts';
export { generateCarBatches, generateCars } from './cars/generate.ts';
export type { ChaosConfig, ChaosState } from './chaos.ts';
export { chaosConfigSchema } from './chaos.ts';
export type { Config, ConfigIssue } from './env.ts';
export { ConfigError, ENV_VARIABLES, parseConfig } from './env.ts';
export type { ErrorBody, Issue } from './http/errors.ts';
export { HTTP_DURATION_BUCKETS } from './metrics.ts';
export type { CarSearchResponse } from './routes/cars.ts';
export type { TargetApp } from './start.ts';
export { startTargetApp } from './start.ts';
