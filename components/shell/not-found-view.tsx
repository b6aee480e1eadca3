'use client';

import Link from 'next/link';
import { useT } from '@/components/i18n/use-t';

/** The 404 page's text in the user's language. */
export function NotFoundView() {
  const t = useT();
  return (
    <div className="page">
      <h1>{t('notFound.title')}</h1>
      <p>{t('notFound.body')}</p>
      <p>
        <Link href="/alerts">{t('notFound.back')}</Link>
      </p>
    </div>
  );
}
