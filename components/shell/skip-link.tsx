'use client';

import { useT } from '@/components/i18n/use-t';

/** The first focusable element of every page: jumps past the app bar to the page's content. */
export function SkipLink() {
  const t = useT();
  return (
    <a className="skip-link" href="#main">
      {t('skip.content')}
    </a>
  );
}
