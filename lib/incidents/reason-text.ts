/** A membership reason as a sentence ("same host ws-fin-01, 12 min after <rule>"), in a language. */
import type { Translate } from '../i18n';
import type { MembershipReason } from './types';

export function reasonText(t: Translate, r: MembershipReason | null): string {
  if (!r) return t('inc.reason.first');
  if (r.kind === 'manual') return t(`inc.reason.${r.action}`, { actor: r.actor, from: r.fromIncidentId ?? '—' });
  return t(r.direction === 'after' ? 'inc.reason.after' : 'inc.reason.before', {
    key: t(`inc.key.${r.key}`),
    value: r.value,
    minutes: r.minutes,
    rule: r.viaRuleName,
  });
}
