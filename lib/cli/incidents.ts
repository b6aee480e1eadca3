/**
 * `guidepost incidents [--json] [--from DATE --to DATE]`
 *
 * Groups any alert not yet in an incident, then prints one line per incident (oldest first):
 *   incident_id  status  alert_ids (ordered by time, comma-separated)  reasons
 * where reasons has one entry per alert after the first: `alert_id:key=value` (key is
 * process, host or user, or manual=merge|split|move for an alert a person placed). With
 * --json each line is {"incident_id","alert_ids","reasons":[{"alert_id","key","value"}],"status"}.
 * --from/--to (ISO dates or date math) keep incidents seen inside the range.
 * Exit 0, 2 on bad arguments.
 */
import { z } from 'zod';
import { cliCommand, dateArg } from './args';
import { getDb } from '../store/db';
import { listIncidentRows, listMembers } from '../store/incidents';
import { groupUngroupedAlerts } from '../incidents/grouping';
import type { IncidentMember } from '../incidents/types';

const usage = 'usage: guidepost incidents [--json] [--from DATE --to DATE]';

const argsSchema = z
  .object({ json: z.boolean().default(false), from: dateArg('--from').optional(), to: dateArg('--to').optional() })
  .superRefine((a, ctx) => {
    if (a.from && a.to && a.to < a.from) ctx.addIssue({ code: 'custom', message: `--to (${a.to}) is before --from (${a.from})` });
  });

const cli = cliCommand('incidents', usage);

export interface IncidentLine {
  incident_id: string;
  alert_ids: string[];
  reasons: { alert_id: string; key: string; value: string }[];
  status: string;
}

export function reasonsOf(members: IncidentMember[]): IncidentLine['reasons'] {
  return members.slice(1).map((m) => {
    const r = m.reason;
    if (!r) return { alert_id: m.alertId, key: 'none', value: '' };
    if (r.kind === 'manual') return { alert_id: m.alertId, key: 'manual', value: r.action };
    return { alert_id: m.alertId, key: r.key, value: r.value };
  });
}

export function textLine(l: IncidentLine): string {
  const reasons = l.reasons.map((r) => `${r.alert_id}:${r.key}=${r.value}`).join(' ');
  return [l.incident_id, l.status, l.alert_ids.join(','), reasons || '-'].join('\t');
}

export async function main(argv: string[]): Promise<number> {
  const parsed = cli.parse(argv, { strings: ['from', 'to'], booleans: ['json'] });
  if (typeof parsed === 'number') return parsed;
  const args = argsSchema.safeParse({ json: parsed.values.json, from: parsed.values.from, to: parsed.values.to });
  if (!args.success) return cli.invalid(args.error);
  const db = getDb();
  const report = groupUngroupedAlerts(db);
  if (report.grouped) console.error(`guidepost incidents: grouped ${report.grouped} new alert(s)`);
  let offset = 0;
  let count = 0;
  for (;;) {
    const page = listIncidentRows(db, { from: args.data.from, to: args.data.to, sort: 'first_seen', order: 'asc', limit: 1000, offset }, 0);
    for (const inc of page.items) {
      const members = listMembers(db, inc.id);
      const line: IncidentLine = { incident_id: inc.id, alert_ids: members.map((m) => m.alertId), reasons: reasonsOf(members), status: inc.status };
      process.stdout.write((args.data.json ? JSON.stringify(line) : textLine(line)) + '\n');
      count += 1;
    }
    offset += page.items.length;
    if (page.items.length < 1000) break;
  }
  console.error(`guidepost incidents: ${count} incident(s)`);
  return 0;
}
