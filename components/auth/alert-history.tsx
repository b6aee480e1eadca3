'use client';

import { Timestamp } from '@/components/ui/timestamp';
import { useT } from '@/components/i18n/use-t';
import { describeChange } from '@/lib/auth/history';

export interface HistoryEntry {
  at: string;
  actor: string | null;
  action: string;
  before?: unknown;
  after?: unknown;
}

/** The alert's audit trail (oldest first): who, when, what, before → after — all as text. */
export function AlertHistory({ entries }: { entries: HistoryEntry[] }) {
  const t = useT();
  return (
    <section aria-labelledby="alert-history" data-testid="alert-history">
      <h2 id="alert-history">{t('history.title')}</h2>
      {entries.length === 0 ? (
        <p className="muted">{t('history.empty')}</p>
      ) : (
        <table className="data">
          <thead>
            <tr>
              <th scope="col">{t('history.when')}</th>
              <th scope="col">{t('history.who')}</th>
              <th scope="col">{t('history.what')}</th>
              <th scope="col">{t('history.change')}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e, i) => (
              <tr key={`${e.at}-${i}`} data-testid="history-entry">
                <td>
                  <Timestamp iso={e.at} />
                </td>
                <td>{e.actor ?? '—'}</td>
                <td className="mono">{e.action}</td>
                <td>
                  {describeChange(e.before, e.after).map((line, j) => (
                    <div key={j}>{line}</div>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
