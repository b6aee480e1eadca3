'use client';

import { useErrorText } from '@/components/i18n/use-t';

/** A failed load or action: the title is the caller's (translated) sentence, then what went wrong. */
export function ErrorBox({ title, error }: { title: string; error: unknown }) {
  const errorText = useErrorText();
  return (
    <div className="error-box" role="alert">
      <strong>{title}</strong> {errorText(error)}
    </div>
  );
}
