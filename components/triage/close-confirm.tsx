'use client';

import { useEffect, useRef } from 'react';
import type { GuideStep } from '@/lib/contracts/guide';
import { spansToText } from '@/components/guide/spans';
import { Dialog } from '@/components/ui/dialog';
import { useT } from '@/components/i18n/use-t';

export interface CloseConfirmProps {
  /** the checklist steps still open (neither done nor not applicable); the dialog is open while non-null */
  openSteps: GuideStep[] | null;
  total: number;
  onCancel: () => void;
  onConfirm: () => void;
}

/**
 * Closing an alert with open steps asks once, listing them (issue 17 item 5). Going back is
 * the focused default; Escape goes back too; "Close anyway" closes.
 */
export function CloseConfirm({ openSteps, total, onCancel, onConfirm }: CloseConfirmProps) {
  const t = useT();
  const back = useRef<HTMLButtonElement>(null);
  const open = openSteps !== null;
  // the safe choice takes the focus once the modal is shown (showModal runs in Dialog's effect, after this one)
  useEffect(() => {
    if (!open) return;
    const frame = requestAnimationFrame(() => back.current?.focus());
    return () => cancelAnimationFrame(frame);
  }, [open]);
  return (
    <Dialog open={openSteps !== null} title={t('closeConfirm.title')} onClose={onCancel}>
      {openSteps ? (
        <div data-testid="close-confirm">
          <p id="close-confirm-intro">{t('closeConfirm.intro', { open: String(openSteps.length), total: String(total) })}</p>
          <ul className="small" aria-labelledby="close-confirm-intro" style={{ maxHeight: '40vh', overflowY: 'auto' }}>
            {openSteps.map((s) => (
              <li key={s.id} data-testid="close-confirm-step">
                {spansToText(s.spans)}
              </li>
            ))}
          </ul>
          <div className="dialog-actions">
            <button type="button" ref={back} onClick={onCancel}>
              {t('closeConfirm.back')}
            </button>
            <button type="button" className="primary" onClick={onConfirm}>
              {t('closeConfirm.close')}
            </button>
          </div>
        </div>
      ) : null}
    </Dialog>
  );
}
