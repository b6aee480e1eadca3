'use client';

import type { LogonsValue } from '@/lib/contracts/evidence';
import { Timestamp } from '@/components/ui/timestamp';
import { useT } from '@/components/i18n/use-t';

export function LogonsView({ logons }: { logons: LogonsValue }) {
  const t = useT();
  return (
    <section aria-label={t('logon.label')} className="group" data-testid="logons">
      <h3>{t('logon.title', { host: logons.hostName ?? t('logon.theHost') })}</h3>
      <p className="small muted">
        <Timestamp iso={logons.window.from} /> → <Timestamp iso={logons.window.to} />
        {logons.truncated ? ` ${t('logon.truncated')}` : ''}
      </p>
      {logons.byUser.length ? (
        <p className="small">
          {logons.byUser
            .map((u) => (u.failure ? t('logon.perUserFailed', { user: u.user, ok: u.success, failed: u.failure }) : t('logon.perUser', { user: u.user, ok: u.success })))
            .join(' · ')}
        </p>
      ) : null}
      {logons.items.length === 0 ? (
        <p>{t('logon.empty')}</p>
      ) : (
        <table className="data">
          <thead>
            <tr>
              <th scope="col">{t('ev.timeUtc')}</th>
              <th scope="col">{t('logon.event')}</th>
              <th scope="col">{t('logon.type')}</th>
              <th scope="col">{t('logon.user')}</th>
              <th scope="col">{t('logon.from')}</th>
              <th scope="col">{t('logon.outcome')}</th>
            </tr>
          </thead>
          <tbody>
            {logons.items.map((l) => (
              <tr key={`${l.event._index}/${l.event._id}`} data-testid="logon">
                <td>
                  <Timestamp iso={l.time} />
                </td>
                <td className="mono" style={{ whiteSpace: 'nowrap' }}>
                  {l.eventCode ?? l.action ?? '—'}
                </td>
                <td>{l.logonType ?? '—'}</td>
                <td className="mono">{l.user ?? '—'}</td>
                <td className="mono">{[l.sourceIp, l.sourceHost].filter(Boolean).join(' / ') || '—'}</td>
                <td>{l.outcome ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
