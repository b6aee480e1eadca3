/**
 * Both languages' texts, read eagerly: for the server (pages rendered there, exports, the
 * root layout that hands a browser its one language) and the tests. Client code loads one
 * language through ./load instead.
 */
import { translateWith, type Language, type MessageKey, type Messages, type MessageValues } from './index';
import { en } from './messages/en';
import { zh } from './messages/zh';

export const dictionaries: Record<Language, Messages> = { en, zh };

/** The message in the language (English when missing), arguments filled. */
export function translate(lang: Language, key: MessageKey, vars?: MessageValues): string {
  return translateWith(lang, dictionaries[lang], en, key, vars);
}

/** What a browser gets for its language (the i18n tests keep both complete). */
export function messagesFor(lang: Language): Messages {
  return dictionaries[lang];
}
