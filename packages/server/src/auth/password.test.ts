import { describe, expect, it } from 'vitest';
import { DUMMY_PASSWORD_HASH, generatePassword, hashPassword, verifyPassword } from './password.ts';

describe('passwords', () => {
  it('hashes with scrypt and a random salt, and verifies', async () => {
    const a = await hashPassword('correct horse battery');
    const b = await hashPassword('correct horse battery');
    expect(a).toMatch(/^scrypt\$15\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('correct horse battery', a)).toBe(true);
    expect(await verifyPassword('correct horse batterz', a)).toBe(false);
    expect(await verifyPassword('', a)).toBe(false);
  });

  it('refuses malformed or hostile stored hashes without throwing', async () => {
    for (const stored of [
      '',
      'plain',
      'scrypt$99$8$1$AA$AA',
      'scrypt$15$8$1$AA$short',
      'bcrypt$x',
    ]) {
      expect(await verifyPassword('x', stored)).toBe(false);
    }
    expect(await verifyPassword('anything', DUMMY_PASSWORD_HASH)).toBe(false);
  });

  it('generates long random passwords', () => {
    const p = generatePassword();
    expect(p).toMatch(/^[\w-]{24}$/);
    expect(generatePassword()).not.toBe(p);
  });
});
