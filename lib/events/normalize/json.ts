/**
 * The stored text of a normalised document: `JSON.stringify`, except that an integer kept exact
 * (`ExactLong`, from lib/eql/document `parseDocumentJson` or the normalisers' `long`) is written
 * with all its digits — JSON.stringify writes a Number object as its double, which rounds
 * integers beyond 2^53 (9007199254740993 → 9007199254740992).
 */
import { randomUUID } from 'node:crypto';
import { ExactLong } from '../../eql/document';

/**
 * Whether the text has a run of 16 digits: the double of an ExactLong (|n| > 2^53) prints with
 * 16 digits or more, or in exponent form (`1e+21`) from 10^21 on. Looks at every 16th
 * character only (any run of 16 covers one) and measures the run there.
 */
function mayHoldExactLong(s: string): boolean {
  const n = s.length;
  for (let i = 15; i < n; i += 16) {
    let c = s.charCodeAt(i);
    if (c < 48 || c > 57) continue;
    let a = i - 1;
    while (a >= 0 && (c = s.charCodeAt(a)) >= 48 && c <= 57) a--;
    let b = i + 1;
    while (b < n && (c = s.charCodeAt(b)) >= 48 && c <= 57) b++;
    if (b - a - 1 >= 16) return true;
  }
  return s.includes('e+');
}

/** JSON text of a document, exact for ExactLong values; plain JSON.stringify's speed otherwise. */
export function stringifyDocument(doc: unknown): string {
  const plain = JSON.stringify(doc);
  if (plain === undefined || !mayHoldExactLong(plain)) return plain;
  // a second pass when a long may be there: each ExactLong as a marker string no text of the
  // document holds (a random tag, checked absent), then the markers replaced by the digits
  let tag: string;
  do tag = `exact-${randomUUID()}-`;
  while (plain.includes(tag));
  let found = false;
  const marked = JSON.stringify(doc, (_k, v: unknown) => {
    if (v instanceof ExactLong) {
      found = true;
      return tag + v.exact.toString();
    }
    return v;
  });
  if (!found) return plain;
  return marked.replace(new RegExp(`"${tag}(-?\\d+)"`, 'g'), '$1');
}
