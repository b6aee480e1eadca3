/** Incident records shared by the grouping, the store, the API, the CLI and the UI (defined once, here). */
import type { AlertStatus, Severity, Verdict } from './alert';

/** The entity kinds that join alerts into one incident. */
export const incidentKeys = ['process', 'host', 'user'] as const;
export type IncidentKey = (typeof incidentKeys)[number];

/** Why an alert is in its incident. */
export type MembershipReason =
  | {
      kind: 'key';
      key: IncidentKey;
      /** the shared value (host name, user, process entity id) */
      value: string;
      /** the alert of the incident it joined through */
      viaAlertId: string;
      viaRuleName: string;
      /** whole minutes between the two alerts */
      minutes: number;
      /** whether this alert came after (or before) the one it joined through */
      direction: 'after' | 'before';
    }
  | {
      kind: 'manual';
      action: 'merge' | 'split' | 'move';
      actor: string;
      at: string;
      /** the incident it came from */
      fromIncidentId: string | null;
    };

export interface IncidentSummary {
  id: string;
  status: AlertStatus;
  verdict: Verdict | null;
  closingNote: string | null;
  assignee: string | null;
  severity: Severity;
  riskScore: number;
  alertCount: number;
  openAlerts: number;
  hosts: string[];
  users: string[];
  rules: string[];
  firstSeen: string | null;
  lastSeen: string | null;
  createdAt: string;
  updatedAt: string;
  acknowledgedAt: string | null;
  closedAt: string | null;
  version: number;
  /** a person changed it (its alerts then stay where they are) */
  touched: boolean;
  /** incident checklist: steps done or not applicable / all steps */
  progress: { done: number; total: number };
}

export interface IncidentMember {
  alertId: string;
  ruleId: string;
  ruleName: string;
  severity: Severity;
  riskScore: number;
  timestamp: string;
  status: AlertStatus;
  verdict: Verdict | null;
  assignee: string | null;
  hostName: string | null;
  userName: string | null;
  processName: string | null;
  filePath: string | null;
  subject: string | null;
  pinned: boolean;
  reason: MembershipReason | null;
}
