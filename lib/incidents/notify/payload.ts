/**
 * What a webhook sends: generic JSON, or a Slack- or Teams-compatible message. Pure.
 * Slack's mrkdwn and Teams' Markdown get the incident's values escaped, so a host or rule
 * name cannot become a link or a mention.
 */
import type { WebhookEvent, WebhookValue } from '../../contracts/incidents';
import type { IncidentSummary } from '../types';

export interface NotificationInput {
  event: WebhookEvent | 'test';
  at: string;
  incident: IncidentSummary;
  /** SLA breaches: which target was missed */
  detail?: { sla?: 'acknowledge' | 'close'; assignee?: string | null; by?: string };
  /** the incident's page, when the public address is known (GUIDEPOST_PUBLIC_URL) */
  url: string | null;
}

const headline: Record<NotificationInput['event'], string> = {
  'incident.created': 'New incident',
  'incident.assigned': 'Incident assigned',
  'incident.sla_breach': 'Incident SLA breached',
  test: 'Test notification',
};

function line(n: NotificationInput): string {
  const i = n.incident;
  const extra =
    n.event === 'incident.assigned'
      ? ` to ${n.detail?.assignee ?? 'nobody'}${n.detail?.by ? ` by ${n.detail.by}` : ''}`
      : n.event === 'incident.sla_breach'
        ? ` (time to ${n.detail?.sla ?? 'acknowledge'})`
        : '';
  return `${headline[n.event]} ${i.id}${extra}: ${i.severity}, ${i.alertCount} alert(s) on ${i.hosts.join(', ') || 'no host'}; rules: ${i.rules.join(', ')}`;
}

const slackEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const markdownEscape = (s: string) => s.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, (c) => `\\${c}`);

export function buildPayload(format: WebhookValue['format'], n: NotificationInput): string {
  const i = n.incident;
  if (format === 'slack') {
    const text = slackEscape(line(n)) + (n.url ? ` <${n.url}|open>` : '');
    return JSON.stringify({ text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] });
  }
  if (format === 'teams') {
    return JSON.stringify({
      '@type': 'MessageCard',
      '@context': 'https://schema.org/extensions',
      summary: `${headline[n.event]} ${i.id}`,
      themeColor: i.severity === 'critical' ? 'B00020' : i.severity === 'high' ? 'E65100' : '2E6AA0',
      title: markdownEscape(`${headline[n.event]} ${i.id}`),
      text: markdownEscape(line(n)),
      ...(n.url ? { potentialAction: [{ '@type': 'OpenUri', name: 'Open', targets: [{ os: 'default', uri: n.url }] }] } : {}),
    });
  }
  return JSON.stringify({
    event: n.event,
    at: n.at,
    incident: {
      id: i.id,
      severity: i.severity,
      riskScore: i.riskScore,
      status: i.status,
      assignee: i.assignee,
      alertCount: i.alertCount,
      hosts: i.hosts,
      users: i.users,
      rules: i.rules,
      firstSeen: i.firstSeen,
      lastSeen: i.lastSeen,
    },
    ...(n.detail ? { detail: n.detail } : {}),
    url: n.url,
  });
}
