import { queryOptions } from '@tanstack/react-query';
import { z } from 'zod';
import { meResponseSchema, tokenCreatedSchema, tokenListResponseSchema, tokenRevokedSchema, userListResponseSchema, publicUserSchema, type Language } from '@/lib/contracts/auth';
import { fetchJson } from './fetch-json';

export const meKey = ['auth', 'me'] as const;

export function meQuery() {
  return queryOptions({
    queryKey: meKey,
    queryFn: ({ signal }) => fetchJson('/api/auth/me', meResponseSchema, { signal }),
    staleTime: 60_000,
    retry: false,
  });
}

export function signIn(name: string, password: string) {
  return fetchJson('/api/auth/signin', meResponseSchema, { method: 'POST', body: { name, password } });
}

export function signOut() {
  return fetchJson('/api/auth/signout', z.object({ signedOut: z.boolean() }), { method: 'POST', body: {} });
}

export function setLanguage(language: Language) {
  return fetchJson('/api/auth/me', meResponseSchema, { method: 'PATCH', body: { language } });
}

export const usersKey = ['users'] as const;

export function usersQuery() {
  return queryOptions({ queryKey: usersKey, queryFn: ({ signal }) => fetchJson('/api/users', userListResponseSchema, { signal }) });
}

const userAnswer = z.object({ user: publicUserSchema, password: z.string().optional() });

export function createUser(body: { name: string; role: string; password?: string }) {
  return fetchJson('/api/users', userAnswer, { method: 'POST', body });
}

export function patchUser(name: string, body: { role?: string; disabled?: boolean; password?: string }) {
  return fetchJson(`/api/users/${encodeURIComponent(name)}`, z.object({ user: publicUserSchema }), { method: 'PATCH', body });
}

export const tokensKey = ['auth', 'tokens', 'all'] as const;

/** Every user's API tokens (admins), never the secrets. */
export function allTokensQuery() {
  return queryOptions({ queryKey: tokensKey, queryFn: ({ signal }) => fetchJson('/api/auth/tokens?user=*', tokenListResponseSchema, { signal }) });
}

/** A new API token for `user` (the secret is in the answer, once). */
export function createToken(body: { user: string; label: string; expiresInDays: number; scope: 'read' | 'full' }) {
  return fetchJson('/api/auth/tokens', tokenCreatedSchema, { method: 'POST', body });
}

export function revokeToken(id: number) {
  return fetchJson(`/api/auth/tokens/${id}`, tokenRevokedSchema, { method: 'DELETE' });
}

const assignableSchema = z.object({ items: z.array(z.object({ name: z.string(), role: z.string() })) });

/** Users a lead can assign alerts to (lead+ only; the query is off for others). */
export function assignableQuery(enabled: boolean) {
  return queryOptions({
    queryKey: ['users', 'assignable'],
    queryFn: ({ signal }) => fetchJson('/api/users/assignable', assignableSchema, { signal }),
    enabled,
    staleTime: 60_000,
  });
}
