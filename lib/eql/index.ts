/**
 * Public API of the EQL engine: parse / check / format (front end) and compile / search
 * (back end). `lib/eql` imports nothing from the rest of the app.
 */
export type * from './ast';
export type * from './types';
export { parse, parseExpression } from './parser';
export { check, parseAndCheck, type CheckOptions } from './check';
export { EqlError, EqlSyntaxError, EqlSemanticError, EqlRuntimeError, isEqlError } from './errors';
export { compileQuery, search, type CompiledQuery } from './search';
export { compileExpr, compileCondition, makeRawAccessor, type CompiledExpr, type Source } from './compile';
export { schemaFromMappings, resolveAlias, withDynamicFields } from './schema';
export { compileWildcard, compileWildcardList } from './wildcard';
export { rawFieldValues, fieldValues, firstString, fieldExists, getField, parseTimestamp, timestampIso, fieldTimestamp, isRecord, parseDocumentJson, stringifyDocumentJson, exactLongsAsDigits, ExactLong, type EcsDocument, type Scalar } from './document';
export { compileRegex } from './regex';
export { applyPipes } from './pipes';
export { toEpochMillis, parseIsoDate, millisToIso, normalizeIp, compareVersions, foldAscii } from './values';
export { format, formatExpr, stripSpans } from './format';
/** The grammar's quoting, for code that writes EQL text: a `"…"` string literal the lexer reads back, and a field path (back-quoted where needed). */
export { formatString as quoteString, formatFieldName as quoteField } from './format';
