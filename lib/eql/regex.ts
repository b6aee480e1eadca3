/**
 * `regex` / `regex~`: Lucene regular expressions, matched against the whole value in
 * linear time.
 *
 * Syntax as Lucene's `RegExp` parses it with the flags Elasticsearch passes (`RegExp.ALL`,
 * plus `DEPRECATED_COMPLEMENT` on Lucene 10; see lib/eql/SEMANTICS.md §6): `|` union,
 * `&` intersection, `~` complement, `?` `*` `+` `{n}` `{n,}` `{n,m}`, `[…]` / `[^…]`
 * classes (every character in a class is literal unless escaped, `-` makes a range),
 * `.` any code point, `#` the empty language, `@` any string, `"…"` literal text, `()` the
 * empty string, `<n-m>` decimal intervals, `\d \D \s \S \w \W`, `\` before any other
 * non-letter character escapes it and before a letter is an error. Named automata
 * (`<name>`) are not available in Elasticsearch either: an error.
 *
 * Case folding (`regex~`, Lucene's ASCII_CASE_INSENSITIVE): only literal characters and
 * quoted strings with a code point ≤ 128 also match their other ASCII case; ranges,
 * `.`, and predefined classes do not fold.
 *
 * Matching: Brzozowski derivatives over hash-consed terms (a lazily built DFA). Each input
 * code point costs one cached transition, or one derivative computation bounded by the
 * pattern's size; there is no backtracking. Patterns longer than 1000 characters are
 * refused (Elasticsearch's `index.max_regex_length` default), and so are patterns whose
 * repetitions expand beyond 20000 terms (Lucene's determinize work limit plays that role).
 */
export class RegexSyntaxError extends Error {}

export const MAX_REGEX_LENGTH = 1000;
const MAX_TERM_NODES = 20000;
const MAX_CODE_POINT = 0x10ffff;

// ---------------------------------------------------------------- syntax tree

type Ast =
  | { t: 'empty' } // #
  | { t: 'eps' } // the empty string
  | { t: 'set'; ranges: number[] } // sorted, disjoint [lo, hi] pairs of code points
  | { t: 'cat'; a: Ast; b: Ast }
  | { t: 'alt'; a: Ast; b: Ast }
  | { t: 'and'; a: Ast; b: Ast }
  | { t: 'not'; a: Ast }
  | { t: 'star'; a: Ast }
  | { t: 'rep'; a: Ast; min: number; max: number } // max -1: unbounded
  | { t: 'any' }; // @

const ANY_CHAR: Ast = { t: 'set', ranges: [0, MAX_CODE_POINT] };

function normalizeRanges(pairs: number[]): number[] {
  const list: Array<[number, number]> = [];
  for (let i = 0; i < pairs.length; i += 2) list.push([pairs[i]!, pairs[i + 1]!]);
  list.sort((x, y) => x[0] - y[0]);
  const out: number[] = [];
  for (const [lo, hi] of list) {
    const n = out.length;
    if (n > 0 && lo <= out[n - 1]! + 1) out[n - 1] = Math.max(out[n - 1]!, hi);
    else out.push(lo, hi);
  }
  return out;
}

function complementRanges(r: number[]): number[] {
  const out: number[] = [];
  let next = 0;
  for (let i = 0; i < r.length; i += 2) {
    if (r[i]! > next) out.push(next, r[i]! - 1);
    next = r[i + 1]! + 1;
  }
  if (next <= MAX_CODE_POINT) out.push(next, MAX_CODE_POINT);
  return out;
}

function charAst(c: number, fold: boolean): Ast {
  // Lucene RegExp.toCaseInsensitiveChar: ASCII only (code points above 128 unchanged)
  if (fold && c <= 128) {
    const lower = c >= 65 && c <= 90 ? c + 32 : c;
    const upper = c >= 97 && c <= 122 ? c - 32 : c;
    if (lower !== upper) return { t: 'set', ranges: normalizeRanges([lower, lower, upper, upper]) };
  }
  return { t: 'set', ranges: [c, c] };
}

