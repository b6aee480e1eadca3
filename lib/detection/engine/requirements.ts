/**
 * What an event must have for a rule to be able to match it, read from the parsed query:
 * one "route" per event filter of the query (the event query's one filter; every stage of a
 * sequence, its missing stages and `until`; every term of a sample). A route names the
 * event category the filter requires (null: any) and the literal conditions its condition
 * requires in positive position (under `and`/`or`, never under `not`):
 *
 *   field == "lit", field : "lit", field like "lit", field in ("a", "b"), and the `~` forms
 *       → the field's value, ASCII-folded, is one of the literals (when it is a string)
 *   the same with wildcards, regexes or non-string literals
 *       → the field is present (a missing or null field makes the comparison null, false)
 *
 * Conservative: an event that fails a route's conditions cannot pass that filter, so an
 * event that fails every route of a rule is one the rule's query never looks at (events
 * that match no stage play no part in a sequence or a sample either). The compiled query
 * still decides on the events that pass. Values that are not strings (numbers, arrays,
 * objects) always pass a value condition: the engine may convert them.
 */
import type { EventFilter, Expr, Statement } from '../../eql/ast';
import { makeRawAccessor } from '../../eql/compile';
import { foldAscii } from '../../eql/values';

export interface Condition {
  field: string;
  /** ASCII-folded literals the field's string value must be one of; null: only present */
  values: Set<string> | null;
}

export interface Route {
  /** the event category the filter requires (null: any) */
  category: string | null;
  /** every one must hold */
  conditions: Condition[];
}

function unparen(e: Expr): Expr {
  while (e.kind === 'paren') e = e.expr;
  return e;
}

function fieldOf(e: Expr): string | null {
  const x = unparen(e);
  return x.kind === 'field' && x.name !== '@timestamp' ? x.name : null;
}

function literalOf(e: Expr): string | number | boolean | null | undefined {
  const x = unparen(e);
  return x.kind === 'literal' ? x.value : undefined;
}

/** A value set when every literal is a plain string (no wildcard when `wild`), else null. */
function valueSet(lits: (string | number | boolean | null | undefined)[], wild: boolean): Set<string> | null {
  const out = new Set<string>();
  for (const l of lits) {
    if (typeof l !== 'string') return null;
    if (wild && (l.includes('*') || l.includes('?'))) return null;
    out.add(foldAscii(l));
  }
  return out.size ? out : null;
}

/** A condition needing at least one non-null literal, else null (nothing required). */
function condition(field: string | null, lits: (string | number | boolean | null | undefined)[], wild: boolean): Condition | null {
  if (!field) return null;
  if (lits.length === 0 || lits.some((l) => l === undefined)) return null;
  if (lits.every((l) => l === null)) return null;
  if (lits.some((l) => l === null)) return { field, values: null };
  return { field, values: valueSet(lits, wild) };
}

/** The conditions an expression requires to be true (merged per field). */
export function requiredConditions(raw: Expr): Condition[] {
  const e = unparen(raw);
  switch (e.kind) {
    case 'and':
      return e.operands.flatMap(requiredConditions);
    case 'or': {
      // a condition on a field required by EVERY branch holds; its values are the union
      const branches = e.operands.map(requiredConditions);
      if (branches.length === 0) return [];
      const out: Condition[] = [];
      for (const field of new Set(branches[0]!.map((c) => c.field))) {
        let values: Set<string> | null = new Set();
        let everyBranch = true;
        for (const b of branches) {
          const mine = b.filter((c) => c.field === field);
          if (mine.length === 0) {
            everyBranch = false;
            break;
          }
          // within a branch the conditions on one field all hold: the narrowest serves
          const narrow = mine.reduce<Condition>((a, c) => (a.values === null ? c : c.values === null ? a : c.values.size < a.values.size ? c : a), mine[0]!);
          if (narrow.values === null || values === null) values = null;
          else for (const v of narrow.values) values.add(v);
        }
        if (everyBranch) out.push({ field, values });
      }
      return out;
    }
    case 'comparison': {
      if (e.op !== '==') return [];
      const lf = fieldOf(e.left);
      const rf = fieldOf(e.right);
      if (lf && !rf) return opt(condition(lf, [literalOf(e.right)], false));
      if (rf && !lf) return opt(condition(rf, [literalOf(e.left)], false));
      return [];
    }
    case 'in': {
      if (e.negated) return [];
      return opt(condition(fieldOf(e.value), e.list.map(literalOf), false));
    }
    case 'match': {
      const field = fieldOf(e.value);
      const lits = e.patterns.map((p) => p.value);
      if (e.op === 'regex' || e.op === 'regex~') {
        return field && lits.some((l) => l !== null) ? [{ field, values: null }] : [];
      }
      return opt(condition(field, lits, true));
    }
    default:
      return [];
  }
}

