/**
 * Interface languages: English and Simplified Chinese. This module holds what every side needs
 * (language names, the message formatter) and no texts: the texts live per language in
 * ./messages/*.ts — the server reads them eagerly (./dictionaries), a browser loads only its
 * user's language (./load). Messages are ICU MessageFormat, formatted by FormatJS's
 * intl-messageformat (plurals by the language's own rules, `{n, plural, one {…} other {…}}`).
 */
import { IntlMessageFormat } from 'intl-messageformat';
import type { en } from './messages/en';

export const languages = ['en', 'zh'] as const;
export type Language = (typeof languages)[number];

export type MessageKey = keyof typeof en;
/** One language's texts; a missing key falls back to English. */
export type Messages = Partial<Record<MessageKey, string>>;
export type MessageValues = Record<string, string | number>;
export type Translate = (key: MessageKey, vars?: MessageValues) => string;

export function isLanguage(v: unknown): v is Language {
  return v === 'en' || v === 'zh';
}

/** The BCP 47 tag a language's plural and number rules are taken from. */
export function htmlLang(lang: Language): string {
  return lang === 'zh' ? 'zh-Hans' : 'en';
}

// Tags are not markup here (`<1h` is text): ignoreTag. Formats are compiled once per text.
const compiled = new Map<string, IntlMessageFormat>();
function compile(lang: Language, text: string): IntlMessageFormat {
  const id = `${lang}\u0000${text}`;
  let f = compiled.get(id);
  if (!f) {
    f = new IntlMessageFormat(text, htmlLang(lang), undefined, { ignoreTag: true });
    compiled.set(id, f);
  }
  return f;
}

/**
 * `text` (ICU MessageFormat) with its arguments filled. A text that does not parse, or an
 * argument not given, leaves the text as written (placeholders visible) rather than failing
 * the page: the i18n tests check that every text parses and that both languages agree.
 */
export function formatMessage(lang: Language, text: string, vars: MessageValues = {}): string {
  let f: IntlMessageFormat;
  try {
    f = compile(lang, text);
  } catch {
    return text;
  }
  const names = argumentsOf(f.getAst());
  if (names.some((n) => !(n in vars))) return text;
  try {
    const out = f.format(vars);
    return typeof out === 'string' ? out : String(out);
  } catch {
    return text;
  }
}

/** The message `key` of `messages` (English's when missing) in `lang`, arguments filled. */
export function translateWith(lang: Language, messages: Messages, fallback: Messages, key: MessageKey, vars?: MessageValues): string {
  const text = messages[key] ?? fallback[key] ?? key;
  return formatMessage(lang, text, vars);
}

type Ast = ReturnType<IntlMessageFormat['getAst']>;
type AstElement = Ast[number];

// the parser's element kinds (@formatjs/icu-messageformat-parser TYPE): argument, number,
// date, time, select, plural carry a `value` naming the argument; select/plural have options.
const ARGUMENT_KINDS = new Set([1, 2, 3, 4, 5, 6]);
function argumentsOf(ast: Ast, into = new Set<string>()): string[] {
  for (const el of ast as AstElement[]) {
    const e = el as { type: number; value?: unknown; options?: Record<string, { value: Ast }>; children?: Ast };
    if (ARGUMENT_KINDS.has(e.type) && typeof e.value === 'string') into.add(e.value);
    if (e.options) for (const o of Object.values(e.options)) argumentsOf(o.value, into);
    if (e.children) argumentsOf(e.children, into);
  }
  return [...into].sort();
}

/** The names of a message's arguments, sorted (for checking both languages agree). */
export function placeholdersOf(text: string): string[] {
  return argumentsOf(new IntlMessageFormat(text, 'en', undefined, { ignoreTag: true }).getAst());
}

/**
 * The interface language for someone not signed in (the sign-in page): the browser's most
 * preferred language we have, from an Accept-Language header (`zh-CN,zh;q=0.9,en;q=0.8`);
 * English when it names neither. Any Chinese tag counts as Chinese (the interface has only
 * Simplified); `q=0` means "not this".
 */
export function languageFromAccept(header: string | null | undefined): Language {
  let best: { lang: Language; q: number; at: number } | null = null;
  for (const [at, part] of (header ?? '').split(',').entries()) {
    const [tag = '', ...params] = part.trim().toLowerCase().split(';');
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    if (!Number.isFinite(q) || q <= 0) continue;
    const primary = tag.split('-')[0];
    const lang = primary === 'zh' ? 'zh' : primary === 'en' ? 'en' : null;
    if (lang && (!best || q > best.q || (q === best.q && at < best.at))) best = { lang, q, at };
  }
  return best?.lang ?? 'en';
}
