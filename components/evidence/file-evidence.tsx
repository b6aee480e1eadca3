'use client';

import type { FileEvidenceValue } from '@/lib/contracts/evidence';
import { CopyButton } from '@/components/ui/copy-button';
import { safeHref } from '@/components/guide/spans';
import { useT } from '@/components/i18n/use-t';
import type { Translate } from '@/lib/i18n';

/** A code signature as a short phrase: subject · trust. */
export function signatureText(t: Translate, sig: { subjectName?: string | null; trusted?: boolean | null }): string {
  const trust = sig.trusted ? t('sig.trusted') : sig.trusted === false ? t('sig.notTrusted') : t('sig.unknown');
  return `${sig.subjectName ?? t('sig.noSubject')} · ${trust}`;
}

/** The written file: path, hashes, signature, Get-FileHash, reputation links. */
export function FileEvidenceView({ file }: { file: FileEvidenceValue }) {
  const t = useT();
  const sha256 = file.hashes.find((h) => h.algorithm === 'sha256');
  return (
    <section aria-label={t('file.title')} className="group" data-testid="file-evidence">
      <h3>{t('file.title')}</h3>
      <dl className="node-detail">
        <div>
          <dt>{t('file.path')}</dt>
          <dd>
            {file.path ?? '—'} {file.path ? <CopyButton text={file.path} label={t('file.copyPath')} /> : null}
          </dd>
        </div>
        {file.hashes.map((h) => (
          <div key={`${h.algorithm}-${h.value}`}>
            <dt>{h.algorithm.toUpperCase()}</dt>
            <dd>
              {h.value} <CopyButton text={h.value} label={t('file.copyHash', { algorithm: h.algorithm.toUpperCase() })} />
            </dd>
          </div>
        ))}
        {file.signature ? (
          <div>
            <dt>{t('file.signature')}</dt>
            <dd>{signatureText(t, file.signature)}</dd>
          </div>
        ) : null}
      </dl>
      {!sha256 ? <p className="small">{t('file.noSha256')}</p> : null}
      {file.getFileHashCommand ? (
        <div className="copy-row">
          <pre data-testid="get-filehash">{file.getFileHashCommand}</pre>
          <CopyButton text={file.getFileHashCommand} label={t('file.copyCommand')} />
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
