import type { Language } from '@/lib/i18n';
import { translate } from '@/lib/i18n/dictionaries';

/** What a page shows a signed-in user whose role may not use it (rendered on the server). */
export function Forbidden({ language }: { language: Language }) {
  return (
    <p role="alert" className="page" data-testid="forbidden">
      {translate(language, 'common.forbidden')}
    </p>
  );
}
