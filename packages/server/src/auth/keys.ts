import { createHash, randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
export const KEY_PREFIX = 'pf_';
const SECRET_LENGTH = 40;

/** A new API key: `pf_` + 40 base62 characters (~238 bits of randomness). */
export function generateApiKey(): string {
  const bytes = randomBytes(SECRET_LENGTH * 2);
  let out = KEY_PREFIX;
  // Rejection sampling keeps every character uniform (248 = 4 * 62).
  for (let i = 0; i < bytes.length && out.length < KEY_PREFIX.length + SECRET_LENGTH; i++) {
    const b = bytes[i]!;
    if (b < 248) out += ALPHABET[b % 62];
  }
  return out.length === KEY_PREFIX.length + SECRET_LENGTH ? out : generateApiKey();
}

/**
 * The stored form of a key. Keys are long random secrets, not passwords, so a fast
 * cryptographic hash is enough: no dictionary can reach them (GitHub and Stripe store
 * tokens the same way); passwords get scrypt.
 */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** What is shown in listings: enough to recognize a key, useless to use it. */
export function keyDisplayPrefix(key: string): string {
  return key.slice(0, KEY_PREFIX.length + 8);
}

/** A random id for projects and keys. */
export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(9).toString('base64url')}`;
}
