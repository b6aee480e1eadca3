/**
 * Alert and rule-run records shared by detection, investigation, cases and the UI.
 */
import type { EqlEvent } from '../eql/types';

export type AlertStatus = 'open' | 'acknowledged' | 'closed';
export type Verdict = 'true_positive' | 'benign_true_positive' | 'false_positive';
export type Severity = 'low' | 'medium' | 'high' | 'critical';

export interface MitreTechnique {
  tacticId: string; // TA0005
  tacticName: string;
  techniqueId?: string; // T1211
  techniqueName?: string;
  subtechniqueId?: string;
  subtechniqueName?: string;
}

export interface Alert {
  /** stable id: derived from rule id + source event index/id (or the sequence's events) */
  id: string;
  ruleId: string; // rule_id of the rule TOML
  ruleVersion: number;
  ruleName: string;
  severity: Severity;
  riskScore: number;
  mitre: MitreTechnique[];
  /** the event that fired (for sequences: the last event) */
  event: EqlEvent;
  /** for sequence rules: every event of the sequence (building blocks), in order */
  sequenceEvents: EqlEvent[] | null;
  /** the event's @timestamp (ISO) */
  timestamp: string;
  /** when the alert was created (ISO) */
  createdAt: string;
  runId: string;
  status: AlertStatus;
  verdict: Verdict | null;
  assignee: string | null;
  /** convenience copies of the source event's entity fields (null when absent) */
  hostName: string | null;
  userName: string | null;
  processName: string | null;
  processEntityId: string | null;
  filePath: string | null;
  /** optimistic-concurrency version, bumped on every change */
  version: number;
  /** the closing note written with the verdict (null while none) */
  closingNote?: string | null;
  /** when the alert was first acknowledged / last closed / last changed (ISO) */
  acknowledgedAt?: string | null;
  closedAt?: string | null;
  updatedAt?: string;
}

export interface RuleRun {
  id: string;
  ruleId: string;
  /** detection window (ISO) */
  from: string;
  to: string;
  startedAt: string;
  finishedAt: string | null;
  status: 'running' | 'succeeded' | 'partial' | 'failed';
  hits: number;
  alertsCreated: number;
  durationMs: number | null;
  error: string | null;
  /** 'scheduled' | 'backfill' | 'manual' */
  trigger: 'scheduled' | 'backfill' | 'manual';
}
