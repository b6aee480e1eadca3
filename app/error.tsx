'use client';

import { useT } from '@/components/i18n/use-t';

export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const t = useT();
  return (
    <div className="page">
      <h1>{t('error.title')}</h1>
      <div className="error-box" role="alert">
        {error.message || t('error.render')}
        {error.digest ? <span className="muted small"> {t('error.reference', { digest: error.digest })}</span> : null}
      </div>
      <button type="button" onClick={reset}>
        {t('error.retry')}
      </button>
    </div>
  );
}
