import { describe, expect, it } from 'vitest';
import { parseExpression } from '../eql';
import { eqlField, eqlSameText, eqlString } from './eql-text';

// The quoting is lib/eql's (issue 16): a name is back-quoted exactly when the lexer would read it
// as a keyword or not as an identifier. `runs` is not a keyword of the lexer, so it stays bare.
describe('eql-text quotes as the grammar reads', () => {
  it.each([
    ['process.runs', 'process.runs'],
    ['runs', 'runs'],
    ['process.sequence', 'process.`sequence`'],
    ['a b', '`a b`'],
  ])('%s → %s', (name, text) => {
    expect(eqlField(name)).toBe(text);
    expect(parseExpression(`${eqlField(name)} == 1`)).toMatchObject({ left: { kind: 'field', name } });
  });

  it('a value from an event reads back as itself', () => {
    for (const v of ['a"b', 'c:\\x\\', 'tab\there', '\u0000', '*?']) {
      expect(parseExpression(eqlSameText('file.path', v))).toMatchObject({ kind: 'in', caseInsensitive: true, list: [{ value: v }] });
      expect(parseExpression(eqlString(v))).toMatchObject({ value: v });
    }
  });
});
