// The JWT signing key: JWT_SECRET, or outside production a well-known development key (env.ts refuses
// to start in production without JWT_SECRET), announced with a warning because anyone who reads this
// file can forge tokens for it.
import type { Config } from '../env.ts';

export const DEV_JWT_SECRET = 'car-suggester-development-jwt-secret-not-for-production';

export function jwtSecretOf(
  config: Pick<Config, 'jwtSecret' | 'nodeEnv'>,
  warn: (message: string) => void,
): string {
  if (config.jwtSecret !== undefined) return config.jwtSecret;
  if (config.nodeEnv === 'production') throw new Error('JWT_SECRET must be set in production');
  warn('JWT_SECRET is not set: signing tokens with the development key; set your own outside a laptop');
  return DEV_JWT_SECRET;
}
