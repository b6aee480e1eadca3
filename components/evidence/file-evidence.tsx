import type { FileEvidenceValue } from '@/lib/contracts/evidence';
import { CopyButton } from '@/components/ui/copy-button';
import { safeHref } from '@/components/guide/spans';

/** The written file: path, hashes, signature, Get-FileHash, reputation links. */
export function FileEvidenceView({ file }: { file: FileEvidenceValue }) {
  const sha256 = file.hashes.find((h) => h.algorithm === 'sha256');
  return (
    <section aria-label="File and hashes" className="group" data-testid="file-evidence">
      <h3>File and hashes</h3>
      <dl className="node-detail">
        <div>
          <dt>Path</dt>
          <dd>
            {file.path ?? '—'} {file.path ? <CopyButton text={file.path} label="Copy the file path" /> : null}
          </dd>
        </div>
        {file.hashes.map((h) => (
          <div key={`${h.algorithm}-${h.value}`}>
            <dt>{h.algorithm.toUpperCase()}</dt>
            <dd>
              {h.value} <CopyButton text={h.value} label={`Copy the ${h.algorithm.toUpperCase()}`} />
            </dd>
          </div>
        ))}
        {file.signature ? (
          <div>
            <dt>Signature</dt>
            <dd>
              {file.signature.subjectName ?? 'no subject'} · {file.signature.trusted ? 'trusted' : file.signature.trusted === false ? 'not trusted' : 'trust unknown'}
            </dd>
          </div>
        ) : null}
      </dl>
      {!sha256 ? <p className="small">The events carry no SHA-256 for this file: compute it on the host.</p> : null}
      {file.getFileHashCommand ? (
        <div className="copy-row">
          <pre data-testid="get-filehash">{file.getFileHashCommand}</pre>
          <CopyButton text={file.getFileHashCommand} label="Copy the Get-FileHash command" />
        </div>
      ) : null}
      {file.links.length ? (
        <p className="links">
          {file.links.filter((l) => safeHref(l.url)).map((l) => (
            <a key={`${l.site}-${l.hash}`} href={l.url} target="_blank" rel="noopener noreferrer nofollow">
              {l.site}
            </a>
          ))}
        </p>
      ) : null}
    </section>
  );
}
