import { z } from 'zod';
import type { Database } from '../storage/database.ts';
import { nextVersion } from './repository.ts';

/** Personal preferences of a user; every field optional, unknown fields refused. */
export const preferencesSchema = z
  .object({
    theme: z.enum(['light', 'dark', 'system']).optional(),
    timeZone: z
      .string()
      .min(1)
      .max(64)
      .refine(isTimeZone, 'expected an IANA time zone such as Europe/Paris, or UTC')
      .optional(),
    density: z.enum(['comfortable', 'compact']).optional(),
  })
  .strict();

export type Preferences = z.infer<typeof preferencesSchema>;

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export async function getPreferences(db: Database, userId: string): Promise<Preferences> {
  const rows = await db.query<{ preferences: string }>(
    'SELECT preferences FROM user_preferences FINAL WHERE user_id = {userId:String}',
    { userId },
  );
  if (!rows[0]) return {};
  try {
    const parsed = preferencesSchema.safeParse(JSON.parse(rows[0].preferences));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

export async function savePreferences(
  db: Database,
  userId: string,
  preferences: Preferences,
): Promise<void> {
  await db.command(
    `INSERT INTO user_preferences (user_id, preferences, version)
     VALUES ({userId:String}, {preferences:String}, {version:UInt64})`,
    { userId, preferences: JSON.stringify(preferences), version: nextVersion() },
  );
}
