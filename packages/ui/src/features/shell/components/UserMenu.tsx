import { HelpCircle, LogOut, Settings, User } from 'lucide-react';
import { useNavigate } from 'react-router';
import { Menu, MenuItem } from '../../../components/menu.tsx';
import { useAuth } from '../../auth/hooks/auth.tsx';

export function UserMenu({ onHelp }: { onHelp: () => void }) {
  const { me, role, signOut, switchProject } = useAuth();
  const navigate = useNavigate();
  const initials = (me?.user.name || me?.user.email || '?').slice(0, 1).toUpperCase();
  return (
    <Menu
      label="User menu"
      className="w-60"
      button={(p) => (
        <button
          type="button"
          aria-label="User menu"
          {...p}
          className="ml-1 flex h-8 w-8 items-center justify-center rounded-full bg-accent-soft text-[13px] font-semibold text-accent"
        >
          {initials}
        </button>
      )}
    >
      {(close) => (
        <>
          <div className="border-b border-line px-2 pb-2 pt-1">
            <p className="truncate text-[13px] font-medium">{me?.user.name}</p>
            <p className="truncate text-[12px] text-muted">{me?.user.email}</p>
            <p className="mt-1 text-[11px] text-faint">
              {me?.project.name} · <span data-testid="current-role">{role}</span>
            </p>
          </div>
          {me && me.projects.length > 1 && (
            <div className="border-b border-line py-1">
              {me.projects.map((p) => (
                <MenuItem
                  key={p.id}
                  onClick={() => {
                    close();
                    switchProject(p.id);
                  }}
                >
                  {p.id === me.project.id ? '✓ ' : ''}
                  {p.name}
                </MenuItem>
              ))}
            </div>
          )}
          <div className="pt-1">
            <MenuItem
              icon={<User size={14} />}
              onClick={() => {
                close();
                void navigate('/settings/preferences');
              }}
            >
              Preferences
            </MenuItem>
            <MenuItem
              icon={<Settings size={14} />}
              onClick={() => {
                close();
                void navigate('/settings');
              }}
            >
              Settings
            </MenuItem>
            <MenuItem
              icon={<HelpCircle size={14} />}
              onClick={() => {
                close();
                onHelp();
              }}
            >
              Keyboard shortcuts
            </MenuItem>
            <MenuItem
              icon={<LogOut size={14} />}
              onClick={() => {
                close();
                void signOut().then(() => void navigate('/login'));
              }}
            >
              Sign out
            </MenuItem>
          </div>
        </>
      )}
    </Menu>
  );
}
