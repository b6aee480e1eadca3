'use client';

import { useMemo } from 'react';
import type { EqlEventValue } from '@/lib/contracts/alerts';
import { toActivityItem } from '@/lib/investigation/activity';
import { formatOffset } from '@/lib/investigation/timeline';
import { toMs } from '@/lib/investigation/fields';
import { Timestamp } from '@/components/ui/timestamp';
import { useT } from '@/components/i18n/use-t';
import { timelineKindLabel } from './timeline';

/**
 * The events of a sequence alert, in the sequence's order (as the rule matched them): time,
 * time after the first, kind, process and what happened; the alert's own event marked.
 */
export function SequenceEventsView({ events, alertEvent }: { events: EqlEventValue[]; alertEvent: EqlEventValue }) {
  const t = useT();
  const rows = useMemo(
    () =>
      events.map((ev) => {
        const item = toActivityItem(ev);
        return { ev, item, ms: item.time ? toMs(item.time) : null };
      }),
    [events],
  );
  const first = rows.find((r) => r.ms !== null)?.ms ?? null;
  return (
    <section aria-label={t('seq.label')} className="group" data-testid="sequence-events">
      <h3>{t('seq.title', { n: events.length })}</h3>
      <table className="data">
        <thead>
          <tr>
            <th scope="col">{t('seq.n')}</th>
            <th scope="col">{t('ev.timeUtc')}</th>
            <th scope="col">{t('seq.after')}</th>
            <th scope="col">{t('seq.kind')}</th>
            <th scope="col">{t('act.process')}</th>
            <th scope="col">{t('act.what')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ ev, item, ms }, i) => {
            const isAlert = ev._index === alertEvent._index && ev._id === alertEvent._id;
            return (
              <tr key={`${i}:${ev._index}/${ev._id}`} data-testid="sequence-event" data-time={item.time ?? ''}>
                <td>{i + 1}</td>
                <td>
                  <Timestamp iso={item.time} />
                </td>
                <td className="mono">{ms !== null && first !== null ? formatOffset(ms - first) : '—'}</td>
                <td>
                  {timelineKindLabel(t, item.kind)}
                  {isAlert ? <span className="chip">{t('seq.alertEvent')}</span> : null}
                </td>
                <td className="mono">
                  {item.processName ?? '—'}
                  {item.pid !== null ? ` (${item.pid})` : ''}
                </td>
                <td className="mono" style={{ overflowWrap: 'anywhere' }}>
                  {item.summary}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
