/**
 * `guidepost users add <name> --role R [--password P]`, `users list`,
 * `users passwd <name> [--password P]`, `users set <name> [--role R] [--disable|--enable]`,
 * `users token <name> [--label L] [--expires-days N] [--read-only]`, `users tokens [<name>]`,
 * `users revoke-token <id>`.
 */
import { z } from 'zod';
import { cliCommand } from './args';
import {
  roleSchema,
  createUser,
  generatePassword,
  listUsers,
  setPassword,
  updateUser,
  getUserByName,
  createApiToken,
  listApiTokens,
  revokeApiToken,
  AuthError,
  DEFAULT_TOKEN_DAYS,
  MAX_TOKEN_DAYS,
} from '../auth';
import { getDb } from '../store/db';

const usage = `usage:
  guidepost users add <name> --role admin|lead|analyst|viewer [--password P]
  guidepost users list
  guidepost users passwd <name> [--password P]
  guidepost users set <name> [--role R] [--disable | --enable]
  guidepost users token <name> [--label L] [--expires-days N (1-${MAX_TOKEN_DAYS}, default ${DEFAULT_TOKEN_DAYS})] [--read-only]
  guidepost users tokens [<name>]          (API tokens: id, name, scope, expiry, state; never the secret)
  guidepost users revoke-token <id>`;

const cli = cliCommand('users', usage);

export async function main(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  const parsed = cli.parse(rest, { positionals: true, strings: ['role', 'password', 'label', 'expires-days'], booleans: ['read-only', 'disable', 'enable'] });
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  try {
    switch (sub) {
      case 'add': {
        const args = z
          .object({ name: z.string(), role: roleSchema, password: z.string().optional() })
          .safeParse({ name: positionals[0], role: values.role, password: values.password });
        if (!args.success) return cli.invalid(args.error, true);
        const password = args.data.password ?? generatePassword();
        const user = await createUser(getDb(), { name: args.data.name, role: args.data.role, password }, 'cli');
        console.log(JSON.stringify({ name: user.name, role: user.role, ...(args.data.password ? {} : { password }) }));
        return 0;
      }
      case 'list':
        for (const u of listUsers(getDb())) console.log(JSON.stringify({ name: u.name, role: u.role, disabled: u.disabled }));
        return 0;
      case 'passwd': {
        const name = positionals[0];
        if (!name) return cli.fail(usage, { usage: false });
        const password = values.password ?? generatePassword();
        await setPassword(getDb(), name, password, 'cli');
        console.log(JSON.stringify({ name, ...(values.password ? {} : { password }) }));
        return 0;
      }
      case 'set': {
        const name = positionals[0];
        if (!name) return cli.fail(usage, { usage: false });
        const role = values.role === undefined ? undefined : roleSchema.safeParse(values.role);
        if (role && !role.success) return cli.fail(`--role must be one of admin, lead, analyst, viewer`, { usage: false });
        const user = updateUser(getDb(), name, { role: role?.data, disabled: values.disable ? true : values.enable ? false : undefined }, 'cli');
        console.log(JSON.stringify({ name: user.name, role: user.role, disabled: user.disabled }));
        return 0;
      }
      case 'token': {
        const user = positionals[0] ? getUserByName(getDb(), positionals[0]) : null;
        if (!user) return cli.fail(`no such user`);
        const rawDays = values['expires-days'];
        const days = rawDays === undefined ? undefined : Number(rawDays);
        if (days !== undefined && (!Number.isInteger(days) || days < 1 || days > MAX_TOKEN_DAYS)) {
          return cli.fail(`--expires-days must be a whole number of days from 1 to ${MAX_TOKEN_DAYS}, not '${rawDays}'`, { usage: false });
        }
        console.log(createApiToken(getDb(), user.id, values.label ?? 'cli', { expiresInDays: days, scope: values['read-only'] ? 'read' : 'full' }, 'cli'));
        return 0;
      }
      case 'tokens': {
        let userId: number | undefined;
        if (positionals[0]) {
          const user = getUserByName(getDb(), positionals[0]);
          if (!user) return cli.fail(`no user '${positionals[0]}'`, { usage: false });
          userId = user.id;
        }
        for (const t of listApiTokens(getDb(), userId)) console.log(JSON.stringify(t));
        return 0;
      }
      case 'revoke-token': {
        const raw = positionals[0] ?? '';
        if (!/^[1-9][0-9]{0,9}$/.test(raw)) return cli.fail(`give the token's id (see 'guidepost users tokens'), not '${raw}'`);
        const t = revokeApiToken(getDb(), Number(raw), 'cli');
        console.log(JSON.stringify({ id: t.id, user: t.user, label: t.label, revokedAt: t.revokedAt }));
        return 0;
      }
      default:
        return cli.fail(usage, { usage: false });
    }
  } catch (err) {
    if (err instanceof AuthError || err instanceof z.ZodError) {
      return cli.fail(err instanceof z.ZodError ? err.issues.map((i) => i.message).join('; ') : err.message, { usage: false });
    }
    throw err;
  }
}
