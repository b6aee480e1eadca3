'use client';

import { useState } from 'react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { ingestFormatSchema, type IngestFormat } from '@/lib/contracts/ingest';
import { ingestJobQuery, uploadForIngest } from '@/lib/queries/ingest';
import { ErrorBox } from '@/components/ui/error-box';

const formatLabels: Record<IngestFormat, string> = {
  auto: 'Detect automatically',
  ecs: 'ECS NDJSON',
  bulk: 'Elasticsearch _bulk / _search export',
  winlogbeat: 'Winlogbeat (Sysmon)',
  'sysmon-evtx-json': 'Sysmon EVTX as JSON',
  endgame: 'Endgame',
  defend: 'Elastic Defend',
};

export function IngestForm() {
  const [file, setFile] = useState<File | null>(null);
  const [format, setFormat] = useState<IngestFormat>('auto');
  const [index, setIndex] = useState('');
  const [jobId, setJobId] = useState<string | null>(null);
  const upload = useMutation({
    mutationFn: (f: File) => uploadForIngest(f, format, index.trim()),
    onSuccess: (res) => setJobId(res.job.id),
  });
  const job = useQuery(ingestJobQuery(jobId));
  const j = job.data?.job;
  const p = j?.progress;
  const pct = p?.totalBytes ? Math.min(100, Math.round((p.bytes / p.totalBytes) * 100)) : null;

  return (
    <div className="page">
      <h1>Ingest events</h1>
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
          <span>File (NDJSON, _bulk or _search export, Winlogbeat, Sysmon EVTX JSON, Defend, Endgame)</span>
          <input type="file" name="file" required onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
        </label>
        <label className="field">
          <span>Format</span>
          <select value={format} onChange={(e) => setFormat(ingestFormatSchema.parse(e.target.value))}>
            {ingestFormatSchema.options.map((f) => (
              <option key={f} value={f}>
                {formatLabels[f]}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Index (optional; default: each format&apos;s own index)</span>
          <input value={index} onChange={(e) => setIndex(e.target.value)} placeholder="e.g. logs-endpoint.events.file-upload" />
        </label>
        <div>
          <button type="submit" className="primary" disabled={!file || upload.isPending || (j !== undefined && (j.state === 'receiving' || j.state === 'ingesting'))}>
            Upload and ingest
          </button>
        </div>
      </form>
      {upload.isError ? <ErrorBox title="Upload failed." error={upload.error} /> : null}
      {upload.isPending ? <p role="status">Uploading…</p> : null}
      {job.isError ? <ErrorBox title="Could not read the progress." error={job.error} /> : null}
      {j ? (
        <section aria-labelledby="ingest-result" className="notice" data-testid="ingest-job" data-state={j.state}>
          <h2 id="ingest-result">
            {j.name}: {j.state === 'done' ? 'done' : j.state === 'failed' ? 'failed' : 'ingesting…'}
          </h2>
          {p && j.state !== 'done' ? (
            <div role="status" aria-live="polite">
              {pct !== null ? (
                <progress max={100} value={pct} aria-label="Ingest progress">
                  {pct}%
                </progress>
              ) : null}{' '}
              {p.lines.toLocaleString('en')} lines · {p.read.toLocaleString('en')} read · {p.stored.toLocaleString('en')} stored · {p.rejected.toLocaleString('en')}{' '}
              rejected
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
                  <dt>Read</dt>
                  <dd data-testid="ingest-read">{j.report.read}</dd>
                </div>
                <div>
                  <dt>Stored</dt>
                  <dd data-testid="ingest-stored">{j.report.stored}</dd>
                </div>
                <div>
                  <dt>Replaced</dt>
                  <dd>{j.report.replaced}</dd>
                </div>
                <div>
                  <dt>Rejected</dt>
                  <dd data-testid="ingest-rejected">{j.report.rejectedCount}</dd>
                </div>
                <div>
                  <dt>Format</dt>
                  <dd>{j.report.format}</dd>
                </div>
              </dl>
              {Object.keys(j.report.indices).length ? (
                <p className="small">
                  Indices:{' '}
                  {Object.entries(j.report.indices)
                    .map(([k, v]) => `${k} (${v})`)
                    .join(', ')}
                </p>
              ) : null}
              {j.report.rejected.length ? (
                <table className="data">
                  <caption className="small muted" style={{ textAlign: 'left' }}>
                    Rejected lines{j.report.rejectedCount > j.report.rejected.length ? ` (first ${j.report.rejected.length} of ${j.report.rejectedCount})` : ''}
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">Line</th>
                      <th scope="col">Reason</th>
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
    </div>
  );
}
