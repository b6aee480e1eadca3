'use client';

import type { EqlEventValue } from '@/lib/contracts/alerts';
import { CopyButton } from '@/components/ui/copy-button';
import { useT } from '@/components/i18n/use-t';

/** The source event as indented JSON text (never parsed as markup). */
export function RawEvent({ event, title: givenTitle }: { event: EqlEventValue; title?: string }) {
  const t = useT();
  const title = givenTitle ?? t('raw.title');
  const text = JSON.stringify(event._source, null, 2);
  return (
    <section aria-label={title} className="group">
      <h3>
        {title}{' '}
        <span className="muted small mono">
          {event._index} / {event._id}
        </span>
      </h3>
      <div className="copy-row">
        <pre data-testid="raw-event">{text}</pre>
        <CopyButton text={text} label={t('raw.copy')} />
      </div>
    </section>
  );
}
