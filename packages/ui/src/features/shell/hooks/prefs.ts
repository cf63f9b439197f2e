/**
 * The signed-in user's display preferences (stored on the server, `GET /auth/me` carries
 * them): row density for the trace list and the waterfall, and the time zone every time on
 * screen is shown in. API-key sessions have none: comfortable rows, local time.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import type { Me, Preferences } from '../../../lib/types.ts';
import { useAuth } from '../../auth/hooks/auth.tsx';

export type Density = 'comfortable' | 'compact';

export interface DisplayPrefs {
  density: Density;
  /** IANA zone, or undefined for the browser's local time. */
  timeZone: string | undefined;
}

/** Row heights (px) per density: trace list rows, waterfall rows. */
export const ROW_HEIGHTS: Record<Density, { list: number; span: number }> = {
  comfortable: { list: 36, span: 26 },
  compact: { list: 28, span: 20 },
};

export function usePrefs(): DisplayPrefs {
  const p = useAuth().me?.preferences;
  return {
    density: p?.density === 'compact' ? 'compact' : 'comfortable',
    timeZone: p?.timeZone || undefined,
  };
}

/** After saving preferences: the cached `me` carries them, so every page applies them at once. */
export function useApplySavedPrefs(): (p: Preferences) => void {
  const client = useQueryClient();
  return useCallback(
    (p: Preferences) => {
      client.setQueryData(['preferences'], p);
      client.setQueryData<Me | null>(['me'], (me) => (me ? { ...me, preferences: p } : me));
    },
    [client],
  );
}
