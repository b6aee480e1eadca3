/**
 * What the seed rule (v111) reads from an event, as plain data: used by tests and by
 * anyone who wants to explain why a demo event does or does not fire. This is NOT how
 * alerts are decided (lib/eql runs the real query); it restates the query's clauses so
 * generated documents can be checked field by field.
 */
import { getField } from '../eql/document';
import type { StoredEvent } from '../events/types';

export const SEED_RULE_INDEX_PATTERNS = [
  'winlogbeat-*',
  'logs-endpoint.events.file-*',
  'logs-windows.sysmon_operational-*',
  'endgame-*',
] as const;

export const CRITICAL_PROCESS_NAMES = [
  'smss.exe',
  'autochk.exe',
  'csrss.exe',
  'wininit.exe',
  'services.exe',
  'lsass.exe',
  'winlogon.exe',
  'userinit.exe',
  'LogonUI.exe',
] as const;

/** A field as lib/eql/document reads it (dotted and nested keys, arrays flattened). */
const get = (src: Record<string, unknown>, path: string): unknown => getField(src, path);

function values(v: unknown): unknown[] {
  return Array.isArray(v) ? v : v === undefined || v === null ? [] : [v];
}

/** `*` wildcard index pattern → matcher */
export function indexPatternMatches(pattern: string, index: string): boolean {
  const re = new RegExp(`^${pattern.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return re.test(index);
}

export interface RuleClauses {
  index: boolean;
  category: boolean;
  hostOsType: boolean;
  notDeletion: boolean;
  extension: boolean;
  processName: boolean;
}

/** each clause of the v111 query (and the index list) evaluated on one event */
export function seedRuleClauses(ev: StoredEvent): RuleClauses {
  const s = ev._source;
  const types = values(get(s, 'event.type'));
  const crit = CRITICAL_PROCESS_NAMES.map((n) => n.toLowerCase());
  return {
    index: SEED_RULE_INDEX_PATTERNS.some((p) => indexPatternMatches(p, ev._index)),
    category: values(get(s, 'event.category')).includes('file'),
    hostOsType: values(get(s, 'host.os.type')).includes('windows'),
    // `event.type != "deletion"`: a missing value is null, which does not match
    notDeletion: types.length > 0 && types.some((t) => t !== 'deletion'),
    extension: values(get(s, 'file.extension')).some((x) => typeof x === 'string' && ['exe', 'dll'].includes(x.toLowerCase())),
    processName: values(get(s, 'process.name')).some((x) => typeof x === 'string' && crit.includes(x.toLowerCase())),
  };
}

export function seedRuleWouldMatch(ev: StoredEvent): boolean {
  return Object.values(seedRuleClauses(ev)).every(Boolean);
}
