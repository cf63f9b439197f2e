import { Activity, GitCompare, LayoutDashboard, Settings } from 'lucide-react';

/** The pages in the sidebar (and the command palette). */
export const NAV = [
  { to: '/', label: 'Home', icon: LayoutDashboard, end: true },
  { to: '/traces', label: 'Traces', icon: Activity, end: false },
  { to: '/compare', label: 'Compare', icon: GitCompare, end: false },
  { to: '/settings', label: 'Settings', icon: Settings, end: false },
] as const;
