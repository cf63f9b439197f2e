import { Dialog } from '../../../components/dialog.tsx';
import { Kbd } from '../../../components/ui.tsx';

export const SHORTCUTS: { keys: string[]; what: string }[] = [
  { keys: ['Ctrl', 'K'], what: 'Command palette: pages, traces by id, saved queries' },
  { keys: ['/'], what: 'Focus the search box' },
  { keys: ['j'], what: 'Next trace or span' },
  { keys: ['k'], what: 'Previous trace or span' },
  { keys: ['Enter'], what: 'Open the selected trace or span' },
  { keys: ['Esc'], what: 'Close the panel or dialog' },
  { keys: ['←', '→'], what: 'Collapse / expand the selected span (waterfall)' },
  { keys: ['?'], what: 'This help' },
];

export function ShortcutsDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  return (
    <Dialog open={open} onClose={onClose} title="Keyboard shortcuts">
      <table className="w-full text-[13px]">
        <tbody>
          {SHORTCUTS.map((s) => (
            <tr key={s.what} className="border-b border-line last:border-0">
              <td className="py-2 pr-4 whitespace-nowrap">
                <span className="flex gap-1">
                  {s.keys.map((k) => (
                    <Kbd key={k}>{k}</Kbd>
                  ))}
                </span>
              </td>
              <td className="py-2 text-muted">{s.what}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Dialog>
  );
}
