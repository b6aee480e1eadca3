'use client';

import { useState } from 'react';
import { useT } from '@/components/i18n/use-t';

export interface CopyButtonProps {
  text: string;
  label: string;
  /** a small glyph instead of the word (beside values in a dense row); the label stays the name */
  compact?: boolean;
}

/** Copies `text`; the button's accessible name says what it copies. */
export function CopyButton({ text, label, compact = false }: CopyButtonProps) {
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
  const word = done === 'copied' ? t('copy.copied') : done === 'failed' ? t('copy.failed') : t('copy.copy');
  return (
    <button type="button" onClick={copy} aria-label={label} title={compact ? `${label} (${word})` : label} className={compact ? 'copy-mini' : undefined}>
      {compact ? done === 'copied' ? '✓' : done === 'failed' ? '✗' : <CopyIcon /> : word}
    </button>
  );
}

/** Two overlapping sheets, drawn (a font may lack a copy glyph); decorative, the button is named by its label. */
function CopyIcon() {
  return (
    <svg aria-hidden="true" focusable="false" width="11" height="11" viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth="1.6">
      <rect x="5.5" y="5.5" width="9" height="9" rx="1.5" />
      <path d="M10.5 3.5v-1a1 1 0 0 0-1-1h-7a1 1 0 0 0-1 1v7a1 1 0 0 0 1 1h1" />
    </svg>
  );
}
