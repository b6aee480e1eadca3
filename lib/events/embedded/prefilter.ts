/**
 * SQL pre-filters implied by an EQL statement: conservative (every event the query can
 * match passes), so the engine still decides. Today: `process.name` compared to string
 * literals with `==`, `:`, `like`, `like~`, `in`, `in~` (no wildcards), in positive
 * positions of `and`/`or`, against the ASCII-folded `pname` column.
 */
import type { Expr, Statement } from '../../eql/ast';
import { MULTI_MARKER } from './db';

export interface SqlFilter {
  sql: string;
  params: string[];
}

/** ASCII-only lower-casing, as EQL's case-insensitive comparisons fold. */
export function foldAscii(s: string): string {
  return s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}

/** The `pname` column value of a document's process.name. */
export function pnameColumn(v: unknown): string | null {
  if (v === undefined || v === null) return null;
  return typeof v === 'string' ? foldAscii(v) : MULTI_MARKER;
}

const COLUMNS: Record<string, string> = { 'process.name': 'pname' };

function unparen(e: Expr): Expr {
  while (e.kind === 'paren') e = e.expr;
  return e;
}

function column(e: Expr): string | null {
  const x = unparen(e);
  return x.kind === 'field' ? COLUMNS[x.name] ?? null : null;
}

function strings(list: Expr[]): string[] | null {
  const out: string[] = [];
  for (const raw of list) {
    const x = unparen(raw);
    if (x.kind !== 'literal' || typeof x.value !== 'string') return null;
    out.push(x.value);
  }
  return out;
}

function inList(col: string, values: string[]): SqlFilter {
  const folded = [...new Set(values.map(foldAscii)), MULTI_MARKER];
  return { sql: `${col} IN (${folded.map(() => '?').join(',')})`, params: folded };
}

function fromExpr(raw: Expr): SqlFilter | null {
  const e = unparen(raw);
  switch (e.kind) {
    case 'and': {
      const parts = e.operands.map(fromExpr).filter((p): p is SqlFilter => p !== null);
      if (parts.length === 0) return null;
      return { sql: parts.map((p) => `(${p.sql})`).join(' AND '), params: parts.flatMap((p) => p.params) };
    }
    case 'or': {
      const parts = e.operands.map(fromExpr);
      if (parts.some((p) => p === null)) return null;
      const ps = parts as SqlFilter[];
      return { sql: ps.map((p) => `(${p.sql})`).join(' OR '), params: ps.flatMap((p) => p.params) };
    }
    case 'comparison': {
      if (e.op !== '==') return null;
      const col = column(e.left) ?? column(e.right);
      const lit = strings([column(e.left) ? e.right : e.left]);
      return col && lit ? inList(col, lit) : null;
    }
    case 'in': {
      if (e.negated) return null;
      const col = column(e.value);
      const lit = strings(e.list);
      return col && lit ? inList(col, lit) : null;
    }
    case 'match': {
      if (e.op === 'regex' || e.op === 'regex~') return null;
      const col = column(e.value);
      const lit = strings(e.patterns);
      if (!col || !lit || lit.some((p) => p.includes('*') || p.includes('?'))) return null;
      return inList(col, lit);
    }
    default:
      return null;
  }
}

/** The pre-filter of a statement (for sequences and samples: the OR of every stage), or null. */
export function statementPrefilter(stmt: Statement): SqlFilter | null {
  const q = stmt.query;
  const conditions: Expr[] =
    q.kind === 'event' ? [q.filter.condition]
      : q.kind === 'sequence' ? [...q.terms.map((t) => t.filter.condition), ...(q.until ? [q.until.filter.condition] : [])]
        : q.terms.map((t) => t.filter.condition);
  if (q.kind === 'sequence' && q.terms.some((t) => t.missing)) return null;
  const parts = conditions.map(fromExpr);
  if (parts.some((p) => p === null)) return null;
  const ps = parts as SqlFilter[];
  return ps.length === 1 ? ps[0]! : { sql: ps.map((p) => `(${p.sql})`).join(' OR '), params: ps.flatMap((p) => p.params) };
}
