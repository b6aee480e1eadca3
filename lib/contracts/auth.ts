import { z } from 'zod';

export const roleValues = ['viewer', 'analyst', 'lead', 'admin'] as const;
export const roleValueSchema = z.enum(roleValues);
export const languageSchema = z.enum(['en', 'zh']);
export type Language = z.infer<typeof languageSchema>;

/** POST /api/auth/signin */
export const signInBodySchema = z
  .object({
    name: z.string().trim().min(1, 'give your user name').max(64),
    password: z.string().min(1, 'give your password').max(256),
  })
  .strict();

export const publicUserSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  role: roleValueSchema,
  language: languageSchema,
  disabled: z.boolean(),
  createdAt: z.string(),
});
export type PublicUser = z.infer<typeof publicUserSchema>;

/** GET /api/auth/me, and the answer of a sign-in */
export const meResponseSchema = z.object({
  user: publicUserSchema,
  /** what the UI may offer (the API checks again) */
  can: z.object({
    work: z.boolean(),
    assign: z.boolean(),
    dashboard: z.boolean(),
    manageRules: z.boolean(),
    ingest: z.boolean(),
    manageUsers: z.boolean(),
  }),
});
export type MeResponse = z.infer<typeof meResponseSchema>;

/** PATCH /api/auth/me — the user's own settings */
export const mePatchSchema = z.object({ language: languageSchema }).strict();

/** GET /api/users */
export const userListResponseSchema = z.object({ items: z.array(publicUserSchema) });

/** POST /api/users */
export const userCreateSchema = z
  .object({
    name: z.string().trim(),
    role: roleValueSchema,
    /** omitted: a random one is generated and returned once */
    password: z.string().optional(),
  })
  .strict();

/** PATCH /api/users/:name */
export const userPatchSchema = z
  .object({
    role: roleValueSchema.optional(),
    disabled: z.boolean().optional(),
    /** a new password (sessions of the user end) */
    password: z.string().optional(),
  })
  .strict()
  .refine((p) => p.role !== undefined || p.disabled !== undefined || p.password !== undefined, { message: 'nothing to change: give role, disabled or password' });

/** POST /api/users/:name/token, POST /api/auth/tokens */
export const tokenScopeSchema = z.enum(['full', 'read']);
export const tokenCreateSchema = z
  .object({
    label: z.string().trim().min(1, 'give the token a name').max(100, 'a token name has at most 100 characters'),
    /** days until it expires, 1 … 366 (default 90) */
    expiresInDays: z.number().int('whole days').min(1, 'a token lives at least 1 day').max(366, 'a token lives at most 366 days').optional(),
    /** full = what the user's role allows; read = reads only (default full) */
    scope: tokenScopeSchema.optional(),
  })
  .strict();
export const tokenCreatedSchema = z.object({
  token: z.string(),
  label: z.string(),
  id: z.number().int().optional(),
  scope: tokenScopeSchema.optional(),
  expiresAt: z.string().nullable().optional(),
});

/** POST /api/auth/tokens: a token for yourself, or (admins) for `user` */
export const tokenCreateForSchema = tokenCreateSchema.extend({ user: z.string().trim().min(1).max(64).optional() }).strict();

export const apiTokenInfoSchema = z.object({
  id: z.number().int(),
  user: z.string(),
  label: z.string(),
  scope: tokenScopeSchema,
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  active: z.boolean(),
});
export type ApiTokenView = z.infer<typeof apiTokenInfoSchema>;

/** GET /api/auth/tokens[?user=name|*] */
export const tokenListQuerySchema = z.object({ user: z.string().trim().min(1).max(64).optional() }).strict();
export const tokenListResponseSchema = z.object({ items: z.array(apiTokenInfoSchema) });
/** DELETE /api/auth/tokens/:id */
export const tokenIdParamSchema = z.object({ id: z.string().regex(/^[1-9][0-9]{0,9}$/, 'a token id is a positive whole number').transform(Number) });
export const tokenRevokedSchema = z.object({ token: apiTokenInfoSchema });