function predefined(c: string): Ast {
  const digit = [48, 57];
  const space = normalizeRanges([32, 32, 9, 10, 13, 13]);
  const word = normalizeRanges([97, 122, 65, 90, 95, 95, 48, 57]);
  switch (c) {
    case 'd':
      return { t: 'set', ranges: digit };
    case 'D':
      return { t: 'set', ranges: complementRanges(digit) };
    case 's':
      return { t: 'set', ranges: space };
    case 'S':
      return { t: 'set', ranges: complementRanges(space) };
    case 'w':
      return { t: 'set', ranges: word };
    default:
      return { t: 'set', ranges: complementRanges(word) };
  }
}

/** Digits of `lo`..`hi` (strings of equal length) as a union of concatenated classes. */
function digitRange(lo: string, hi: string): Ast {
  if (lo.length === 0) return { t: 'eps' };
  const a = lo.charCodeAt(0);
  const b = hi.charCodeAt(0);
  if (lo.length === 1) return { t: 'set', ranges: [a, b] };
  if (a === b) return { t: 'cat', a: { t: 'set', ranges: [a, a] }, b: digitRange(lo.slice(1), hi.slice(1)) };
  const rest = lo.length - 1;
  const nines = '9'.repeat(rest);
  const zeros = '0'.repeat(rest);
  let u: Ast = { t: 'cat', a: { t: 'set', ranges: [a, a] }, b: digitRange(lo.slice(1), nines) };
  if (b - a > 1) {
    let mid: Ast = { t: 'set', ranges: [a + 1, b - 1] };
    for (let i = 0; i < rest; i++) mid = { t: 'cat', a: mid, b: { t: 'set', ranges: [48, 57] } };
    u = { t: 'alt', a: u, b: mid };
  }
  return { t: 'alt', a: u, b: { t: 'cat', a: { t: 'set', ranges: [b, b] }, b: digitRange(zeros, hi.slice(1)) } };
}

/** Lucene Automata.makeDecimalInterval: fixed width (leading zeros) when `digits` > 0, else any leading zeros. */
function decimalInterval(min: number, max: number, digits: number): Ast {
  if (digits > 0) {
    const w = Math.max(digits, String(max).length);
    return digitRange(String(min).padStart(w, '0'), String(max).padStart(w, '0'));
  }
  let u: Ast = { t: 'empty' };
  const maxLen = String(max).length;
  for (let len = String(min).length; len <= maxLen; len++) {
    const lo = Math.max(min, len === 1 ? 0 : 10 ** (len - 1));
    const hi = Math.min(max, 10 ** len - 1);
    if (lo > hi) continue;
    u = { t: 'alt', a: u, b: digitRange(String(lo), String(hi)) };
  }
  return { t: 'cat', a: { t: 'star', a: { t: 'set', ranges: [48, 48] } }, b: u };
}

/** A recursive-descent parser following Lucene's RegExp grammar (over code points). */
class Parser {
  private pos = 0;
  private readonly cps: number[];
  constructor(
    private readonly src: string,
    private readonly fold: boolean,
  ) {
    this.cps = Array.from(src, (ch) => ch.codePointAt(0)!);
  }

  fail(msg: string): never {
    throw new RegexSyntaxError(`regex "${this.src}": ${msg}`);
  }
  more(): boolean {
    return this.pos < this.cps.length;
  }
  peek(chars: string): boolean {
    return this.more() && chars.includes(String.fromCodePoint(this.cps[this.pos]!));
  }
  match(c: string): boolean {
    if (this.more() && this.cps[this.pos] === c.codePointAt(0)) {
      this.pos++;
      return true;
    }
    return false;
  }
  next(): number {
    if (!this.more()) this.fail('unexpected end of pattern');
    return this.cps[this.pos++]!;
  }

