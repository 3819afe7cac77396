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

export async function createPasswordHasher(cost: number): Promise<PasswordHasher> {
  const dummyHash = await bcrypt.hash(randomBytes(16).toString('hex'), cost);
  return {
    hash: (password) => bcrypt.hash(password, cost),
    async verify(password, hash) {
      const matches = await bcrypt.compare(password, hash ?? dummyHash);
      return hash !== undefined && matches;
    },
  };
}
