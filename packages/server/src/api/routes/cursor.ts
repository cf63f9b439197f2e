/**
 * Opaque page cursors: base64url JSON of the last row's sort key and id, tagged with the
 * listing and sort they belong to, so a cursor from another listing or sort is refused.
 */
import type { z } from 'zod';
import { PyflareError } from '../../errors.ts';

export function encodeCursor(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** The cursor's content, or 400 when it is not one `schema` accepts. */
export function decodeCursor<T>(text: string, schema: z.ZodType<T>): T {
  let value: unknown;
  try {
    if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error('not base64url');
    value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw new PyflareError('BAD_REQUEST', 'invalid cursor');
  }
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new PyflareError(
      'BAD_REQUEST',
      'invalid cursor (it belongs to another listing, sort or order)',
    );
  }
  return result.data;
}