  parse(): Ast {
    if (this.cps.length === 0) return { t: 'eps' };
    const e = this.union();
    if (this.more()) this.fail(`end of pattern expected at position ${this.pos}`);
    return e;
  }
  union(): Ast {
    const e = this.inter();
    return this.match('|') ? { t: 'alt', a: e, b: this.union() } : e;
  }
  inter(): Ast {
    const e = this.concat();
    return this.match('&') ? { t: 'and', a: e, b: this.inter() } : e;
  }
  concat(): Ast {
    const e = this.repeat();
    if (this.more() && !this.peek(')|&')) return { t: 'cat', a: e, b: this.concat() };
    return e;
  }
  repeat(): Ast {
    let e = this.compl();
    while (this.peek('?*+{')) {
      if (this.match('?')) e = { t: 'rep', a: e, min: 0, max: 1 };
      else if (this.match('*')) e = { t: 'star', a: e };
      else if (this.match('+')) e = { t: 'rep', a: e, min: 1, max: -1 };
      else if (this.match('{')) {
        const n = this.int();
        let m = n;
        if (this.match(',')) m = this.peek('0123456789') ? this.int() : -1;
        if (!this.match('}')) this.fail(`"}" expected at position ${this.pos}`);
        e = { t: 'rep', a: e, min: n, max: m };
      }
    }
    return e;
  }
  int(): number {
    const start = this.pos;
    while (this.peek('0123456789')) this.pos++;
    if (start === this.pos) this.fail(`integer expected at position ${this.pos}`);
    const n = Number(String.fromCodePoint(...this.cps.slice(start, this.pos)));
    if (n > 2147483647) this.fail(`number too large at position ${start}`);
    return n;
  }
  compl(): Ast {
    if (this.match('~')) return { t: 'not', a: this.compl() };
    return this.charClass();
  }
  charClass(): Ast {
    if (!this.match('[')) return this.simple();
    const negate = this.match('^');
    let e = this.classItem();
    while (this.more() && !this.peek(']')) e = { t: 'alt', a: e, b: this.classItem() };
    if (!this.match(']')) this.fail(`"]" expected at position ${this.pos}`);
    // Lucene: [^…] is the intersection of "any character" with the complement of the class
    return negate ? { t: 'and', a: ANY_CHAR, b: { t: 'not', a: e } } : e;
  }
  classItem(): Ast {
    const pre = this.predefinedClass();
    if (pre) return pre;
    const c = this.charExp();
    if (this.match('-')) {
      const d = this.charExp();
      if (c > d) this.fail(`invalid range ${String.fromCodePoint(c)}-${String.fromCodePoint(d)}`);
      return { t: 'set', ranges: [c, d] };
    }
    return charAst(c, this.fold);
  }
  predefinedClass(): Ast | null {
    if (!this.match('\\')) return null;
    if (this.peek('dDwWsS')) return predefined(String.fromCodePoint(this.next()));
    if (this.peek('abcefghijklmnopqrtuvxyzABCEFGHIJKLMNOPQRTUVXYZ')) {
      this.fail(`invalid character class \\${String.fromCodePoint(this.next())}`);
    }
    this.pos--; // give the backslash back to charExp
    return null;
  }
  charExp(): number {
    this.match('\\');
    return this.next();
  }
  simple(): Ast {
    if (this.match('.')) return ANY_CHAR;
    if (this.match('#')) return { t: 'empty' };
    if (this.match('@')) return { t: 'any' };
    if (this.match('"')) {
      let e: Ast = { t: 'eps' };
      const parts: Ast[] = [];
      while (this.more() && !this.peek('"')) parts.push(charAst(this.next(), this.fold));
      if (!this.match('"')) this.fail(`'"' expected at position ${this.pos}`);
      for (let i = parts.length - 1; i >= 0; i--) e = { t: 'cat', a: parts[i]!, b: e };
      return e;
    }
    if (this.match('(')) {
      if (this.match(')')) return { t: 'eps' };
      const e = this.union();
      if (!this.match(')')) this.fail(`")" expected at position ${this.pos}`);
      return e;
    }
    if (this.match('<')) {
      const start = this.pos;
      while (this.more() && !this.peek('>')) this.pos++;
      if (!this.match('>')) this.fail(`">" expected at position ${this.pos}`);
      const s = String.fromCodePoint(...this.cps.slice(start, this.pos - 1));
      const i = s.indexOf('-');
      if (i < 0) this.fail(`named automaton <${s}> is not available`);
      const m = /^(\d+)-(\d+)$/.exec(s);
      if (!m) this.fail(`interval syntax error at position ${this.pos - 1}`);
      let lo = Number(m[1]);
      let hi = Number(m[2]);
      if (lo > 2147483647 || hi > 2147483647) this.fail(`interval syntax error at position ${this.pos - 1}`);
      const digits = m[1]!.length === m[2]!.length ? m[1]!.length : 0;
      if (lo > hi) [lo, hi] = [hi, lo];
      return decimalInterval(lo, hi, digits);
    }
    const pre = this.predefinedClass();
    if (pre) return pre;
    return charAst(this.charExp(), this.fold);
  }
}

