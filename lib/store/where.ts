/**
 * A WHERE clause and its parameters, built condition by condition: the alert queue's filter
 * (lib/store/alerts) and the incident queue's (lib/store/incidents) are the same shape over
 * other columns, so both build theirs here. Column names come from the callers' code, never
 * from input; every value is a parameter.
 */
export class Where {
  private readonly parts: string[] = [];
  readonly params: (string | number)[] = [];

  /** a condition as written, with its parameters */
  add(sql: string, ...params: (string | number)[]): this {
    this.parts.push(sql);
    this.params.push(...params);
    return this;
  }

  /**
   * The column is one of the values (undefined: no condition; none: nothing matches). `plus`
   * writes `+col` for several values, so SQLite does not pick that column's index over the sort
   * order's; `alwaysIn` writes `+col IN (…)` even for one value (a column that is never the index to search).
   */
  oneOf(col: string, value: string | readonly string[] | undefined, opts: { plus?: boolean; alwaysIn?: boolean } = {}): this {
    if (value === undefined) return this;
    const list = typeof value === 'string' ? [value] : value;
    if (list.length === 0) return this.add('0');
    if (list.length === 1 && !opts.alwaysIn) return this.add(`${col} = ?`, list[0]!);
    return this.add(`${opts.plus || opts.alwaysIn ? '+' : ''}${col} IN (${list.map(() => '?').join(',')})`, ...list);
  }

  /** The column equals the value, or is NULL for null (undefined: no condition). */
  equalsOrNull(col: string, value: string | null | undefined): this {
    if (value === undefined) return this;
    return value === null ? this.add(`${col} IS NULL`) : this.add(`${col} = ?`, value);
  }

  atLeast(col: string, value: string | undefined): this {
    return value ? this.add(`${col} >= ?`, value) : this;
  }

  atMost(col: string, value: string | undefined): this {
    return value ? this.add(`${col} <= ?`, value) : this;
  }

  /** One of the columns contains the text literally (LIKE, case-insensitive for ASCII; % and _ match themselves). */
  contains(cols: readonly string[], text: string | undefined): this {
    if (!text) return this;
    const like = containsPattern(text);
    const one = (c: string) => `${c} LIKE ? ESCAPE '\\'`;
    return cols.length === 1 ? this.add(one(cols[0]!), like) : this.add(`(${cols.map(one).join(' OR ')})`, ...cols.map(() => like));
  }

  get sql(): string {
    return this.parts.length ? `WHERE ${this.parts.join(' AND ')}` : '';
  }

  build(): { sql: string; params: (string | number)[] } {
    return { sql: this.sql, params: this.params };
  }
}

/** A LIKE pattern (ESCAPE '\\') that matches text containing `s` literally. */
export function containsPattern(s: string): string {
  return `%${s.replace(/[\\%_]/g, (c) => '\\' + c)}%`;
}
