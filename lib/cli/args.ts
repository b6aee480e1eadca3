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

/** A command's options by kind: `--name value` strings, `--flag` booleans, repeatable `--name value` lists. */
export interface ArgSpec<S extends string, B extends string, L extends string> {
  positionals?: boolean;
  strings?: readonly S[];
  booleans?: readonly B[];
  lists?: readonly L[];
}

export type ArgValues<S extends string, B extends string, L extends string> = { [K in S]?: string } & { [K in B]?: boolean } & { [K in L]?: string[] };

/**
 * What every command does with its arguments: node:util's parseArgs, then zod, and on a bad
 * argument `guidepost <name>: <what is wrong>` with the usage on stderr and exit code 2.
 * `--help` / `-h` prints the usage on stdout (exit 0) for every command.
 */
export function cliCommand(name: string, usage: string) {
  const fail = (message: string, options: { usage?: boolean } = {}): number => {
    console.error(`guidepost ${name}: ${message}${options.usage === false ? '' : `\n${usage}`}`);
    return 2;
  };
  return {
    usage,
    fail,
    /** the parsed arguments, or the exit code: 0 after `--help`, 2 on an unknown option or a missing value */
    parse<S extends string = never, B extends string = never, L extends string = never>(
      args: readonly string[],
      spec: ArgSpec<S, B, L>,
    ): { values: ArgValues<S, B, L>; positionals: string[] } | number {
      const options: NonNullable<ParseArgsConfig['options']> = { help: { type: 'boolean', short: 'h' } };
      for (const n of spec.strings ?? []) options[n] = { type: 'string' };
      for (const n of spec.booleans ?? []) options[n] = { type: 'boolean' };
      for (const n of spec.lists ?? []) options[n] = { type: 'string', multiple: true };
      try {
        const { values, positionals } = parseArgs({ args: [...args], options, allowPositionals: spec.positionals === true, strict: true });
        if (values.help === true) {
          console.log(usage);
          return 0;
        }
        delete values.help;
        // parseArgs types its values by the literal config; the options above are built from the spec's names
        return { values: values as ArgValues<S, B, L>, positionals };
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
