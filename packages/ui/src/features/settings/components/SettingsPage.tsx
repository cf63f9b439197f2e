import clsx from 'clsx';
import { NavLink, Navigate, Route, Routes } from 'react-router';
import { useAuth } from '../../auth/hooks/auth.tsx';
import { KeysSettings } from './KeysSettings.tsx';
import { PreferencesSettings } from './PreferencesSettings.tsx';
import { ProjectSettings } from './ProjectSettings.tsx';
import { UsersSettings } from './UsersSettings.tsx';

export function SettingsPage() {
  const { isAdmin } = useAuth();
  const tabs = [
    { to: 'project', label: 'Project' },
    { to: 'users', label: 'Users' },
    { to: 'keys', label: 'API keys' },
    { to: 'preferences', label: 'Preferences' },
  ];
  return (
    <div className="mx-auto flex max-w-5xl flex-col gap-4 p-4 md:p-6">
      <div>
        <h1 className="text-lg font-semibold tracking-tight">Settings</h1>
        {!isAdmin && (
          <p className="text-[12px] text-muted">
            You have read-only access to project settings. An admin can change them.
          </p>
        )}
      </div>
      <nav aria-label="Settings sections" className="flex gap-1 border-b border-line">
        {tabs.map((t) => (
          <NavLink
            key={t.to}
            // Absolute: relative links inside a splat route (`settings/*`) resolve against the
            // whole matched path, so `users` from /settings/project went to /settings/project/users.
            to={`/settings/${t.to}`}
            className={({ isActive }) =>
              clsx(
                '-mb-px border-b-2 px-3 py-2 text-[13px] font-medium',
                isActive ? 'border-accent text-fg' : 'border-transparent text-muted hover:text-fg',
              )
            }
          >
            {t.label}
          </NavLink>
        ))}
      </nav>
      <Routes>
        <Route index element={<Navigate to="/settings/project" replace />} />
        <Route path="project" element={<ProjectSettings />} />
        <Route path="users" element={<UsersSettings />} />
        <Route path="keys" element={<KeysSettings />} />
        <Route path="preferences" element={<PreferencesSettings />} />
        <Route path="*" element={<Navigate to="/settings/project" replace />} />
      </Routes>
    </div>
  );
}
