/**
 * `guidepost assign <alert-id…> --to NAME|none --as USER`: assign alerts (or unassign them) as
 * the named user, through the same policy as the API (lib/cases/assignment): an analyst may
 * take unassigned alerts or release their own, a lead assigns anyone who works alerts. Prints
 * one JSON line per alert (`assigned`, `unchanged` or `refused` with the reason); exits 1 when
 * any was refused.
 */
import { z } from 'zod';
import { cliCommand } from './args';
import { getUserByName } from '../auth';
import { assignAlerts, getAlertOrThrow } from '../cases';
import { getDb } from '../store/db';

const usage = `usage:
  guidepost assign <alert-id…> --to NAME|none --as USER`;

const cli = cliCommand('assign', usage);

const argsSchema = z.object({
  ids: z.array(z.string().trim().min(1)).min(1, 'name at least one alert id'),
  to: z.string().trim().min(1, '--to needs a user name (or none)'),
  as: z.string().trim().min(1, '--as needs the user who assigns'),
});

export async function main(argv: string[]): Promise<number> {
  const parsed = cli.parse(argv, { positionals: true, strings: ['to', 'as'] });
  if (typeof parsed === 'number') return parsed;
  const args = argsSchema.safeParse({ ids: parsed.positionals, to: parsed.values.to ?? '', as: parsed.values.as ?? '' });
  if (!args.success) return cli.invalid(args.error);
  const actor = getUserByName(getDb(), args.data.as);
  if (!actor || actor.disabled) return cli.fail(`--as: no active user '${args.data.as}'`, { usage: false });
  // the command works on the alerts as they are now: each at its current version
  const versionOf = (id: string) => {
    try {
      return getAlertOrThrow(id).version;
    } catch {
      return 0;
    }
  };
  const items = args.data.ids.map((id) => ({ id, expectedVersion: versionOf(id) }));
  const out = assignAlerts(actor, items, args.data.to.toLowerCase() === 'none' ? null : args.data.to);
  for (const id of out.done) console.log(JSON.stringify({ id, result: 'assigned' }));
  for (const id of out.unchanged) console.log(JSON.stringify({ id, result: 'unchanged' }));
  for (const r of out.refused) console.log(JSON.stringify({ id: r.id, result: 'refused', code: r.code, reason: r.message }));
  return out.refused.length ? 1 : 0;
}
