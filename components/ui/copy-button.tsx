'use client';

import { useState } from 'react';
import { useT } from '@/components/i18n/use-t';

export interface CopyButtonProps {
  text: string;
  label: string;
}

/** Copies `text`; the button's accessible name says what it copies. */
export function CopyButton({ text, label }: CopyButtonProps) {
  const t = useT();
  const [done, setDone] = useState<'idle' | 'copied' | 'failed'>('idle');
  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setDone('copied');
    } catch {
      setDone('failed');
    }
    setTimeout(() => setDone('idle'), 1500);
  }
  return (
    <button type="button" onClick={copy} aria-label={label} title={label}>
      {done === 'copied' ? t('copy.copied') : done === 'failed' ? t('copy.failed') : t('copy.copy')}
    </button>
  );
}
