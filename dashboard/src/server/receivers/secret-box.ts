// Receiver secrets (webhook URLs, routing keys) at rest: AES-256-GCM with a random 12-byte IV per
// value and the auth tag stored beside it; the receiver's id and kind are bound in as associated
// data, so a ciphertext copied onto another row does not open. The key (32 bytes) is RECEIVERS_KEY
// or, unset, generated once into DATA_DIR/receivers.key (mode 0600). A lost key makes the stored
// secrets unreadable: they are reported per receiver, never guessed.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SealedSecret {
  /** base64 ciphertext. */
  cipher: string;
  /** base64 of the 12-byte IV, random per value. */
  iv: string;
  /** base64 of the 16-byte GCM authentication tag. */
  tag: string;
  /** Which key sealed it (a hash of the key, not the key): tells "another key" from "tampered". */
  keyId: string;
}

export interface SecretBox {
  keyId: string;
  seal(plain: string, associated: string): SealedSecret;
  /** The plaintext; throws SecretUnreadableError when the key is another or the value was altered. */
  open(sealed: SealedSecret, associated: string): string;
}

export class SecretUnreadableError extends Error {
  override name = 'SecretUnreadableError';
}

export class ReceiversKeyError extends Error {
  override name = 'ReceiversKeyError';
}

const KEY_BYTES = 32;
const IV_BYTES = 12;

export const receiversKeyFile = (dataDir: string) => join(dataDir, 'receivers.key');

/** 32 bytes written as 64 hex digits or as base64 (44 characters); anything else is refused. */
export function parseReceiversKey(text: string): Buffer {
  const value = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(value)) return Buffer.from(value, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(value)) {
    const key = Buffer.from(value.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (key.length === KEY_BYTES) return key;
  }
  throw new ReceiversKeyError('must be 32 bytes as 64 hex digits or base64 (e.g. openssl rand -base64 32)');
}

export function createSecretBox(key: Buffer): SecretBox {
  if (key.length !== KEY_BYTES) throw new ReceiversKeyError(`a receivers key is ${KEY_BYTES} bytes`);
  const keyId = createHash('sha256')
    .update('cp_receivers key id\u0000')
    .update(key)
    .digest('hex')
    .slice(0, 16);
  return {
    keyId,
    seal(plain, associated) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(associated, 'utf8'));
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return {
        cipher: body.toString('base64'),
        iv: iv.toString('base64'),
        tag: cipher.getAuthTag().toString('base64'),
        keyId,
      };
    },
    open(sealed, associated) {
      if (sealed.keyId !== keyId)
        throw new SecretUnreadableError('sealed with another key (RECEIVERS_KEY or receivers.key changed)');
      const iv = Buffer.from(sealed.iv, 'base64');
      const tag = Buffer.from(sealed.tag, 'base64');
      if (iv.length !== IV_BYTES || tag.length !== 16)
        throw new SecretUnreadableError('the stored IV or tag is damaged');
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: 16 });
        decipher.setAAD(Buffer.from(associated, 'utf8'));
        decipher.setAuthTag(tag);
        const plain = Buffer.concat([
          decipher.update(Buffer.from(sealed.cipher, 'base64')),
          decipher.final(),
        ]);
        return plain.toString('utf8');
      } catch {
        throw new SecretUnreadableError(
          'the stored secret failed its integrity check (altered or another key)',
        );
      }
    },
  };
}

/**
 * The key: RECEIVERS_KEY when set; else DATA_DIR/receivers.key, generated (mode 0600) on first
 * start. A key file that is not a key stops the start with its path, rather than sealing new
 * secrets under a fresh key that would orphan the old ones.
 */
export function loadReceiversKey(
  env: { RECEIVERS_KEY?: Buffer | undefined; DATA_DIR: string },
  log: (line: string) => void,
): { key: Buffer; source: string } {
  if (env.RECEIVERS_KEY) return { key: env.RECEIVERS_KEY, source: 'RECEIVERS_KEY' };
  const path = receiversKeyFile(env.DATA_DIR);
  if (existsSync(path)) {
    try {
      return { key: parseReceiversKey(readFileSync(path, 'utf8')), source: path };
    } catch (error) {
      throw new ReceiversKeyError(`${path}: ${(error as Error).message}`);
    }
  }
  const key = randomBytes(KEY_BYTES);
  mkdirSync(env.DATA_DIR, { recursive: true });
  writeFileSync(path, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  log(
    `receivers: generated the key for stored receiver secrets into ${path} (keep it: without it they cannot be read)`,
  );
  return { key, source: path };
}
