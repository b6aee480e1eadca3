import Link from 'next/link';
import type { RelatedAlertsValue } from '@/lib/contracts/evidence';
import { SeverityBadge, StatusBadge } from '@/components/ui/badges';
import { Timestamp } from '@/components/ui/timestamp';

export const RELATED_WINDOWS = [24, 48, 72, 168] as const;

export function RelatedAlertsView({ related, hours, onHours }: { related: RelatedAlertsValue; hours: number; onHours: (h: number) => void }) {
  return (
    <section aria-label="Related alerts" className="group" data-testid="related-alerts">
      <h3>Related alerts</h3>
      <label className="field" style={{ flexDirection: 'row', alignItems: 'center', gap: '0.4rem' }}>
        <span>Window before the alert</span>
        <select value={hours} onChange={(e) => onHours(Number(e.target.value))}>
          {RELATED_WINDOWS.map((h) => (
            <option key={h} value={h}>
              {h} hours
            </option>
          ))}
        </select>
      </label>
      <p className="small muted">
        <Timestamp iso={related.window.from} /> → <Timestamp iso={related.window.to} />: {related.items.length} related
        {related.unrelated ? `, ${related.unrelated} other alert${related.unrelated === 1 ? '' : 's'} not related` : ''}
        {related.truncated ? ' (list cut at the limit)' : ''}
      </p>
      {related.items.length === 0 ? (
        <p>No other alerts on this host, user or process tree in the window.</p>
      ) : (
        <table className="data">
          <thead>
            <tr>
              <th scope="col">Time (UTC)</th>
              <th scope="col">Rule</th>
              <th scope="col">Severity</th>
              <th scope="col">Why related</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {related.items.map((a) => (
              <tr key={a.id} data-testid="related-alert">
                <td>
                  <Timestamp iso={a.timestamp} />
                </td>
                <td>
                  <Link href={`/alerts/${encodeURIComponent(a.id)}`}>{a.ruleName}</Link>
                  <div className="small muted mono">{[a.hostName, a.userName, a.processName].filter(Boolean).join(' · ')}</div>
                </td>
                <td>
                  <SeverityBadge severity={a.severity} />
                </td>
                <td data-testid="related-reasons">{a.explanations.length ? a.explanations.join('; ') : a.reasons.join(', ')}</td>
                <td>
                  <StatusBadge status={a.status} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
