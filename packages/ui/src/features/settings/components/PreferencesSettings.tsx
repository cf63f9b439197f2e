import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Button, Card, ErrorNote, Input, Select } from '../../../components/ui.tsx';
import { api, getApiKey } from '../../../lib/api.ts';
import type { Preferences } from '../../../lib/types.ts';
import { notify } from '../../shell/lib/notifications.ts';
import { useApplySavedPrefs } from '../../shell/hooks/prefs.ts';
import { useTheme, type ThemeChoice } from '../../shell/lib/theme.ts';

const LOCAL_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;

/** The zones to offer: local, UTC, the saved one, then every zone the browser knows. */
function zoneOptions(saved: string | undefined): string[] {
  const all =
    typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return [LOCAL_ZONE, 'UTC', ...(saved ? [saved] : []), ...all].filter(
    (v, i, a) => a.indexOf(v) === i,
  );
}

export function PreferencesSettings() {
  const { choice, set } = useTheme();
  const applySaved = useApplySavedPrefs();
  const session = getApiKey() === null;
  const prefs = useQuery({
    queryKey: ['preferences'],
    queryFn: () => api<Preferences>('/auth/me/preferences'),
    enabled: session,
    retry: false,
  });
  const client = useQueryClient();
  // Applied at once, before the server answers: every page shows the choice immediately, and
  // a second change made while the first is in flight builds on it instead of on the
  // preferences as they were (which would put the first change back). The server's answer is
  // applied again on success; on failure the stored preferences are fetched again.
  const savePrefs = useMutation({
    mutationFn: (p: Preferences) =>
      api<Preferences>('/auth/me/preferences', { method: 'PUT', body: p }),
    onMutate: applySaved,
    onSuccess: applySaved,
    onError: () => {
      void client.invalidateQueries({ queryKey: ['preferences'] });
      void client.invalidateQueries({ queryKey: ['me'] });
    },
  });
  const [pw, setPw] = useState({ currentPassword: '', newPassword: '' });
  const changePw = useMutation({
    mutationFn: () => api('/auth/me/password', { method: 'PUT', body: pw }),
    onSuccess: () => {
      setPw({ currentPassword: '', newPassword: '' });
      notify('Password changed', { tone: 'ok', detail: 'Your other sessions were signed out.' });
    },
  });
  return (
    <div className="flex flex-col gap-4">
      <Card title="Appearance">
        <div className="flex flex-col gap-3 p-4">
          <label className="flex max-w-xs flex-col gap-1 text-[12px] font-medium text-muted">
            Theme
            <Select
              aria-label="Theme"
              value={choice}
              onChange={(e) => {
                const theme = e.target.value as ThemeChoice;
                set(theme);
                if (session) savePrefs.mutate({ ...(prefs.data ?? {}), theme });
              }}
            >
              <option value="system">Follow the system</option>
              <option value="light">Light</option>
              <option value="dark">Dark</option>
            </Select>
          </label>
          <label className="flex max-w-xs flex-col gap-1 text-[12px] font-medium text-muted">
            Density
            <Select
              value={prefs.data?.density ?? 'comfortable'}
              disabled={!session}
              onChange={(e) =>
                savePrefs.mutate({
                  ...(prefs.data ?? {}),
                  density: e.target.value as Preferences['density'],
                })
              }
            >
              <option value="comfortable">Comfortable</option>
              <option value="compact">Compact</option>
            </Select>
          </label>
          <label className="flex max-w-xs flex-col gap-1 text-[12px] font-medium text-muted">
            Time zone
            <Select
              value={prefs.data?.timeZone ?? LOCAL_ZONE}
              disabled={!session}
              onChange={(e) =>
                savePrefs.mutate({ ...(prefs.data ?? {}), timeZone: e.target.value })
              }
            >
              {zoneOptions(prefs.data?.timeZone).map((z) => (
                <option key={z} value={z}>
                  {z === LOCAL_ZONE ? `${z} (this browser)` : z}
                </option>
              ))}
            </Select>
          </label>
          {savePrefs.isError && <ErrorNote error={savePrefs.error} />}
        </div>
      </Card>
      {session && (
        <Card title="Password">
          <form
            className="flex max-w-md flex-col gap-3 p-4"
            onSubmit={(e) => {
              e.preventDefault();
              changePw.mutate();
            }}
          >
            <label className="flex flex-col gap-1 text-[12px] font-medium text-muted">
              Current password
              <Input
                type="password"
                autoComplete="current-password"
                value={pw.currentPassword}
                onChange={(e) => setPw({ ...pw, currentPassword: e.target.value })}
                required
              />
            </label>
            <label className="flex flex-col gap-1 text-[12px] font-medium text-muted">
              New password (12+ characters)
              <Input
                type="password"
                autoComplete="new-password"
                minLength={12}
                value={pw.newPassword}
                onChange={(e) => setPw({ ...pw, newPassword: e.target.value })}
                required
              />
            </label>
            {changePw.isError && <ErrorNote error={changePw.error} />}
            <div>
              <Button type="submit" variant="primary" disabled={changePw.isPending}>
                Change password
              </Button>
            </div>
          </form>
        </Card>
      )}
    </div>
  );
}
