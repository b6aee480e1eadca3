'use client';

import { useMutation } from '@tanstack/react-query';
import type { InvestigateBlock } from '@/lib/contracts/guide';
import { runInvestigate } from '@/lib/queries/alerts';
import { ErrorBox } from '@/components/ui/error-box';
import { Timestamp } from '@/components/ui/timestamp';
import { useT } from '@/components/i18n/use-t';

/** One button per `!{investigate}` block: runs its query around the alert time, shows the hits. */
export function InvestigateButtons({ alertId, stepId, blocks }: { alertId: string; stepId: string; blocks: InvestigateBlock[] }) {
  const t = useT();
  return (
    <section aria-label={t('inv.label')} className="group">
      <h3>{t('inv.title')}</h3>
      {blocks.map((b, i) => (
        <InvestigateOne key={`${stepId}-${i}`} alertId={alertId} stepId={stepId} index={i} block={b} />
      ))}
    </section>
  );
}

function InvestigateOne({ alertId, stepId, index, block }: { alertId: string; stepId: string; index: number; block: InvestigateBlock }) {
  const t = useT();
  const run = useMutation({ mutationFn: () => runInvestigate(alertId, { stepId, index }) });
  return (
    <div className="group" data-testid="investigate">
      <button type="button" onClick={() => run.mutate()} disabled={run.isPending}>
        {block.label}
        {run.data ? ` — ${t('inv.hits', { count: `${run.data.count}${run.data.eventRelation === 'gte' ? '+' : ''}` })}` : ''}
      </button>
      {block.description ? <span className="small muted"> {block.description}</span> : null}
      {run.isPending ? <span role="status"> {t('inv.running')}</span> : null}
      {run.isError ? <ErrorBox title={t('inv.failed')} error={run.error} /> : null}
      {run.data ? (
        <div className="small">
          {run.data.query ? <pre>{run.data.query}</pre> : null}
          {run.data.error ? (
            <p className="error-box" role="alert">
              {run.data.error}
            </p>
          ) : null}
          {run.data.unresolved.length ? <p className="cut-note">{t('osq.missing', { fields: run.data.unresolved.join(', ') })}</p> : null}
          {run.data.problems.map((p, i) => (
            <p key={i} className="cut-note">
              {p}
            </p>
          ))}
          <p className="muted">
            {run.data.window ? (
              <>
                <Timestamp iso={run.data.window.from} /> → <Timestamp iso={run.data.window.to} />
              </>
            ) : (
              t('inv.anyTime')
            )}
            {run.data.events.length < run.data.eventTotal ? ` ${t('inv.firstShown', { shown: run.data.events.length, total: run.data.eventTotal })}` : ''}
          </p>
          {run.data.alerts.length ? (
            <p>{t('inv.alerts', { list: run.data.alerts.map((a) => `${a.ruleName} (${a.timestamp})`).join('; ') })}</p>
          ) : null}
          {run.data.events.length ? (
            <ul className="steps">
              {run.data.events.map((e) => (
                <li key={`${e._index}/${e._id}`}>
                  <details>
                    <summary className="mono">
                      {e._index} / {e._id}
                    </summary>
                    <pre>{JSON.stringify(e._source, null, 2)}</pre>
                  </details>
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
