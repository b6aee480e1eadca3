import type { ActivityValue } from '@/lib/contracts/evidence';
import { Timestamp } from '@/components/ui/timestamp';

const kindLabels: Record<string, string> = {
  network: 'Network',
  dns: 'DNS',
  registry: 'Registry',
  file: 'File',
  process: 'Child processes',
  library: 'Libraries loaded',
  other: 'Other',
};

/** Activity of the subject process and its tree, grouped by kind; `only` narrows the kinds shown. */
export function ActivityView({ activity, only }: { activity: ActivityValue; only?: string[] }) {
  const groups = only ? activity.groups.filter((g) => only.includes(g.kind)) : activity.groups;
  return (
    <section aria-label="Process activity" className="group" data-testid="activity">
      <h3>Activity of the process tree</h3>
      <p className="small muted">
        {activity.total} event{activity.total === 1 ? '' : 's'} of {activity.entityIds.length} process{activity.entityIds.length === 1 ? '' : 'es'},{' '}
        <Timestamp iso={activity.window.from} /> → <Timestamp iso={activity.window.to} />
        {activity.truncated ? ' (cut at the limit: there may be more)' : ''}
      </p>
      {groups.length === 0 ? <p>No {only ? only.map((k) => kindLabels[k] ?? k).join(' / ').toLowerCase() : ''} activity recorded for these processes.</p> : null}
      {groups.map((g) => (
        <details key={g.kind} open className="group" data-testid="activity-group" data-kind={g.kind}>
          <summary>
            {kindLabels[g.kind] ?? g.kind} <span className="chip">{g.count}</span>
            {g.truncated ? <span className="small muted"> (first {g.items.length} shown)</span> : null}
          </summary>
          <table className="data">
            <thead>
              <tr>
                <th scope="col">Time (UTC)</th>
                <th scope="col">Process</th>
                <th scope="col">What</th>
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
