/**
 * Field access over ECS documents for the app: the one reader lives in lib/eql/document
 * (dotted keys and nested objects, arrays flattened, null = missing, zone-less timestamps as
 * UTC, as Elasticsearch reads `_source`). This module only names it for lib/events.
 */
export {
  isRecord,
  getField,
  fieldValues,
  firstString,
  fieldExists,
  rawFieldValues,
  parseTimestamp,
  timestampIso,
  fieldTimestamp,
  type EcsDocument as Doc,
  type Scalar,
} from '../eql/document';
