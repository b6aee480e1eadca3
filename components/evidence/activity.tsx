'use client';

import type { ActivityValue } from '@/lib/contracts/evidence';
import { Timestamp } from '@/components/ui/timestamp';
import { useT } from '@/components/i18n/use-t';
import type { MessageKey, Translate } from '@/lib/i18n';

const kindLabels: Record<string, MessageKey> = {
  network: 'kind.network',
  dns: 'kind.dns',
  registry: 'kind.registry',
  file: 'kind.file',
  process: 'kind.process',
  library: 'kind.library',
  other: 'kind.other',
};

/** A kind of activity in the user's language (an unknown kind as the API named it). */
function kindLabel(t: Translate, kind: string): string {
  const key = kindLabels[kind];
  return key ? t(key) : kind;
}

/** Activity of the subject process and its tree, grouped by kind; `only` narrows the kinds shown. */
export function ActivityView({ activity, only }: { activity: ActivityValue; only?: string[] }) {
  const t = useT();
  const groups = only ? activity.groups.filter((g) => only.includes(g.kind)) : activity.groups;
  return (
    <section aria-label={t('act.label')} className="group" data-testid="activity">
      <h3>{t('act.title')}</h3>
      <p className="small muted">
        {t('act.summary', { events: activity.total, processes: activity.entityIds.length })}{' '}
        <Timestamp iso={activity.window.from} /> → <Timestamp iso={activity.window.to} />
        {activity.truncated ? ` ${t('act.truncated')}` : ''}
      </p>
      {groups.length === 0 ? <p>{t('act.empty', { kinds: only ? only.map((k) => kindLabel(t, k)).join(' / ').toLowerCase() : '' }).replace(/\s{2,}/g, ' ')}</p> : null}
      {groups.map((g) => (
        <details key={g.kind} open className="group" data-testid="activity-group" data-kind={g.kind}>
          <summary>
            {kindLabel(t, g.kind)} <span className="chip">{g.count}</span>
            {g.truncated ? <span className="small muted"> {t('act.firstShown', { count: g.items.length })}</span> : null}
          </summary>
          <table className="data">
            <thead>
              <tr>
                <th scope="col">{t('ev.timeUtc')}</th>
                <th scope="col">{t('act.process')}</th>
                <th scope="col">{t('act.what')}</th>
              </tr>
            </thead>
            <tbody>
              {g.items.map((it) => (
                <tr key={`${it.event._index}/${it.event._id}`}>
                  <td>
                    <Timestamp iso={it.time} />
                  </td>
                  <td className="mono">
                    {it.processName ?? '—'}
                    {it.pid !== null ? ` (${it.pid})` : ''}
                  </td>
                  <td className="mono">
                    {it.action ? <span className="chip">{it.action}</span> : null}
                    <Breakable text={withoutAction(it.summary, it.action)} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      ))}
    </section>
  );
}

/** The summary without its leading "<action>: " (the action is already shown as a chip). */
export function withoutAction(summary: string, action: string | null): string {
  if (!action || !summary.startsWith(action)) return summary;
  return summary.slice(action.length).replace(/^:\s*/, '');
}

/** Text with line-break opportunities after path separators, so long paths wrap at a separator, not mid-name. */
function Breakable({ text }: { text: string }) {
  const parts = text.split(/(?<=[\\/])/);
  return (
    <>
      {parts.map((p, i) => (
        <span key={i}>
          {p}
          {i < parts.length - 1 ? <wbr /> : null}
        </span>
      ))}
    </>
  );
}
