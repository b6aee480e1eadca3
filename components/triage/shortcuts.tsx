'use client';

import { Dialog } from '@/components/ui/dialog';
import { useT } from '@/components/i18n/use-t';
import type { MessageKey } from '@/lib/i18n';
import { DismissAction } from './dialog-actions';

/** The keyboard shortcuts of the queue and the alert page (the "?" key opens this list). */
const groups: { title: MessageKey; keys: [string[], MessageKey][] }[] = [
  {
    title: 'shortcuts.queue',
    keys: [
      [['j', 'k'], 'shortcuts.queueMove'],
      [['Enter'], 'shortcuts.queueOpen'],
    ],
  },
  {
    title: 'shortcuts.triage',
    keys: [
      [['j', 'k'], 'shortcuts.stepMove'],
      [['x'], 'shortcuts.tick'],
      [['a'], 'shortcuts.na'],
      [['n'], 'shortcuts.note'],
      [['e'], 'shortcuts.evidence'],
      [['Shift+A'], 'shortcuts.ack'],
      [['m'], 'shortcuts.me'],
      [['t'], 'shortcuts.tp'],
      [['b'], 'shortcuts.btp'],
      [['f'], 'shortcuts.fp'],
      [[']'], 'shortcuts.nextAlert'],
      [['['], 'shortcuts.prevAlert'],
      [['Ctrl+Enter'], 'shortcuts.save'],
      [['?'], 'shortcuts.help'],
    ],
  },
];

export function ShortcutsDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const t = useT();
  return (
    <Dialog open={open} title={t('shortcuts.title')} onClose={onClose}>
      <div data-testid="shortcuts">
        {groups.map((g) => (
          <table key={g.title} className="data">
            <caption>{t(g.title)}</caption>
            <thead>
              <tr>
                <th scope="col">{t('shortcuts.key')}</th>
                <th scope="col">{t('shortcuts.action')}</th>
              </tr>
            </thead>
            <tbody>
              {g.keys.map(([keys, label]) => (
                <tr key={label}>
                  <td>
                    {keys.map((k, i) => (
                      <span key={k}>
                        {i ? ' / ' : ''}
                        <kbd>{k}</kbd>
                      </span>
                    ))}
                  </td>
                  <td>{t(label)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
      </div>
      <DismissAction label={t('shortcuts.close')} onClick={onClose} />
    </Dialog>
  );
}
