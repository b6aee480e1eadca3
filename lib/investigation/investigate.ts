/**
 * `!{investigate}` blocks → a query over the events (EQL `any where …`) and, for the groups
 * that ask for alerts (`event.kind: signal`), a filter over the alert list; the time range is
 * relative to the alert's time (applied only when both relativeFrom and relativeTo are set,
 * as Kibana does). Providers are an OR of AND-groups; `{{field}}` values come from the
 * alert's event, and a group whose template cannot be resolved is dropped and reported.
 */
import dateMath from '@elastic/datemath';
import type { Alert } from '../detection/types';
import type { EventSource, StoredEvent, TimeWindow } from '../events/types';
import type { InvestigateBlock } from '../rules/guide';
import type { InvestigateProvider } from '../rules/model';
import { eqlField, eqlString } from './eql-text';
import { values } from './fields';
import { resolveField } from './osquery';
import type { ListAlerts } from './related-alerts';

export interface ResolvedTerm {
  field: string;
  value: string | boolean | number;
  excluded: boolean;
  queryType: 'phrase' | 'range';
}

export interface InvestigatePlan {
  label: string;
  description: string | null;
  /** EQL over the events, null when no group targets events */
  query: string | null;
  /** AND-groups (OR-ed) evaluated against alerts instead of events */
  alertGroups: ResolvedTerm[][];
  window: TimeWindow | null;
  /** `{{field}}` templates with no value in the alert's event */
  unresolved: string[];
  /** groups left out because of an unresolved template or unsupported term */
  droppedGroups: number;
  problems: string[];
}

export interface InvestigateResult {
  plan: InvestigatePlan;
  /** events matching (total as the source counts it) */
  eventTotal: number;
  eventRelation: 'eq' | 'gte';
  events: StoredEvent[];
  alerts: Alert[];
  /** events + alerts: what the button label shows */
  count: number;
  error: string | null;
}

const TEMPLATE = /^\{\{\s*([^}]+?)\s*\}\}$/;
const NUMERIC_FIELD = /(^|\.)(pid|ppid|port|bytes|packets|size|event_id|uid|gid|sequence)$/;
const TEXT_FIELD = /(^|\.)(command_line|message|args)$/;

function resolveTerm(p: InvestigateProvider, event: StoredEvent, unresolved: string[]): ResolvedTerm | null {
  const m = TEMPLATE.exec(p.value);
  let value: string | number | boolean;
  if (m) {
    const v = resolveField(event, m[1]);
    if (v === null) {
      if (!unresolved.includes(m[1])) unresolved.push(m[1]);
      return null;
    }
    value = v;
  } else value = p.value;
  if (p.valueType === 'boolean') value = String(value) === 'true';
  return { field: p.field, value, excluded: p.excluded, queryType: p.queryType };
}

function termToEql(t: ResolvedTerm): string {
  const f = eqlField(t.field);
  let cond: string;
  if (typeof t.value === 'boolean') cond = `${f} == ${t.value}`;
  else if (NUMERIC_FIELD.test(t.field) && /^-?\d+$/.test(String(t.value))) cond = `${f} == ${String(t.value)}`;
  // "contains" on text fields, case-insensitive: stringContains~ on a field is a wildcard query
  // whose `\` escapes (lib/eql/SEMANTICS.md §2), so `*`, `?` and `\` from the event are escaped
  // and match only themselves (they used to be dropped, which matched other text)
  else if (TEXT_FIELD.test(t.field)) cond = `stringContains~(${f}, ${eqlString(String(t.value).replace(/[\\*?]/g, (c) => `\\${c}`))})`;
  else cond = `${f} == ${eqlString(String(t.value))}`;
  return t.excluded ? `not (${cond})` : cond;
}

function isAlertTerm(t: ResolvedTerm): boolean {
  return t.field === 'event.kind' && String(t.value) === 'signal' && !t.excluded;
}

/** Time range relative to the alert's time; null unless both ends are given. */
export function relativeWindow(relativeFrom: string | null, relativeTo: string | null, alertTime: string): TimeWindow | null {
  if (!relativeFrom || !relativeTo) return null;
  const now = new Date(alertTime);
  const from = dateMath.parse(relativeFrom, { forceNow: now });
  const to = dateMath.parse(relativeTo, { forceNow: now, roundUp: true });
  if (!from?.isValid() || !to?.isValid()) return null;
  return { from: from.toISOString(), to: to.toISOString() };
}

export function planInvestigate(block: InvestigateBlock, event: StoredEvent, alertTime: string): InvestigatePlan {
  const unresolved: string[] = [];
  const problems: string[] = [];
  const eventGroups: string[] = [];
  const alertGroups: ResolvedTerm[][] = [];
  let dropped = 0;
  for (const group of block.providers) {
    const terms: ResolvedTerm[] = [];
    let ok = group.length > 0;
    for (const p of group) {
      if (p.queryType === 'range') {
        problems.push(`range term on ${p.field} is not supported`);
        ok = false;
        break;
      }
      const t = resolveTerm(p, event, unresolved);
      if (!t) {
        ok = false;
        break;
      }
      terms.push(t);
    }
    if (!ok) {
      dropped++;
      continue;
    }
    if (terms.some(isAlertTerm)) alertGroups.push(terms.filter((t) => !isAlertTerm(t)));
    else eventGroups.push(terms.map(termToEql).join(' and '));
  }
  if (unresolved.length > 0) problems.push(`no value in the alert for ${unresolved.map((u) => `{{${u}}}`).join(', ')}`);
  const query =
    eventGroups.length === 0 ? null : `any where ${eventGroups.length === 1 ? eventGroups[0] : eventGroups.map((g) => `(${g})`).join(' or ')}`;
  return {
    label: block.label,
    description: block.description,
    query,
    alertGroups,
    window: relativeWindow(block.relativeFrom, block.relativeTo, alertTime),
    unresolved,
    droppedGroups: dropped,
    problems,
  };
}

function alertMatches(a: Alert, group: ResolvedTerm[]): boolean {
  return group.every((t) => {
    const vs = values(a.event._source, t.field).map(String);
    const hit = vs.includes(String(t.value));
    return t.excluded ? !hit : hit;
  });
}

export interface RunInvestigateDeps {
  source: EventSource;
  listAlerts?: ListAlerts;
  /** index patterns for the event query (default all: `*`) */
  index?: string[];
  /** events returned at most (default 50) */
  size?: number;
}

export async function runInvestigate(plan: InvestigatePlan, deps: RunInvestigateDeps): Promise<InvestigateResult> {
  const size = deps.size ?? 50;
  let events: StoredEvent[] = [];
  let eventTotal = 0;
  let eventRelation: 'eq' | 'gte' = 'eq';
  let alerts: Alert[] = [];
  let error: string | null = null;
  try {
    if (plan.query) {
      const res = await deps.source.eqlSearch({
        index: deps.index ?? ['*'],
        query: plan.query,
        ...(plan.window ? { window: plan.window } : {}),
        size,
        resultPosition: 'tail',
      });
      events = res.hits.events ?? [];
      eventTotal = res.hits.total.value;
      eventRelation = res.hits.total.relation;
    }
    if (plan.alertGroups.length > 0 && deps.listAlerts) {
      const range = plan.window ?? { from: new Date(0).toISOString(), to: new Date(8.64e15).toISOString() };
      const all = await deps.listAlerts(range);
      alerts = all.filter((a) => plan.alertGroups.some((g) => alertMatches(a, g)));
    }
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
  }
  return { plan, eventTotal, eventRelation, events, alerts, count: eventTotal + alerts.length, error };
}
