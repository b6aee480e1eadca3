import type { Translate } from '@/lib/i18n';
import { en as errorMessagesEn } from '@/lib/i18n/messages/errors/en';
import { ApiError } from './fetch-json';

type ErrorKey = keyof typeof errorMessagesEn;
const isErrorKey = (key: string): key is ErrorKey => Object.hasOwn(errorMessagesEn, key);

/** codes whose sentence says all there is: the server's message would only repeat it (or say nothing) */
const SELF_CONTAINED = new Set(['unauthorized', 'conflict', 'rate_limited', 'internal', 'network', 'bad_response', 'http_error']);

/**
 * An error as the user reads it: the sentence for its code in the user's language, where it is
 * (the field, line and column the server named), then — unless the sentence says it all — the
 * server's own message, which names the user, version or value concerned. Errors that are not
 * the API's (a thrown Error in the page) are shown as they are.
 */
export function describeError(t: Translate, err: unknown): string {
  if (!(err instanceof ApiError)) return err instanceof Error ? err.message : String(err);
  const key = `error.${err.code}`;
  if (!isErrorKey(key)) return err.message;
  let text = t(key, { status: err.status });
  const d = err.details;
  const where = [
    d?.field ? t('error.where.field', { field: d.field }) : null,
    d?.line !== undefined ? (d.column !== undefined ? t('error.where.lineColumn', { line: d.line, column: d.column }) : t('error.where.line', { line: d.line })) : null,
  ].filter((w): w is string => w !== null);
  if (where.length) text = t('error.at', { text, where: where.join(', ') });
  if (!SELF_CONTAINED.has(err.code) && err.message) text = t('error.because', { text, message: err.message });
  return text;
}
