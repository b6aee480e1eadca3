import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { IntlMessageFormat } from 'intl-messageformat';
import { describe, expect, it } from 'vitest';
import { htmlLang, languageFromAccept, placeholdersOf, type MessageKey } from './index';
import { dictionaries, translate } from './dictionaries';

const enKeys = Object.keys(dictionaries.en) as MessageKey[];
const zhKeys = Object.keys(dictionaries.zh) as MessageKey[];

describe('i18n', () => {
  it('has a Chinese text for every English key', () => {
    const missing = enKeys.filter((k) => !dictionaries.zh[k]?.trim());
    expect(missing).toEqual([]);
  });
  it('has no Chinese key that English lacks', () => {
    const extra = zhKeys.filter((k) => !(k in dictionaries.en));
    expect(extra).toEqual([]);
  });
  it('uses the same {placeholders} in both languages', () => {
    const mismatched = enKeys
      .map((k) => ({ key: k, en: placeholdersOf(dictionaries.en[k] ?? ''), zh: placeholdersOf(dictionaries.zh[k] ?? '') }))
      .filter((m) => m.en.join(',') !== m.zh.join(','));
    expect(mismatched).toEqual([]);
  });
  it('writes the values the interface translates (status, severity, verdict) in Chinese', () => {
    expect(translate('zh', 'status.acknowledged')).toBe('已确认');
    expect(translate('zh', 'status.closed')).toBe('已关闭');
    expect(translate('zh', 'verdict.false_positive')).toBe('误报');
    expect(translate('zh', 'verdict.benign_true_positive')).toBe('良性真阳性');
    expect(translate('zh', 'queue.col.severity')).toBe('严重性');
  });
  it('finds placeholders by name, once each', () => {
    expect(placeholdersOf('{b} and {a} and {b}')).toEqual(['a', 'b']);
    expect(placeholdersOf('no placeholder')).toEqual([]);
  });
  it('fills placeholders and keeps unknown ones', () => {
    expect(translate('en', 'user.signedInAs', { name: 'ana', role: 'lead' })).toBe('Signed in as ana (lead)');
    expect(translate('zh', 'signin.tooMany', { seconds: 4 })).toBe('失败次数过多，请在 4 秒后重试。');
    expect(translate('en', 'signin.tooMany')).toContain('{seconds}');
  });
  it('names the document language', () => {
    expect(htmlLang('zh')).toBe('zh-Hans');
    expect(htmlLang('en')).toBe('en');
  });
  it('picks the sign-in page language from the browser\'s Accept-Language', () => {
    expect(languageFromAccept('zh-CN,zh;q=0.9,en;q=0.8')).toBe('zh');
    expect(languageFromAccept('zh-TW')).toBe('zh');
    expect(languageFromAccept('en-US,en;q=0.9,zh-CN;q=0.8')).toBe('en');
    expect(languageFromAccept('fr-FR, de;q=0.9, zh;q=0.5, en;q=0.4')).toBe('zh');
    expect(languageFromAccept('en;q=0.5, zh;q=0.6')).toBe('zh');
    expect(languageFromAccept('zh;q=0, en;q=0.1')).toBe('en');
    expect(languageFromAccept('zh;q=0')).toBe('en');
    expect(languageFromAccept('fr, de')).toBe('en');
    expect(languageFromAccept('')).toBe('en');
    expect(languageFromAccept(null)).toBe('en');
    expect(languageFromAccept('*')).toBe('en');
    expect(languageFromAccept('zh;q=abc, en;q=0.2')).toBe('en');
  });
  it('has texts that parse as ICU MessageFormat in both languages', () => {
    const broken: string[] = [];
    for (const lang of ['en', 'zh'] as const) {
      for (const [key, text] of Object.entries(dictionaries[lang])) {
        try {
          new IntlMessageFormat(text ?? '', lang, undefined, { ignoreTag: true });
        } catch (e) {
          broken.push(`${lang} ${key}: ${(e as Error).message}`);
        }
      }
    }
    expect(broken).toEqual([]);
  });
  it('counts by the language\'s plural rules', () => {
    expect(translate('en', 'queue.total', { count: 1 })).toBe('1 alert');
    expect(translate('en', 'queue.total', { count: 0 })).toBe('0 alerts');
    expect(translate('en', 'queue.total', { count: 12345 })).toBe('12,345 alerts');
    expect(translate('zh', 'queue.total', { count: 1 })).toBe('共 1 条告警');
    expect(translate('en', 'rules.ran', { hits: 1, alerts: 2 })).toBe('1 hit, 2 new alerts');
    expect(translate('en', 'guide.osqueryCount', { count: 1 })).toBe('Osquery');
    expect(translate('en', 'guide.osqueryCount', { count: 3 })).toBe('3 Osquery queries');
    expect(translate('en', 'cat.shown', { shown: 1081, total: 1081, enabled: 12 })).toBe('1,081 of 1,081 rules shown; 12 enabled.');
  });
  it('finds the arguments inside plural forms', () => {
    expect(placeholdersOf('{hits, plural, one {# hit} other {# hits of {name}}}')).toEqual(['hits', 'name']);
  });
  it('sends a browser one language: no client module imports both dictionaries', () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (/\.tsx?$/.test(name)) {
          const text = readFileSync(path, 'utf8');
          if (/^['"]use client['"]/m.test(text) && /lib\/i18n\/(dictionaries|messages\/)/.test(text)) offenders.push(path);
        }
      }
    };
    for (const dir of ['app', 'components']) walk(join(process.cwd(), dir));
    expect(offenders).toEqual([]);
  });
});
