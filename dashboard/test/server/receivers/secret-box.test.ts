// Receiver secrets at rest: AES-256-GCM round trip, a fresh IV per value, and refusal (never a wrong
// plaintext) for another key, an altered ciphertext, tag or IV, or a secret moved to another row;
// the key from RECEIVERS_KEY (hex or base64, validated) or generated once into DATA_DIR with mode 0600.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createSecretBox,
  loadReceiversKey,
  parseReceiversKey,
  ReceiversKeyError,
  receiversKeyFile,
  SecretUnreadableError,
} from '../../../src/server/receivers/secret-box.ts';

const url = 'https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXXXXXXXXXXXXXX';
const row = 'r1:slack';

/** Flips one bit of a base64 value. */
const flip = (b64: string, at = 0) => {
  const bytes = Buffer.from(b64, 'base64');
  bytes[at] = (bytes[at] ?? 0) ^ 1;
  return bytes.toString('base64');
};

describe('secret box', () => {
  const box = createSecretBox(randomBytes(32));

  it('round-trips, with a fresh IV per value and no plaintext in what is stored', () => {
    const a = box.seal(url, row);
    const b = box.seal(url, row);
    expect(box.open(a, row)).toBe(url);
    expect(box.open(b, row)).toBe(url);
    expect(a.iv).not.toBe(b.iv);
    expect(a.cipher).not.toBe(b.cipher);
    expect(Buffer.from(a.iv, 'base64')).toHaveLength(12);
    expect(Buffer.from(a.tag, 'base64')).toHaveLength(16);
    expect(JSON.stringify(a)).not.toContain('hooks.slack.com');
  });

  it('refuses another key', () => {
    const sealed = box.seal(url, row);
    const other = createSecretBox(randomBytes(32));
    expect(() => other.open(sealed, row)).toThrow(SecretUnreadableError);
    // Even with the key id forged to match, GCM refuses it.
    expect(() => other.open({ ...sealed, keyId: other.keyId }, row)).toThrow(/integrity check/);
  });

  it('refuses an altered ciphertext, tag or IV, and a secret moved to another receiver', () => {
    const sealed = box.seal(url, row);
    expect(() => box.open({ ...sealed, cipher: flip(sealed.cipher, 5) }, row)).toThrow(SecretUnreadableError);
    expect(() => box.open({ ...sealed, tag: flip(sealed.tag) }, row)).toThrow(SecretUnreadableError);
    expect(() => box.open({ ...sealed, iv: flip(sealed.iv) }, row)).toThrow(SecretUnreadableError);
    expect(() => box.open({ ...sealed, iv: '' }, row)).toThrow(/damaged/);
    expect(() => box.open(sealed, 'r2:slack')).toThrow(SecretUnreadableError);
  });
});

describe('receivers key', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('reads 32 bytes as hex or base64 and refuses anything else', () => {
    const key = randomBytes(32);
    expect(parseReceiversKey(key.toString('hex'))).toEqual(key);
    expect(parseReceiversKey(key.toString('base64'))).toEqual(key);
    expect(parseReceiversKey(key.toString('base64url'))).toEqual(key);
    for (const bad of ['', 'short', randomBytes(16).toString('hex'), randomBytes(31).toString('base64')])
      expect(() => parseReceiversKey(bad)).toThrow(ReceiversKeyError);
  });

  it('prefers RECEIVERS_KEY, else generates DATA_DIR/receivers.key once with mode 0600', () => {
    const dir = mkdtempSync(join(tmpdir(), 'receivers-key-'));
    dirs.push(dir);
    const fromEnv = randomBytes(32);
    expect(loadReceiversKey({ RECEIVERS_KEY: fromEnv, DATA_DIR: dir }, () => {})).toEqual({
      key: fromEnv,
      source: 'RECEIVERS_KEY',
    });
    const logs: string[] = [];
    const first = loadReceiversKey({ DATA_DIR: dir }, (l) => logs.push(l));
    expect(first.source).toBe(receiversKeyFile(dir));
    expect(statSync(receiversKeyFile(dir)).mode & 0o777).toBe(0o600);
    expect(logs.join('\n')).not.toContain(first.key.toString('hex'));
    const again = loadReceiversKey({ DATA_DIR: dir }, () => {});
    expect(again.key).toEqual(first.key);
    expect(readFileSync(receiversKeyFile(dir), 'utf8').trim()).toBe(first.key.toString('hex'));
  });

  it('stops on a damaged key file instead of replacing it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'receivers-key-'));
    dirs.push(dir);
    writeFileSync(receiversKeyFile(dir), 'not a key\n');
    expect(() => loadReceiversKey({ DATA_DIR: dir }, () => {})).toThrow(
      `${receiversKeyFile(dir)}: must be 32 bytes`,
    );
    expect(readFileSync(receiversKeyFile(dir), 'utf8')).toBe('not a key\n');
  });
});