// ---------------------------------------------------------------- terms (hash-consed)

type Term =
  | { id: number; k: 'empty'; nullable: false }
  | { id: number; k: 'eps'; nullable: true }
  | { id: number; k: 'set'; ranges: number[]; nullable: false }
  | { id: number; k: 'cat'; a: Term; b: Term; nullable: boolean }
  | { id: number; k: 'alt' | 'and'; xs: Term[]; nullable: boolean }
  | { id: number; k: 'not'; a: Term; nullable: boolean }
  | { id: number; k: 'star'; a: Term; nullable: true };

interface Cached {
  gen: number;
  next: Map<number, Term>;
}

class Factory {
  private table = new Map<string, Term>();
  private ids = 0;
  gen = 0;
  private readonly cache = new WeakMap<Term, Cached>();
  readonly EMPTY: Term;
  readonly EPS: Term;
  readonly ANY: Term;

  constructor() {
    this.EMPTY = this.intern('0', (id) => ({ id, k: 'empty', nullable: false }));
    this.EPS = this.intern('1', (id) => ({ id, k: 'eps', nullable: true }));
    this.ANY = this.intern(`n${this.EMPTY.id}`, (id) => ({ id, k: 'not', a: this.EMPTY, nullable: true }));
  }

  private intern(key: string, make: (id: number) => Term): Term {
    const known = this.table.get(key);
    if (known) return known;
    const t = make(++this.ids);
    this.table.set(key, t);
    return t;
  }

  /** Drops the interning table (terms stay valid; only sharing is lost) when it grows too big. */
  trim(): void {
    if (this.table.size > MAX_TERM_NODES) {
      this.table = new Map([
        ['0', this.EMPTY],
        ['1', this.EPS],
        [`n${this.EMPTY.id}`, this.ANY],
      ]);
      this.gen++;
    }
  }

