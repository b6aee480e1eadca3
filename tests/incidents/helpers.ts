import type { NewAlert } from '@/lib/store/alerts';
import type { Severity } from '@/lib/detection/types';
import { testAlert } from '@/tests/support/alerts';

const BASE = Date.UTC(2026, 10, 2, 8, 0, 0);

export interface AlertSpec {
  id: string;
  /** minutes after 2026-11-02T08:00Z (fractions allowed) */
  min: number;
  host?: string | null;
  user?: string | null;
  domain?: string;
  rule?: string;
  severity?: Severity;
  entity?: string;
  parent?: string;
  ancestry?: string[];
  exe?: string;
}

export function at(min: number): string {
  return new Date(BASE + Math.round(min * 60_000)).toISOString();
}

/** A stored alert as the rule runs make it, with only the fields the grouping reads. */
export function alertOf(s: AlertSpec): NewAlert {
  const ts = at(s.min);
  const source: Record<string, unknown> = { '@timestamp': ts };
  if (s.host) source.host = { name: s.host };
  if (s.user) source.user = { name: s.user, ...(s.domain ? { domain: s.domain } : {}) };
  const proc: Record<string, unknown> = {};
  if (s.entity) proc.entity_id = s.entity;
  if (s.parent) proc.parent = { entity_id: s.parent };
  if (s.ancestry) proc.Ext = { ancestry: s.ancestry };
  if (s.exe) proc.executable = s.exe;
  if (Object.keys(proc).length) source.process = proc;
  return testAlert(s.id, ts, {
    ruleId: s.rule ?? 'rule-a',
    ruleName: `Rule ${s.rule ?? 'rule-a'}`,
    severity: s.severity ?? 'medium',
    riskScore: 47,
    event: { _index: 'logs', _id: `ev-${s.id}`, _source: source },
    runId: 'run-1',
    hostName: s.host ?? null,
    userName: s.user ?? null,
    processEntityId: s.entity ?? null,
  });
}
