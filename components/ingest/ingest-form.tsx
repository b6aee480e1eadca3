'use client';

import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ingestFormatSchema, isIngestRunning, type IngestFormat, type IngestJob } from '@/lib/contracts/ingest';
import type { Translate } from '@/lib/i18n';
import { ingestJobQuery, ingestJobsQuery, uploadForIngest } from '@/lib/queries/ingest';
import { Timestamp } from '@/components/ui/timestamp';
import { ErrorBox } from '@/components/ui/error-box';
import { useT } from '@/components/i18n/use-t';

/** A job's state as the page words it. */
function stateLabel(t: Translate, state: IngestJob['state']): string {
  return state === 'done' ? t('ingest.done') : state === 'failed' ? t('ingest.failed') : state === 'interrupted' ? t('ingest.interrupted') : t('ingest.ingesting');
}

export function IngestForm() {
  const t = useT();
  const [file, setFile] = useState<File | null>(null);
  const [format, setFormat] = useState<IngestFormat>('auto');
  const [index, setIndex] = useState('');
  const [jobId, setJobId] = useState<string | null>(null);
  const qc = useQueryClient();
  const upload = useMutation({
    mutationFn: (f: File) => uploadForIngest(f, format, index.trim()),
    onSuccess: (res) => {
      setJobId(res.job.id);
      void qc.invalidateQueries({ queryKey: ['ingest', 'jobs'] });
    },
  });
  // the jobs the server holds: a page opened (or reloaded) while an ingest runs shows that one
  const recent = useQuery(ingestJobsQuery());
  const running = recent.data?.items.find(isIngestRunning);
  const shownId = jobId ?? running?.id ?? null;
  const job = useQuery(ingestJobQuery(shownId));
  const j = job.data?.job;
  const p = j?.progress;
  const pct = p?.totalBytes ? Math.min(100, Math.round((p.bytes / p.totalBytes) * 100)) : null;

  return (
    <div className="page">
      <h1>{t('ingest.title')}</h1>
      <form
        className="form-grid"
        style={{ maxWidth: '40rem' }}
        onSubmit={(e) => {
          e.preventDefault();
          if (file) {
            setJobId(null);
            upload.mutate(file);
          }
        }}
      >
        <label className="field">
          <span>{t('ingest.file')}</span>
          <input type="file" name="file" required onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
        </label>
        <label className="field">
          <span>{t('ingest.format')}</span>
          <select value={format} onChange={(e) => setFormat(ingestFormatSchema.parse(e.target.value))}>
            {ingestFormatSchema.options.map((f) => (
              <option key={f} value={f}>
                {t(`fmt.${f}` as const)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('ingest.index')}</span>
          <input value={index} onChange={(e) => setIndex(e.target.value)} placeholder={t('ingest.indexExample', { example: 'logs-endpoint.events.file-upload' })} />
        </label>
        <div>
          <button type="submit" className="primary" disabled={!file || upload.isPending || (j !== undefined && isIngestRunning(j))}>
            {t('ingest.submit')}
          </button>
        </div>
      </form>
      {upload.isError ? <ErrorBox title={t('ingest.uploadFailed')} error={upload.error} /> : null}
      {upload.isPending ? <p role="status">{t('ingest.uploading')}</p> : null}
      {job.isError ? <ErrorBox title={t('ingest.progressError')} error={job.error} /> : null}
      {j ? (
        <section aria-labelledby="ingest-result" className="notice" data-testid="ingest-job" data-state={j.state}>
          <h2 id="ingest-result">
            {j.name}: {stateLabel(t, j.state)}
          </h2>
          {p && j.state !== 'done' ? (
            <div role="status" aria-live="polite">
              {pct !== null ? (
                <progress max={100} value={pct} aria-label={t('ingest.progress')}>
                  {pct}%
                </progress>
              ) : null}{' '}
              {t('ingest.counts', {
                lines: p.lines.toLocaleString('en'),
                read: p.read.toLocaleString('en'),
                stored: p.stored.toLocaleString('en'),
                rejected: p.rejected.toLocaleString('en'),
              })}
            </div>
          ) : null}
          {j.error ? (
            <p className="error-box" role="alert">
              {j.error}
            </p>
          ) : null}
          {j.report ? (
            <>
              <dl className="facts">
                <div>
                  <dt>{t('ingest.read')}</dt>
                  <dd data-testid="ingest-read">{j.report.read}</dd>
                </div>
                <div>
                  <dt>{t('ingest.stored')}</dt>
                  <dd data-testid="ingest-stored">{j.report.stored}</dd>
                </div>
                <div>
                  <dt>{t('ingest.replaced')}</dt>
                  <dd>{j.report.replaced}</dd>
                </div>
                <div>
                  <dt>{t('ingest.rejected')}</dt>
                  <dd data-testid="ingest-rejected">{j.report.rejectedCount}</dd>
                </div>
                <div>
                  <dt>{t('ingest.format')}</dt>
                  <dd>{j.report.format}</dd>
                </div>
                {j.report.encoding !== 'utf-8' ? (
                  <div>
                    <dt>{t('ingest.encoding')}</dt>
                    <dd>{j.report.encoding.toUpperCase()}</dd>
                  </div>
                ) : null}
              </dl>
              {j.report.warnings.length ? (
                <div role="status" data-testid="ingest-warnings">
                  <h3>{t('ingest.warnings')}</h3>
                  <ul>
                    {j.report.warnings.map((w, i) => (
                      <li key={i}>{w}</li>
                    ))}
                  </ul>
                </div>
              ) : null}
              {Object.keys(j.report.indices).length ? (
                <p className="small">
                  {t('ingest.indices', {
                    list: Object.entries(j.report.indices)
                      .map(([k, v]) => `${k} (${v})`)
                      .join(', '),
                  })}
                </p>
              ) : null}
              {j.report.rejected.length ? (
                <table className="data">
                  <caption className="small muted" style={{ textAlign: 'left' }}>
                    {t('ingest.rejectedLines')}
                    {j.report.rejectedCount > j.report.rejected.length ? ` ${t('ingest.firstOf', { shown: j.report.rejected.length, total: j.report.rejectedCount })}` : ''}
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('ingest.line')}</th>
                      <th scope="col">{t('ingest.reason')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {j.report.rejected.map((r, i) => (
                      <tr key={i}>
                        <td className="mono">{r.line}</td>
                        <td>{r.reason}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              ) : null}
            </>
          ) : null}
        </section>
      ) : null}
      {recent.data && recent.data.items.length ? (
        <section aria-labelledby="ingest-recent" data-testid="ingest-recent">
          <h2 id="ingest-recent">{t('ingest.recent')}</h2>
          <table className="data">
            <thead>
              <tr>
                <th scope="col">{t('ingest.file')}</th>
                <th scope="col">{t('ingest.startedAt')}</th>
                <th scope="col">{t('ingest.by')}</th>
                <th scope="col">{t('ingest.state')}</th>
                <th scope="col">{t('ingest.stored')}</th>
                <th scope="col">{t('ingest.rejected')}</th>
                <th scope="col">
                  <span className="sr-only">{t('ingest.show')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {recent.data.items.map((r) => (
                <tr key={r.id} data-testid="ingest-recent-row" aria-current={r.id === shownId ? 'true' : undefined}>
                  <td className="mono">{r.name}</td>
                  <td>
                    <Timestamp iso={r.startedAt} />
                  </td>
                  <td>{r.startedBy || '—'}</td>
                  <td>{stateLabel(t, r.state)}</td>
                  <td>{(r.report?.stored ?? r.progress?.stored ?? 0).toLocaleString('en')}</td>
                  <td>{(r.report?.rejectedCount ?? r.progress?.rejected ?? 0).toLocaleString('en')}</td>
                  <td>
                    {r.id === shownId ? null : (
                      <button type="button" className="small" onClick={() => setJobId(r.id)} aria-label={t('ingest.showJob', { name: r.name })}>
                        {t('ingest.show')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
    </div>
  );
}
