'use client';

import { formatUtc, Timestamp } from '@/components/ui/timestamp';
import { useT } from '@/components/i18n/use-t';
import type { MessageKey, Translate } from '@/lib/i18n';
import { alertStatusSchema, stepStateValueSchema, verdictSchema } from '@/lib/contracts/alerts';

const fieldKeys: Record<string, MessageKey> = {
  status: 'hist.field.status',
  verdict: 'hist.field.verdict',
  assignee: 'hist.field.assignee',
  closingNote: 'hist.field.closingNote',
  state: 'hist.field.state',
  reason: 'hist.field.reason',
  note: 'hist.field.note',
  owner: 'hist.field.owner',
  section: 'hist.field.section',
  body: 'hist.field.body',
  noteId: 'hist.field.noteId',
  acknowledgedAt: 'hist.field.acknowledgedAt',
  closedAt: 'hist.field.closedAt',
};

/** an ISO time as the audit records it */
const isoTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** A field without a label of its own, in words ("closingNote" → "closing note"). */
function fieldWords(k: string): string {
  return k.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/_/g, ' ').toLowerCase();
}

/** Any other value as words, not JSON: a list joined with commas, an object as "field: value" pairs. */
function plainText(v: unknown, depth = 0): string {
  if (v === null || v === undefined || v === '') return '—';
  if (typeof v === 'string') return isoTime.test(v) ? formatUtc(v) : v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (depth > 2) return '…';
  if (Array.isArray(v)) return v.length ? v.map((x) => plainText(x, depth + 1)).join(', ') : '—';
  if (typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>);
    return entries.length ? entries.map(([k, x]) => `${fieldWords(k)}: ${plainText(x, depth + 1)}`).join('; ') : '—';
  }
  return String(v);
}

/** A recorded value in the user's language when it is one of the known values (status, verdict, step state, section). */
function valueText(t: Translate, field: string, v: unknown): string {
  if (v === null || v === undefined || v === '') return '—';
  if (field === 'status') {
    const s = alertStatusSchema.safeParse(v);
    if (s.success) return t(`status.${s.data}`);
  }
  if (field === 'verdict') {
    const s = verdictSchema.safeParse(v);
    if (s.success) return t(`verdict.${s.data}`);
  }
  if (field === 'state') {
    const s = stepStateValueSchema.safeParse(v);
    if (s.success) return t(`stepState.${s.data}`);
  }
  if (field === 'section' && (v === 'guide' || v === 'response')) return t(v === 'guide' ? 'hist.section.guide' : 'hist.section.response');
  return plainText(v);
}

/** "field: before → after" as describeChange writes it, with field names and known values translated. */
export function describeChangeIn(t: Translate, before: unknown, after: unknown): string[] {
  const obj = (v: unknown): Record<string, unknown> | null => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null);
  const b = obj(before);
  const a = obj(after);
  if (!b && !a) return before === undefined && after === undefined ? [] : [`${plainText(before)} → ${plainText(after)}`];
  const keys = [...new Set([...Object.keys(b ?? {}), ...Object.keys(a ?? {})])].filter((k) => k !== 'version');
  const label = (k: string) => (fieldKeys[k] ? t(fieldKeys[k]) : fieldWords(k));
  return keys
    .filter((k) => JSON.stringify(b?.[k]) !== JSON.stringify(a?.[k]))
    .map((k) =>
      b && a
        ? t('hist.changed', { field: label(k), before: valueText(t, k, b[k]), after: valueText(t, k, a[k]) })
        : t('hist.set', { field: label(k), value: valueText(t, k, (a ?? b)?.[k]) }),
    );
}

/** What an audit entry's action was, in the user's language (a step by its text when known; unknown actions as recorded). */
export function actionText(t: Translate, action: string, stepTexts?: ReadonlyMap<string, string>): string {
  if (action === 'close' || action === 'reopen' || action === 'update' || action === 'note' || action === 'create' || action === 'remove' || action === 'claim')
    return t(`hist.action.${action}`);
  const [kind, rest] = [action.slice(0, action.indexOf(':')), action.slice(action.indexOf(':') + 1)];
  if (kind === 'status') {
    const s = alertStatusSchema.safeParse(rest);
    if (s.success) return t('hist.action.status', { status: t(`status.${s.data}`) });
  }
  if (kind === 'step') {
    const text = stepTexts?.get(rest);
    return text ? t('hist.action.stepText', { step: text.length > 140 ? `${text.slice(0, 139)}…` : text }) : t('hist.action.step', { id: rest });
  }
  return action;
}

export interface HistoryEntry {
  at: string;
  actor: string | null;
  action: string;
  before?: unknown;
  after?: unknown;
}

/**
 * The alert's audit trail (oldest first): who, when, what, before → after — all as text, in the
 * user's language: steps by their text (`stepTexts`, step id → text), values as words, not
 * internal ids or JSON (the exports keep the recorded words).
 */
export function AlertHistory({ entries, stepTexts }: { entries: HistoryEntry[]; stepTexts?: ReadonlyMap<string, string> }) {
  const t = useT();
  return (
    <section aria-labelledby="alert-history" data-testid="alert-history">
      <h2 id="alert-history">{t('history.title')}</h2>
      {entries.length === 0 ? (
        <p className="muted">{t('history.empty')}</p>
      ) : (
        <table className="data">
          <thead>
            <tr>
              <th scope="col">{t('history.when')}</th>
              <th scope="col">{t('history.who')}</th>
              <th scope="col">{t('history.what')}</th>
              <th scope="col">{t('history.change')}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e, i) => (
              <tr key={`${e.at}-${i}`} data-testid="history-entry" data-action={e.action}>
                <td>
                  <Timestamp iso={e.at} />
                </td>
                <td>{e.actor ?? '—'}</td>
                <td>{actionText(t, e.action, stepTexts)}</td>
                <td>
                  {describeChangeIn(t, e.before, e.after).map((line, j) => (
                    <div key={j}>{line}</div>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
