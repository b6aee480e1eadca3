/**
 * Writing EQL text from values: string literals, field names and exact-value conditions,
 * safely escaped. Values come from events (attacker-controlled): whatever they hold, the
 * query must parse and must match that value only.
 */

import { quoteField, quoteString } from '../eql';

/**
 * An EQL double-quoted string literal and a field name, as lib/eql writes them (its formatter's
 * quoting, so the grammar's rules live in one place): control characters as `\u{00}`, names
 * backquoted where they are not plain identifiers.
 */
export const eqlString = quoteString;
export const eqlField = quoteField;

/**
 * "`field` holds exactly `value`, in any letter case": `field in~ ("value")`. Not `:`, whose
 * `*` and `?` are wildcards with no escape (docs/eql-semantics.md §4.3), so a value from an
 * event holding them would widen the search. Elasticsearch builds `in~` as an OR of
 * InsensitiveEquals (exact, case-insensitive, no wildcards) and `:` as InsensitiveWildcardEquals:
 * elastic/elasticsearch x-pack/plugin/eql/src/main/java/org/elasticsearch/xpack/eql/parser/
 * ExpressionBuilder.java, visitValueExpressionDefault, `case EqlBaseParser.IN_INSENSITIVE` / `case EqlBaseParser.SEQ`.
 */
export function eqlSameText(field: string, value: string): string {
  return `${eqlField(field)} in~ (${eqlString(value)})`;
}

