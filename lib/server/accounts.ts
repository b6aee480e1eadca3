import 'server-only';
import type { z } from 'zod';
import type { tokenCreateForSchema, tokenCreateSchema, userCreateSchema, userPatchSchema } from '@/lib/contracts/auth';
import { AppError } from '@/lib/errors';
import {
  can,
  createApiToken,
  createUser,
  generatePassword,
  getApiToken,
  getUserByName,
  listApiTokens,
  listUsers,
  passwordSchema,
  revokeApiToken,
  setPassword,
  updateUser,
  userNameSchema,
  type User,
} from '@/lib/auth';
import { getDb } from '../store/db';

/**
 * Accounts and API tokens as the API manages them: who may see or change whose (admins:
 * anyone's; everyone else: their own), applied through lib/auth. Refusals are AppErrors.
 */

function checked<S extends z.ZodType>(schema: S, value: unknown, field: string): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new AppError('invalid_request', `${field}: ${parsed.error.issues.map((i) => i.message).join('; ')}`, { details: { field } });
  return parsed.data;
}

const sameName = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

function userOrThrow(name: string): User {
  const user = getUserByName(getDb(), name);
  if (!user) throw new AppError('not_found', `no user '${name}'`);
  return user;
}

/** Add an account; without a password one is generated and answered once. */
export async function addAccount(body: z.infer<typeof userCreateSchema>, actor: string): Promise<{ user: User; password?: string }> {
  const name = checked(userNameSchema, body.name, 'name');
  const generated = body.password === undefined;
  const password = generated ? generatePassword() : checked(passwordSchema, body.password, 'password');
  const user = await createUser(getDb(), { name, role: body.role, password }, actor);
  return { user, ...(generated ? { password } : {}) };
}

/** Change another account's role, disabled state or password (an admin cannot lock themselves out). */
export async function changeAccount(admin: User, name: string, patch: z.infer<typeof userPatchSchema>): Promise<User | null> {
  const target = userOrThrow(name);
  if (target.id === admin.id && (patch.disabled === true || (patch.role !== undefined && patch.role !== 'admin'))) {
    throw new AppError('invalid_request', 'you cannot disable yourself or take away your own admin role');
  }
  if (patch.password !== undefined) await setPassword(getDb(), target.name, checked(passwordSchema, patch.password, 'password'), admin.name);
  if (patch.role === undefined && patch.disabled === undefined) return getUserByName(getDb(), target.name);
  return updateUser(getDb(), target.name, { ...(patch.role ? { role: patch.role } : {}), ...(patch.disabled !== undefined ? { disabled: patch.disabled } : {}) }, admin.name);
}

/** Names and roles of the active users who can work alerts (for leads assigning). */
export function assignableUsers(): { name: string; role: User['role'] }[] {
  return listUsers(getDb())
    .filter((u) => !u.disabled && can(u.role, 'work'))
    .map((u) => ({ name: u.name, role: u.role }));
}

/** API tokens `user` may list: their own; admins anyone's (`who`), or everyone's with `*`. */
export function listTokensFor(user: User, who: string | undefined) {
  if (who === undefined || sameName(who, user.name)) return listApiTokens(getDb(), user.id);
  if (!can(user.role, 'users:manage')) throw new AppError('forbidden', "only admins may list other users' API tokens");
  if (who === '*') return listApiTokens(getDb());
  return listApiTokens(getDb(), userOrThrow(who).id);
}

/** A new API token (the secret, shown once) for `user` or, by an admin, for `body.user`. */
export function createTokenFor(user: User, body: z.infer<typeof tokenCreateForSchema>) {
  let target = user;
  if (body.user !== undefined && !sameName(body.user, user.name)) {
    if (!can(user.role, 'users:manage')) throw new AppError('forbidden', 'only admins may create API tokens for other users');
    target = userOrThrow(body.user);
  }
  const token = newTokenOf(target, body, user.name);
  const created = listApiTokens(getDb(), target.id)[0];
  const info = created ? getApiToken(getDb(), created.id) : null;
  return { token, label: body.label, id: info?.id, scope: info?.scope, expiresAt: info?.expiresAt ?? null };
}

/** An admin's new token for the account `name` (POST /api/users/:name/token). */
export function createTokenOfUser(name: string, body: z.infer<typeof tokenCreateSchema>, actor: string): { token: string; label: string } {
  return { token: newTokenOf(userOrThrow(name), body, actor), label: body.label };
}

function newTokenOf(target: User, body: z.infer<typeof tokenCreateSchema>, actor: string): string {
  if (target.disabled) throw new AppError('invalid_request', `user '${target.name}' is disabled`);
  // createApiToken audits the creation (name, scope, expiry) when given the actor
  return createApiToken(getDb(), target.id, body.label, { expiresInDays: body.expiresInDays, scope: body.scope }, actor);
}

/** Revoke a token: one's own, or (admins) anyone's. Someone else's is "not found" to a non-admin (ids are not probed). */
export function revokeTokenAs(user: User, id: number) {
  const found = getApiToken(getDb(), id);
  const mine = found !== null && sameName(found.user, user.name);
  if (!found || (!mine && !can(user.role, 'users:manage'))) throw new AppError('not_found', `no API token ${id} of yours`);
  return revokeApiToken(getDb(), id, user.name);
}
