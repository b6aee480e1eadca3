/** Argument handling the CLI commands share. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
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

/**
 * What every command does with its arguments: node:util's parseArgs, then zod, and on a bad
 * argument `guidepost <name>: <what is wrong>` with the usage on stderr and exit code 2.
 */
export function cliCommand(name: string, usage: string) {
  const fail = (message: string, options: { usage?: boolean } = {}): number => {
    console.error(`guidepost ${name}: ${message}${options.usage === false ? '' : `\n${usage}`}`);
    return 2;
  };
  return {
    usage,
    fail,
    /** parseArgs, or (an unknown option, a missing value) the exit code of a usage error */
    parse<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> | number {
      try {
        return parseArgs(config);
      } catch (e) {
        return fail(e instanceof Error ? e.message : String(e));
      }
    },
    /** a usage error naming every issue (after the argument it is about, with `withPath`) */
    invalid(error: z.ZodError, withPath = false): number {
      return fail(error.issues.map((i) => (withPath ? `${i.path.join('.') || 'argument'}: ${i.message}` : i.message)).join('; '));
    },
  };
}