  set(ranges: number[]): Term {
    if (ranges.length === 0) return this.EMPTY;
    return this.intern(`s${ranges.join(',')}`, (id) => ({ id, k: 'set', ranges, nullable: false }));
  }
  cat(a: Term, b: Term): Term {
    if (a.k === 'empty' || b.k === 'empty') return this.EMPTY;
    if (a.k === 'eps') return b;
    if (b.k === 'eps') return a;
    if (a.k !== 'cat') return this.cat1(a, b);
    // keep chains right-associated, without recursion (chains can be thousands long)
    const left: Term[] = [];
    let x: Term = a;
    while (x.k === 'cat') {
      left.push(x.a);
      x = x.b;
    }
    let out = this.cat(x, b);
    for (let i = left.length - 1; i >= 0; i--) out = this.cat1(left[i]!, out);
    return out;
  }
  private cat1(a: Term, b: Term): Term {
    if (b.k === 'empty') return this.EMPTY;
    if (b.k === 'eps') return a;
    return this.intern(`c${a.id},${b.id}`, (id) => ({ id, k: 'cat', a, b, nullable: a.nullable && b.nullable }));
  }
  alt(list: Term[]): Term {
    const flat = new Map<number, Term>();
    for (const x of list) {
      if (x.k === 'alt') for (const y of x.xs) flat.set(y.id, y);
      else if (x.k !== 'empty') flat.set(x.id, x);
    }
    if (flat.has(this.ANY.id)) return this.ANY;
    const xs = [...flat.values()].sort((p, q) => p.id - q.id);
    if (xs.length === 0) return this.EMPTY;
    if (xs.length === 1) return xs[0]!;
    return this.intern(`a${xs.map((x) => x.id).join(',')}`, (id) => ({ id, k: 'alt', xs, nullable: xs.some((x) => x.nullable) }));
  }
  and(list: Term[]): Term {
    const flat = new Map<number, Term>();
    for (const x of list) {
      if (x.k === 'empty') return this.EMPTY;
      if (x.k === 'and') for (const y of x.xs) flat.set(y.id, y);
      else if (x.id !== this.ANY.id) flat.set(x.id, x);
    }
    const xs = [...flat.values()].sort((p, q) => p.id - q.id);
    if (xs.length === 0) return this.ANY;
    if (xs.length === 1) return xs[0]!;
    return this.intern(`i${xs.map((x) => x.id).join(',')}`, (id) => ({ id, k: 'and', xs, nullable: xs.every((x) => x.nullable) }));
  }
  not(a: Term): Term {
    if (a.k === 'not') return a.a;
    return this.intern(`n${a.id}`, (id) => ({ id, k: 'not', a, nullable: !a.nullable }));
  }
  star(a: Term): Term {
    if (a.k === 'star') return a;
    if (a.k === 'empty' || a.k === 'eps') return this.EPS;
    return this.intern(`*${a.id}`, (id) => ({ id, k: 'star', a, nullable: true }));
  }

  /** The derivative of `t` by code point `c` (cached per term). */
  deriv(t: Term, c: number): Term {
    let cached = this.cache.get(t);
    if (cached === undefined || cached.gen !== this.gen) {
      cached = { gen: this.gen, next: new Map() };
      this.cache.set(t, cached);
    }
    const known = cached.next.get(c);
    if (known !== undefined) return known;
    const d = this.derivUncached(t, c);
    if (cached.next.size < 4096) cached.next.set(c, d);
    return d;
  }

  private derivUncached(t: Term, c: number): Term {
    switch (t.k) {
      case 'empty':
      case 'eps':
        return this.EMPTY;
      case 'set': {
        const r = t.ranges;
        for (let i = 0; i < r.length; i += 2) {
          if (c < r[i]!) return this.EMPTY;
          if (c <= r[i + 1]!) return this.EPS;
        }
        return this.EMPTY;
      }
      case 'cat': {
        // d(x1 x2 … xn) = d(x1) x2…xn | d(x2) x3…xn (when x1 is nullable) | …, iteratively
        const parts: Term[] = [];
        let x: Term = t;
        for (;;) {
          if (x.k !== 'cat') {
            parts.push(this.deriv(x, c));
            break;
          }
          parts.push(this.cat(this.deriv(x.a, c), x.b));
          if (!x.a.nullable) break;
          x = x.b;
        }
        return parts.length === 1 ? parts[0]! : this.alt(parts);
      }
      case 'alt':
        return this.alt(t.xs.map((x) => this.deriv(x, c)));
      case 'and':
        return this.and(t.xs.map((x) => this.deriv(x, c)));
      case 'not':
        return this.not(this.deriv(t.a, c));
      case 'star':
        return this.cat(this.deriv(t.a, c), t);
    }
  }
}

