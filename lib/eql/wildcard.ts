/**
 * Wildcard patterns of `:`, `like` and `like~`: `*` matches any run of characters (also
 * none), `?` exactly one code point (also outside the BMP); everything else (backslash
 * included) is literal. The pattern must match the whole value. Case-insensitive matching
 * folds ASCII letters only (Elasticsearch AutomatonQueries.toCaseInsensitiveChar).
 *
 * Matchers are compiled once and allocate nothing per call.
 */
import { equalsFolded, foldAscii } from './values';

export type StringMatcher = (s: string) => boolean;

function lower(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

function startsWithFolded(s: string, prefix: string): boolean {
  if (s.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) {
    if (lower(s.charCodeAt(i)) !== prefix.charCodeAt(i)) return false;
  }
  return true;
}

function endsWithFolded(s: string, suffix: string): boolean {
  const off = s.length - suffix.length;
  if (off < 0) return false;
  for (let i = 0; i < suffix.length; i++) {
    if (lower(s.charCodeAt(off + i)) !== suffix.charCodeAt(i)) return false;
  }
  return true;
}

function includesFolded(s: string, sub: string): boolean {
  const last = s.length - sub.length;
  outer: for (let i = 0; i <= last; i++) {
    for (let j = 0; j < sub.length; j++) {
      if (lower(s.charCodeAt(i + j)) !== sub.charCodeAt(j)) continue outer;
    }
    return true;
  }
  return false;
}

function isPair(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  if (c < 0xd800 || c > 0xdbff || i + 1 >= s.length) return false;
  const d = s.charCodeAt(i + 1);
  return d >= 0xdc00 && d <= 0xdfff;
}

/** General glob match over char codes with single-star backtracking (linear-ish, no allocation). */
function globMatch(s: string, p: string, fold: boolean): boolean {
  let si = 0;
  let pi = 0;
  let starP = -1;
  let starS = 0;
  const sl = s.length;
  const pl = p.length;
  while (si < sl) {
    if (pi < pl) {
      const pc = p.charCodeAt(pi);
      if (pc === 42 /* * */) {
        starP = pi++;
        starS = si;
        continue;
      }
      if (pc === 63 /* ? */) {
        // one code point (Lucene WildcardQuery works on code points)
        pi++;
        si += isPair(s, si) ? 2 : 1;
        continue;
      }
      if (pc === (fold ? lower(s.charCodeAt(si)) : s.charCodeAt(si))) {
        pi++;
        si++;
        continue;
      }
    }
    if (starP >= 0) {
      pi = starP + 1;
      starS += isPair(s, starS) ? 2 : 1;
      si = starS;
      continue;
    }
    return false;
  }
  while (pi < pl && p.charCodeAt(pi) === 42) pi++;
  return pi === pl;
}

/** Compiles one wildcard pattern. */
export function compileWildcard(pattern: string, caseInsensitive: boolean): StringMatcher {
  const p = caseInsensitive ? foldAscii(pattern) : pattern;
  const hasQ = p.includes('?');
  const stars = p.split('*');
  if (!hasQ) {
    if (stars.length === 1) {
      return caseInsensitive ? (s) => equalsFolded(s, p) : (s) => s === p;
    }
    if (stars.length === 2) {
      const [a, b] = stars as [string, string];
      if (b === '') return caseInsensitive ? (s) => startsWithFolded(s, a) : (s) => s.startsWith(a);
      if (a === '') return caseInsensitive ? (s) => endsWithFolded(s, b) : (s) => s.endsWith(b);
      const min = a.length + b.length;
      return caseInsensitive
        ? (s) => s.length >= min && startsWithFolded(s, a) && endsWithFolded(s, b)
        : (s) => s.length >= min && s.startsWith(a) && s.endsWith(b);
    }
    if (stars.length === 3 && stars[0] === '' && stars[2] === '') {
      const mid = stars[1]!;
      if (mid === '') return () => true;
      return caseInsensitive ? (s) => includesFolded(s, mid) : (s) => s.includes(mid);
    }
  }
  return (s) => globMatch(s, p, caseInsensitive);
}

/**
 * Compiles a list of patterns into one matcher (true if any matches). Exact patterns are
 * looked up in a set (case-insensitive ones bucketed by length, compared without allocation).
 */
export function compileWildcardList(patterns: readonly string[], caseInsensitive: boolean): StringMatcher {
  const exact: string[] = [];
  const others: StringMatcher[] = [];
  for (const raw of patterns) {
    if (!raw.includes('*') && !raw.includes('?')) exact.push(caseInsensitive ? foldAscii(raw) : raw);
    else others.push(compileWildcard(raw, caseInsensitive));
  }
  let exactMatch: StringMatcher | null = null;
  if (exact.length === 1) exactMatch = compileWildcard(exact[0]!, caseInsensitive);
  else if (exact.length > 1) {
    if (!caseInsensitive) {
      const set = new Set(exact);
      exactMatch = (s) => set.has(s);
    } else {
      const byLength = new Map<number, string[]>();
      for (const e of exact) {
        const list = byLength.get(e.length);
        if (list) list.push(e);
        else byLength.set(e.length, [e]);
      }
      exactMatch = (s) => {
        const list = byLength.get(s.length);
        if (list === undefined) return false;
        for (let i = 0; i < list.length; i++) {
          if (equalsFolded(s, list[i]!)) return true;
        }
        return false;
      };
    }
  }
  if (others.length === 0) return exactMatch ?? (() => false);
  if (exactMatch === null && others.length === 1) return others[0]!;
  const em = exactMatch;
  return (s) => {
    if (em !== null && em(s)) return true;
    for (let i = 0; i < others.length; i++) if (others[i]!(s)) return true;
    return false;
  };
}

/**
 * A Lucene WildcardQuery pattern (org.apache.lucene.search.WildcardQuery.toAutomaton): `*`
 * any string, `?` one code point, `\` makes the next character literal (a trailing `\` is
 * itself literal). Used where Elasticsearch builds a wildcard query by concatenating user
 * text (`stringContains`/`endsWith` on a field, eql QueryTranslator). `caseInsensitive`
 * folds ASCII only. Matching is over code points with single-star backtracking (no
 * exponential cases: O(value × pattern)).
 */
export function compileLuceneWildcard(pattern: string, caseInsensitive: boolean): StringMatcher {
  const STAR = -1;
  const ANY = -2;
  const toks: number[] = [];
  const cps = Array.from(pattern, (c) => c.codePointAt(0)!);
  for (let i = 0; i < cps.length; i++) {
    const c = cps[i]!;
    if (c === 42) toks.push(STAR);
    else if (c === 63) toks.push(ANY);
    else if (c === 92 && i + 1 < cps.length) toks.push(foldCp(cps[++i]!, caseInsensitive));
    else toks.push(foldCp(c, caseInsensitive));
  }
  return (value) => {
    const s = Array.from(value, (c) => foldCp(c.codePointAt(0)!, caseInsensitive));
    let si = 0;
    let pi = 0;
    let starP = -1;
    let starS = 0;
    while (si < s.length) {
      if (pi < toks.length) {
        const t = toks[pi]!;
        if (t === STAR) {
          starP = pi++;
          starS = si;
          continue;
        }
        if (t === ANY || t === s[si]) {
          pi++;
          si++;
          continue;
        }
      }
      if (starP >= 0) {
        pi = starP + 1;
        si = ++starS;
        continue;
      }
      return false;
    }
    while (pi < toks.length && toks[pi] === STAR) pi++;
    return pi === toks.length;
  };
}

function foldCp(c: number, fold: boolean): number {
  return fold && c >= 65 && c <= 90 ? c + 32 : c;
}
