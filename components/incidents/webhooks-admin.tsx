'use client';

import { useId, useState } from 'react';
import { ChoiceSelect } from '@/components/ui/choice-select';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { webhookDeliveriesQuery, webhookMutations, webhooksQuery } from '@/lib/queries/incidents';
import type { WebhookEvent, WebhookValue } from '@/lib/contracts/incidents';
import { severitySchema } from '@/lib/contracts/alerts';
import type { Severity } from '@/lib/domain/alert';
import { ErrorBox } from '@/components/ui/error-box';
import { Timestamp } from '@/components/ui/timestamp';
import { errorText, useLanguage, useT } from '@/components/i18n/use-t';
import { GroupingSettings } from './grouping-settings';
import styles from './incidents.module.css';

const EVENTS: WebhookEvent[] = ['incident.created', 'incident.assigned', 'incident.sla_breach'];
const FORMATS = ['json', 'slack', 'teams'] as const;

/** Admins: the incident webhooks, a form to add one, each one's deliveries. */
export function WebhooksAdmin() {
  const t = useT();
  const lang = useLanguage();
  const qc = useQueryClient();
  const list = useQuery(webhooksQuery());
  const [name, setName] = useState('');
  const [url, setUrl] = useState('');
  const [format, setFormat] = useState<(typeof FORMATS)[number]>('json');
  const [events, setEvents] = useState<WebhookEvent[]>(['incident.created']);
  const [minSeverity, setMinSeverity] = useState<Severity>('high');
  const ids = { name: useId(), url: useId(), format: useId(), sev: useId() };
  const create = useMutation({
    mutationFn: () => webhookMutations.create({ name, url, format, events, minSeverity, enabled: true }),
    onSuccess: () => {
      setName('');
      setUrl('');
    },
    onSettled: () => qc.invalidateQueries({ queryKey: ['webhooks'] }),
  });
  return (
    <div className="page">
      <h1 style={{ fontSize: '1.2rem', marginTop: 0 }}>{t('wh.title')}</h1>
      <GroupingSettings />
      <section className={styles.section} aria-labelledby="wh-add">
        <h2 id="wh-add">{t('wh.add')}</h2>
        <form
          className="form-grid"
          onSubmit={(e) => {
            e.preventDefault();
            create.mutate();
          }}
        >
          <label className="field" htmlFor={ids.name}>
            {t('wh.name')}
            <input id={ids.name} value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} />
          </label>
          <label className="field" htmlFor={ids.url}>
            {t('wh.url')}
            <input id={ids.url} value={url} onChange={(e) => setUrl(e.target.value)} required maxLength={2000} inputMode="url" />
          </label>
          <label className="field" htmlFor={ids.format}>
            {t('wh.format')}
            <ChoiceSelect id={ids.format} options={FORMATS} value={format} onChange={setFormat} label={(f) => t(`wh.format.${f}`)} />
          </label>
          <fieldset className={styles.inline}>
            <legend>{t('wh.events')}</legend>
            {EVENTS.map((ev) => (
              <label key={ev}>
                <input
                  type="checkbox"
                  checked={events.includes(ev)}
                  onChange={(e) => setEvents((prev) => (e.target.checked ? [...prev, ev] : prev.filter((x) => x !== ev)))}
                />{' '}
                {t(`wh.event.${ev}`)}
              </label>
            ))}
          </fieldset>
          <label className="field" htmlFor={ids.sev}>
            {t('wh.minSeverity')}
            <ChoiceSelect id={ids.sev} options={severitySchema.options} value={minSeverity} onChange={setMinSeverity} label={(s) => t(`severity.${s}`)} />
          </label>
          <div>
            <button type="submit" className="primary" disabled={create.isPending || events.length === 0}>
              {t('wh.create')}
            </button>
          </div>
        </form>
        {create.error ? (
          <p className="error-box" role="alert">
            {errorText(t, lang, create.error)}
          </p>
        ) : null}
        {create.data ? (
          <p className="notice" role="status">
            {t('wh.secret', { name: create.data.webhook.name })} <code className="mono">{create.data.secret}</code>
          </p>
        ) : null}
      </section>
      {list.isError ? <ErrorBox title={t('wh.title')} error={list.error} /> : null}
      {list.data && list.data.items.length === 0 ? <p className="muted">{t('wh.none')}</p> : null}
      {list.data?.items.map((h) => <WebhookItem key={h.id} hook={h} />)}
    </div>
  );
}

function WebhookItem({ hook }: { hook: WebhookValue }) {
  const t = useT();
  const lang = useLanguage();
  const qc = useQueryClient();
  const deliveries = useQuery(webhookDeliveriesQuery(hook.id));
  const done = () => qc.invalidateQueries({ queryKey: ['webhooks'] });
  const toggle = useMutation({ mutationFn: () => webhookMutations.patch(hook.id, { enabled: !hook.enabled }), onSettled: done });
  const remove = useMutation({ mutationFn: () => webhookMutations.remove(hook.id), onSettled: done });
  const test = useMutation({ mutationFn: () => webhookMutations.test(hook.id), onSettled: done });
  const error = toggle.error ?? remove.error ?? test.error;
  return (
    <section className={styles.section} aria-label={hook.name} data-testid="webhook">
      <h2>
        {hook.name} <span className="muted small">{hook.enabled ? t('wh.enabled') : t('wh.disable')}</span>
      </h2>
      <p className="mono small" style={{ wordBreak: 'break-all' }}>
        {hook.url}
      </p>
      <p className="small">
        {t(`wh.format.${hook.format}`)} · {hook.events.map((e) => t(`wh.event.${e}`)).join(', ')} · {t('wh.minSeverity')}: {t(`severity.${hook.minSeverity}`)}
      </p>
      <div className={styles.inline}>
        <button type="button" onClick={() => toggle.mutate()} disabled={toggle.isPending}>
          {hook.enabled ? t('wh.disable') : t('wh.enable')}
        </button>
        <button type="button" onClick={() => test.mutate()} disabled={test.isPending}>
          {t('wh.test', { name: hook.name })}
        </button>
        <button type="button" className="danger" onClick={() => remove.mutate()} disabled={remove.isPending}>
          {t('wh.delete', { name: hook.name })}
        </button>
      </div>
      {error ? (
        <p className="error-box" role="alert">
          {errorText(t, lang, error)}
        </p>
      ) : null}
      <h3 style={{ fontSize: '0.95rem' }}>{t('wh.deliveries', { name: hook.name })}</h3>
      {deliveries.data && deliveries.data.items.length === 0 ? <p className="muted">{t('wh.noDeliveries')}</p> : null}
      {deliveries.data && deliveries.data.items.length > 0 ? (
        <table className={styles.table}>
          <thead>
            <tr>
              <th scope="col">{t('wh.col.time')}</th>
              <th scope="col">{t('wh.col.event')}</th>
              <th scope="col">{t('wh.col.incident')}</th>
              <th scope="col">{t('wh.col.status')}</th>
              <th scope="col">{t('wh.col.attempts')}</th>
              <th scope="col">{t('wh.col.answer')}</th>
            </tr>
          </thead>
          <tbody>
            {deliveries.data.items.map((d) => (
              <tr key={d.id} data-testid="webhook-delivery" data-status={d.status}>
                <td>
                  <Timestamp iso={d.createdAt} />
                </td>
                <td>{d.event}</td>
                <td className="mono">{d.incidentId ?? '—'}</td>
                <td>{t(`wh.status.${d.status}`)}</td>
                <td>{d.attempts}</td>
                <td>{d.lastError ?? d.lastStatus ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
