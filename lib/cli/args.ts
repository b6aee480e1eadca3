/** Argument pieces the CLI commands share. */
import { z } from 'zod';
import { resolveDate } from '../detection/window';

/** `--from` / `--to`: an ISO date or date math (`now-3d`), as an ISO string; a clear error naming the option otherwise. */
export const dateArg = (name: string) =>
  z
    .string()
    .trim()
    .min(1, `${name} needs a value`)
    .transform((s, ctx) => {
      try {
        return resolveDate(s, new Date()).toISOString();
      } catch {
        ctx.addIssue({ code: 'custom', message: `${name}: "${s}" is not an ISO date or date math (e.g. now-3d)` });
        return z.NEVER;
      }
    });
