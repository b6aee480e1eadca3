import type { LogonsValue } from '@/lib/contracts/evidence';
import { Timestamp } from '@/components/ui/timestamp';

export function LogonsView({ logons }: { logons: LogonsValue }) {
  return (
    <section aria-label="Logons after the alert" className="group" data-testid="logons">
      <h3>Logons on {logons.hostName ?? 'the host'} after the alert</h3>
      <p className="small muted">
        <Timestamp iso={logons.window.from} /> → <Timestamp iso={logons.window.to} />
        {logons.truncated ? ' (cut at the limit)' : ''}
      </p>
      {logons.byUser.length ? (
        <p className="small">
          {logons.byUser.map((u) => `${u.user}: ${u.success} ok${u.failure ? `, ${u.failure} failed` : ''}`).join(' · ')}
        </p>
      ) : null}
      {logons.items.length === 0 ? (
        <p>No authentication events on this host after the alert.</p>
      ) : (
        <table className="data">
          <thead>
            <tr>
              <th scope="col">Time (UTC)</th>
              <th scope="col">Event</th>
              <th scope="col">Type</th>
              <th scope="col">User</th>
              <th scope="col">From</th>
              <th scope="col">Outcome</th>
            </tr>
          </thead>
          <tbody>
            {logons.items.map((l) => (
              <tr key={`${l.event._index}/${l.event._id}`} data-testid="logon">
                <td>
                  <Timestamp iso={l.time} />
                </td>
                <td className="mono">{l.eventCode ?? l.action ?? '—'}</td>
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
