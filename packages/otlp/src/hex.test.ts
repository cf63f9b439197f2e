import { describe, expect, it } from 'vitest';
import { decodeBase64, encodeBase64 } from './base64.ts';
import { bytesToHex, hexToBytes } from './hex.ts';

describe('hex', () => {
  it('round-trips every byte value, lowercase', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    const hex = bytesToHex(all);
    expect(hex).toMatch(/^[0-9a-f]{512}$/);
    expect(hexToBytes(hex)).toEqual(all);
    expect(hexToBytes(hex.toUpperCase())).toEqual(all);
  });

  it('rejects text that is not hex', () => {
    for (const bad of ['0', 'zz', '0g', ' 00', '0x00']) expect(hexToBytes(bad)).toBeUndefined();
    expect(hexToBytes('')).toEqual(new Uint8Array(0));
  });
});

describe('base64', () => {
  it('agrees with btoa / atob on every length and byte value', () => {
    for (let n = 0; n < 70; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 37 + n) & 0xff);
      const text = btoa(String.fromCharCode(...bytes));
      expect(encodeBase64(bytes)).toBe(text);
      expect(decodeBase64(text)).toEqual(bytes);
      expect(decodeBase64(text.replace(/=+$/, ''))).toEqual(bytes);
      expect(decodeBase64(text.replaceAll('+', '-').replaceAll('/', '_'))).toEqual(bytes);
    }
  });

  it('rejects text that is not base64', () => {
    for (const bad of ['a', 'ab$d', 'abc===', 'é', 'ab=c'])
      expect(decodeBase64(bad)).toBeUndefined();
  });
});
