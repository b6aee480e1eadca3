'use client';

import type { OsqueryBlock } from '@/lib/contracts/guide';
import type { FilledOsqueryValue } from '@/lib/contracts/evidence';
import { fillPlaceholders } from '@/lib/contracts/placeholders';
import { CopyButton } from '@/components/ui/copy-button';
import { useT } from '@/components/i18n/use-t';

/** Each Osquery query with its {{field}} placeholders filled from the alert's event (by the server when it answered). */
export function OsqueryList({ blocks, source, filled: server }: { blocks: OsqueryBlock[]; source: Record<string, unknown>; filled?: FilledOsqueryValue[] }) {
  const t = useT();
  return (
    <section aria-label={t('osq.label')} className="group">
      <h3>Osquery</h3>
      {blocks.map((b, i) => {
        const fromServer = server?.[i];
        const filled = fromServer ? { text: fromServer.query, missing: fromServer.unresolved } : fillPlaceholders(b.query, source);
        return (
          <div key={i} className="group" data-testid="osquery">
            <div className="small">{b.label}</div>
            <div className="copy-row">
              <pre>{filled.text}</pre>
              <CopyButton text={filled.text} label={t('osq.copy', { label: b.label })} />
            </div>
            {filled.missing.length ? <p className="small cut-note">{t('osq.missing', { fields: filled.missing.join(', ') })}</p> : null}
          </div>
        );
      })}
    </section>
  );
}
