import { z } from 'zod';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../../auth/password.ts';
import { preferencesSchema } from '../../auth/preferences.ts';
import { ROLES } from '../../auth/scopes.ts';

export const emailSchema = z.string().trim().toLowerCase().max(254).pipe(z.email());
export const newPasswordSchema = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(MAX_PASSWORD_LENGTH);
export const userNameSchema = z.string().trim().min(1).max(200);
export const roleSchema = z.enum(ROLES);

export const userSchema = z.object({ id: z.string(), email: z.string(), name: z.string() });
export const projectRoleSchema = z.object({ id: z.string(), name: z.string(), role: roleSchema });

export const loginBody = z
  .object({
    email: z.string().max(254),
    password: z.string().max(MAX_PASSWORD_LENGTH),
  })
  .strict();

export const loginResponse = z.object({
  user: userSchema,
  csrfToken: z.string(),
  projects: z.array(projectRoleSchema),
});

export const storedPreferencesSchema = preferencesSchema;

/** PUT body: a field given replaces the stored one, null clears it, absent keeps it. */
export const preferencesPatch = z
  .object({
    theme: preferencesSchema.shape.theme.unwrap().nullable().optional(),
    timeZone: preferencesSchema.shape.timeZone.unwrap().nullable().optional(),
    density: preferencesSchema.shape.density.unwrap().nullable().optional(),
  })
  .strict();

export const meResponse = z.object({
  user: userSchema,
  role: roleSchema,
  project: z.object({ id: z.string(), name: z.string() }),
  projects: z.array(projectRoleSchema),
  csrfToken: z.string().nullable().describe('null when not authenticated by a session cookie'),
  preferences: preferencesSchema,
});

export const passwordBody = z
  .object({ currentPassword: z.string().max(MAX_PASSWORD_LENGTH), newPassword: newPasswordSchema })
  .strict();
