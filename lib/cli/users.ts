/**
 * `guidepost users add <name> --role R [--password P]`, `users list`,
 * `users passwd <name> [--password P]`, `users set <name> [--role R] [--disable|--enable]`,
 * `users token <name> [--label L] [--expires-days N] [--read-only]`, `users tokens [<name>]`,
 * `users revoke-token <id>`.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
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

const usage = `usage:
  guidepost users add <name> --role admin|lead|analyst|viewer [--password P]
  guidepost users list
  guidepost users passwd <name> [--password P]
  guidepost users set <name> [--role R] [--disable | --enable]
  guidepost users token <name> [--label L] [--expires-days N (1-${MAX_TOKEN_DAYS}, default ${DEFAULT_TOKEN_DAYS})] [--read-only]
  guidepost users tokens [<name>]          (API tokens: id, name, scope, expiry, state; never the secret)
  guidepost users revoke-token <id>`;

function fail(message: string): number {
  console.error(`guidepost users: ${message}`);
  return 2;
}

export async function main(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        role: { type: 'string' },
        password: { type: 'string' },
        label: { type: 'string' },
        'expires-days': { type: 'string' },
        'read-only': { type: 'boolean' },
        disable: { type: 'boolean' },
        enable: { type: 'boolean' },
      },
    });
  } catch (err) {
    return fail(`${err instanceof Error ? err.message : String(err)}\n${usage}`);
  }
  const { values, positionals } = parsed;
  try {
    switch (sub) {
      case 'add': {
        const args = z
          .object({ name: z.string(), role: roleSchema, password: z.string().optional() })
          .safeParse({ name: positionals[0], role: values.role, password: values.password });
        if (!args.success) return fail(`${args.error.issues.map((i) => `${i.path.join('.') || 'argument'}: ${i.message}`).join('; ')}\n${usage}`);
        const password = args.data.password ?? generatePassword();
        const user = await createUser({ name: args.data.name, role: args.data.role, password }, 'cli');
        console.log(JSON.stringify({ name: user.name, role: user.role, ...(args.data.password ? {} : { password }) }));
        return 0;
      }
      case 'list':
        for (const u of listUsers()) console.log(JSON.stringify({ name: u.name, role: u.role, disabled: u.disabled }));
        return 0;
      case 'passwd': {
        const name = positionals[0];
        if (!name) return fail(usage);
        const password = values.password ?? generatePassword();
        await setPassword(name, password, 'cli');
        console.log(JSON.stringify({ name, ...(values.password ? {} : { password }) }));
        return 0;
      }
      case 'set': {
        const name = positionals[0];
        if (!name) return fail(usage);
        const role = values.role === undefined ? undefined : roleSchema.safeParse(values.role);
        if (role && !role.success) return fail(`--role must be one of admin, lead, analyst, viewer`);
        const user = updateUser(name, { role: role?.data, disabled: values.disable ? true : values.enable ? false : undefined }, 'cli');
        console.log(JSON.stringify({ name: user.name, role: user.role, disabled: user.disabled }));
        return 0;
      }
      case 'token': {
        const user = positionals[0] ? getUserByName(positionals[0]) : null;
        if (!user) return fail(`no such user\n${usage}`);
        const rawDays = values['expires-days'];
        const days = rawDays === undefined ? undefined : Number(rawDays);
        if (days !== undefined && (!Number.isInteger(days) || days < 1 || days > MAX_TOKEN_DAYS)) {
          return fail(`--expires-days must be a whole number of days from 1 to ${MAX_TOKEN_DAYS}, not '${rawDays}'`);
        }
        console.log(createApiToken(user.id, values.label ?? 'cli', { expiresInDays: days, scope: values['read-only'] ? 'read' : 'full' }, 'cli'));
        return 0;
      }
      case 'tokens': {
        let userId: number | undefined;
        if (positionals[0]) {
          const user = getUserByName(positionals[0]);
          if (!user) return fail(`no user '${positionals[0]}'`);
          userId = user.id;
        }
        for (const t of listApiTokens(userId)) console.log(JSON.stringify(t));
        return 0;
      }
      case 'revoke-token': {
        const raw = positionals[0] ?? '';
        if (!/^[1-9][0-9]{0,9}$/.test(raw)) return fail(`give the token's id (see 'guidepost users tokens'), not '${raw}'\n${usage}`);
        const t = revokeApiToken(Number(raw), 'cli');
        console.log(JSON.stringify({ id: t.id, user: t.user, label: t.label, revokedAt: t.revokedAt }));
        return 0;
      }
      default:
        return fail(usage);
    }
  } catch (err) {
    if (err instanceof AuthError || err instanceof z.ZodError) {
      return fail(err instanceof z.ZodError ? err.issues.map((i) => i.message).join('; ') : err.message);
    }
    throw err;
  }
}
