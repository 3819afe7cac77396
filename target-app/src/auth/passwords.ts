// Password hashing with native bcrypt: hash and compare run on libuv's thread pool, so a login never
// blocks the event loop for the ~50–100 ms a cost-10 hash takes.
import { randomBytes } from 'node:crypto';
import bcrypt from 'bcrypt';

export type PasswordHasher = {
  hash(password: string): Promise<string>;
  /**
   * Compares against `hash`, or against a dummy hash when the user does not exist, so an unknown
   * e-mail costs the same time as a wrong password and the answer reveals nothing.
   */
  verify(password: string, hash: string | undefined): Promise<boolean>;
};

/**
 * `cost`: a number, or read on every hash (the bcryptCost optimisation switch). A hash carries its
 * own cost, so hashes made at any earlier cost keep verifying. The dummy hash follows the current
 * cost, so an unknown e-mail keeps costing what a wrong password costs.
 */
export async function createPasswordHasher(cost: number | (() => number)): Promise<PasswordHasher> {
  const costNow = typeof cost === 'number' ? () => cost : cost;
  const dummies = new Map<number, Promise<string>>();
  const dummyHash = (rounds: number) => {
    let dummy = dummies.get(rounds);
    if (dummy === undefined) {
      dummy = bcrypt.hash(randomBytes(16).toString('hex'), rounds);
      dummies.set(rounds, dummy);
    }
    return dummy;
  };
  await dummyHash(costNow());
  return {
    hash: (password) => bcrypt.hash(password, costNow()),
    async verify(password, hash) {
      const matches = await bcrypt.compare(password, hash ?? (await dummyHash(costNow())));
      return hash !== undefined && matches;
    },
  };
}
