/**
 * A language's texts loaded on demand in the browser: each language is its own chunk, so a
 * page carries only the language it shows (the root layout hands the first one over; another
 * is fetched when the user switches).
 */
import type { Language, Messages } from './index';

export async function loadMessages(lang: Language): Promise<Messages> {
  // one chunk per language; the i18n tests keep the Chinese texts complete, so no English is
  // needed beside them
  return lang === 'en' ? (await import('./messages/en')).en : (await import('./messages/zh')).zh;
}