/** Size of the pattern with every bounded repetition written out (Lucene refuses such automata past its work limit). */
function expandedSize(ast: Ast): number {
  switch (ast.t) {
    case 'cat':
    case 'alt':
    case 'and':
      return expandedSize(ast.a) + expandedSize(ast.b);
    case 'not':
    case 'star':
      return 1 + expandedSize(ast.a);
    case 'rep':
      return 1 + expandedSize(ast.a) * Math.max(1, ast.max >= 0 ? ast.max : ast.min + 1);
    default:
      return 1;
  }
}

const MAX_EXPANDED_SIZE = 20000;

function build(f: Factory, ast: Ast, budget: { n: number }): Term {
  if (--budget.n < 0) throw new RegexSyntaxError('too complex');
  switch (ast.t) {
    case 'empty':
      return f.EMPTY;
    case 'eps':
      return f.EPS;
    case 'any':
      return f.ANY;
    case 'set':
      return f.set(normalizeRanges(ast.ranges));
    case 'cat':
      return f.cat(build(f, ast.a, budget), build(f, ast.b, budget));
    case 'alt':
      return f.alt([build(f, ast.a, budget), build(f, ast.b, budget)]);
    case 'and':
      return f.and([build(f, ast.a, budget), build(f, ast.b, budget)]);
    case 'not':
      return f.not(build(f, ast.a, budget));
    case 'star':
      return f.star(build(f, ast.a, budget));
    case 'rep': {
      const a = build(f, ast.a, budget);
      // Lucene Operations.repeat(a, min, max): empty language when min > max
      if (ast.max >= 0 && ast.min > ast.max) return f.EMPTY;
      budget.n -= ast.max >= 0 ? ast.max : ast.min;
      if (budget.n < 0) throw new RegexSyntaxError('too complex');
      // a nullable body may match empty in every copy: r{n,m} = r{0,m} = (r minus the empty
      // string){0,m}, and r{n,} = r*
      const min = a.nullable ? 0 : ast.min;
      const body = a.nullable ? f.and([a, f.not(f.EPS)]) : a;
      let tail: Term = f.EPS;
      if (ast.max < 0) tail = f.star(a);
      else {
        // optional copies nested, (r(r(r)?)?)?, so a derivative stays one term instead of a
        // union of every suffix (which would cost quadratic work per input character)
        for (let i = min; i < ast.max; i++) tail = f.alt([f.cat(body, tail), f.EPS]);
      }
      for (let i = 0; i < min; i++) tail = f.cat(a, tail);
      return tail;
    }
  }
}

/** Compiles an anchored, linear-time matcher; `caseInsensitive` for `regex~`. Throws RegexSyntaxError. */
export function compileRegex(pattern: string, caseInsensitive: boolean): (s: string) => boolean {
  if (pattern.length > MAX_REGEX_LENGTH) {
    throw new RegexSyntaxError(`regex is ${pattern.length} characters long; at most ${MAX_REGEX_LENGTH} are allowed (index.max_regex_length)`);
  }
  const ast = new Parser(pattern, caseInsensitive).parse();
  if (expandedSize(ast) > MAX_EXPANDED_SIZE) throw new RegexSyntaxError(`regex "${pattern}": too complex (its repetitions expand beyond ${MAX_EXPANDED_SIZE} terms)`);
  const f = new Factory();
  let root: Term;
  try {
    root = build(f, ast, { n: MAX_EXPANDED_SIZE });
  } catch (e) {
    if (e instanceof RegexSyntaxError) throw new RegexSyntaxError(`regex "${pattern}": ${e.message}`);
    throw e;
  }
  if (root.k === 'not' && root.a.k === 'empty') return () => true;
  if (root.k === 'empty') return () => false;
  return (s) => {
    let t: Term = root;
    for (let i = 0; i < s.length; i++) {
      let c = s.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
        const d = s.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          c = (c - 0xd800) * 0x400 + (d - 0xdc00) + 0x10000;
          i++;
        }
      }
      t = f.deriv(t, c);
      if (t.k === 'empty') return false;
      if ((i & 1023) === 1023) f.trim();
      if (t === f.ANY) return true;
    }
    f.trim();
    return t.nullable;
  };
}
