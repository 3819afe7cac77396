// Prints a password hash for DASHBOARD_USERS: `npm run hash-password -w dashboard` (asks on stdin,
// or reads a piped line), then `DASHBOARD_USERS="alice:qa:<hash>,..."`.
import { createInterface } from 'node:readline/promises';
import { MIN_PASSWORD_LENGTH as MIN_LENGTH } from '../lib/user-accounts.ts';
import { hashPassword } from '../server/auth/password.ts';

// The same floor as passwords set on the Users page.

async function readPassword(): Promise<string> {
  const rl = createInterface({ input: process.stdin, terminal: false });
  if (process.stdin.isTTY) process.stderr.write('password (input is visible; pipe it in to avoid that): ');
  for await (const line of rl) {
    rl.close();
    return line;
  }
  return '';
}

const password = await readPassword();
if (password.length < MIN_LENGTH) {
  console.error(`hash-password: a password needs at least ${MIN_LENGTH} characters`);
  process.exit(1);
}
console.log(await hashPassword(password));
