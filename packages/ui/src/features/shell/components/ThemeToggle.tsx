import { Moon, Sun } from 'lucide-react';
import { IconButton } from '../../../components/ui.tsx';
import { useTheme } from '../lib/theme.ts';

export function ThemeToggle() {
  const { resolved, toggle } = useTheme();
  return (
    <IconButton
      label={resolved === 'dark' ? 'Switch to light theme' : 'Switch to dark theme'}
      onClick={toggle}
      data-testid="theme-toggle"
    >
      {resolved === 'dark' ? <Sun size={16} /> : <Moon size={16} />}
    </IconButton>
  );
}
