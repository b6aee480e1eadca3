'use client';

import { useMutation } from '@tanstack/react-query';
import type { InvestigateBlock } from '@/lib/contracts/guide';
import { runInvestigate } from '@/lib/queries/alerts';
import { ErrorBox } from '@/components/ui/error-box';
import { Timestamp } from '@/components/ui/timestamp';

/** One button per `!{investigate}` block: runs its query around the alert time, shows the hits. */
export function InvestigateButtons({ alertId, stepId, blocks }: { alertId: string; stepId: string; blocks: InvestigateBlock[] }) {
  return (
    <section aria-label="Investigate queries" className="group">
      <h3>Investigate</h3>
      {blocks.map((b, i) => (
        <InvestigateOne key={`${stepId}-${i}`} alertId={alertId} stepId={stepId} index={i} block={b} />
      ))}
    </section>
  );
}

function InvestigateOne({ alertId, stepId, index, block }: { alertId: string; stepId: string; index: number; block: InvestigateBlock }) {
  const run = useMutation({ mutationFn: () => runInvestigate(alertId, { stepId, index }) });
  return (
    <div className="group" data-testid="investigate">
      <button type="button" onClick={() => run.mutate()} disabled={run.isPending}>
        {block.label}
        {run.data ? ` — ${run.data.total} hit${run.data.total === 1 ? '' : 's'}` : ''}
      </button>
      {block.description ? <span className="small muted"> {block.description}</span> : null}
      {run.isPending ? <span role="status"> running…</span> : null}
      {run.isError ? <ErrorBox title="The query failed." error={run.error} /> : null}
      {run.data ? (
        <div className="small">
          <pre>{run.data.query}</pre>
          <p className="muted">
            <Timestamp iso={run.data.window.from} /> → <Timestamp iso={run.data.window.to} />
            {run.data.truncated ? ' (first events only)' : ''}
          </p>
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
