/**
 * Reading ECS fields out of a stored document for the detection run: the one reader of
 * lib/eql/document (dotted keys and nested objects in any mix, arrays flattened, null =
 * missing; a zone-less timestamp is UTC whatever the server's time zone).
 */
import { firstString, rawFieldValues, timestampIso } from '../eql/document';

/** All values found at `path` (arrays flattened; missing or null → []). */
export const getFieldValues = rawFieldValues;

/** The first value at `path` as a string (numbers and booleans stringified), or null. */
export const getFieldString = firstString;

/** An ISO-8601 UTC string for a date value (ISO string, zone-less = UTC, or epoch millis), or null. */
export const toIso = timestampIso;