function opt(c: Condition | null): Condition[] {
  return c ? [c] : [];
}

function routeOf(f: EventFilter): Route {
  return { category: f.category, conditions: requiredConditions(f.condition) };
}

/** The routes of a statement: an event must pass one of them to matter to the query. */
export function routesOf(stmt: Statement): Route[] {
  const q = stmt.query;
  if (q.kind === 'event') return [routeOf(q.filter)];
  if (q.kind === 'sequence') return [...q.terms.map((t) => routeOf(t.filter)), ...(q.until ? [routeOf(q.until.filter)] : [])];
  return q.terms.map((t) => routeOf(t.filter));
}

/**
 * A compiled condition test (the engine's own field lookup). Tests are shared by every rule
 * with the same condition (host.os.type == "windows" is in hundreds), and remember their
 * answer for the event they saw last, so one event is tested once per distinct condition.
 */
export interface ConditionTest {
  field: string;
  values: Set<string> | null;
  get: (src: Record<string, unknown>) => string | typeof SOME_VALUE | undefined;
  /** the event (scan sequence number) of the remembered answer */
  seenSeq: number;
  seenAnswer: boolean;
}

const tests = new Map<string, ConditionTest>();

/** `probe`'s answer when a field holds something other than one string (a number, a list, several values) */
export const SOME_VALUE: unique symbol = Symbol('some value');

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * A fast reader for the dispatch: what `path` holds in a document, read the way lib/eql/document
 * reads it (every split of the path into nested objects and dotted keys) but answering only
 * what the routes need — undefined when no split holds a value (missing or null), the string
 * when exactly one split holds one string, SOME_VALUE otherwise (a number, a list, an object,
 * several values; and whenever an array lies on the way, which the document reader flattens).
 * SOME_VALUE passes every condition, so the answer is never narrower than the document's.
 */
export function makeProbe(path: string): (src: Record<string, unknown>) => string | typeof SOME_VALUE | undefined {
  const parts = path.split('.');
  if (parts.length > 6) {
    const get = makeRawAccessor(path);
    return (src) => {
      const v = get(src);
      return v === undefined || v === null ? undefined : typeof v === 'string' ? v : SOME_VALUE;
    };
  }
  // every split of the path: [['a','b','c'], ['a.b','c'], ['a','b.c'], ['a.b.c']]
  const splits: string[][] = [];
  const n = parts.length;
  for (let mask = 0; mask < 1 << (n - 1); mask++) {
    const keys: string[] = [];
    let key = parts[0]!;
    for (let i = 1; i < n; i++) {
      if (mask & (1 << (i - 1))) key += '.' + parts[i]!;
      else {
        keys.push(key);
        key = parts[i]!;
      }
    }
    keys.push(key);
    splits.push(keys);
  }
  return (src) => {
    let found: unknown = undefined;
    for (const keys of splits) {
      let node: unknown = src;
      for (let i = 0; i < keys.length; i++) {
        if (typeof node !== 'object' || node === null) {
          node = undefined;
          break;
        }
        if (Array.isArray(node)) return SOME_VALUE;
        const k = keys[i]!;
        const v: unknown = (node as Record<string, unknown>)[k];
        node = v === undefined || (typeof v === 'function' && !hasOwn.call(node, k)) ? undefined : v;
        if (node === undefined) break;
      }
      if (node === undefined || node === null) continue;
      if (found !== undefined || typeof node !== 'string') return SOME_VALUE;
      found = node;
    }
    return found as string | undefined;
  };
}

export function compileCondition(c: Condition): ConditionTest {
  const key = c.field + '\u0000' + (c.values ? [...c.values].sort().join('\u0000') : '\u0001exists');
  let t = tests.get(key);
  if (!t) {
    if (tests.size > 50_000) tests.clear();
    t = { field: c.field, values: c.values, get: makeProbe(c.field), seenSeq: -1, seenAnswer: false };
    tests.set(key, t);
  }
  return t;
}

/** Whether an event's source can satisfy the condition (`seq` identifies the event within a scan, > 0). */
export function mayHold(t: ConditionTest, src: Record<string, unknown>, seq = 0): boolean {
  if (seq > 0 && t.seenSeq === seq) return t.seenAnswer;
  const v = t.get(src);
  const answer = v === undefined ? false : t.values === null || typeof v !== 'string' ? true : t.values.has(foldAscii(v));
  if (seq > 0) {
    t.seenSeq = seq;
    t.seenAnswer = answer;
  }
  return answer;
}
