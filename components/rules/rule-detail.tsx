'use client';

/**
 * The rule page (/rules/<id>): the query formatted and highlighted (tokens rendered as text
 * spans, never HTML) with the positions of its problems, description, guide, setup, MITRE
 * links, references, index patterns and the stored indices they match, exceptions, versions
 * seen, and the run history with a small chart of duration and alerts.
 */
import { useMemo } from 'react';
import Link from 'next/link';
import { useQuery } from '@tanstack/react-query';
import { ruleDetailQuery } from '@/lib/queries/rules';
import type { RuleDetail as RuleDetailValue, RuleRunValue } from '@/lib/contracts/rules';
import { highlightTokens, type HighlightKind } from '@/lib/eql/lexer';
import { ErrorBox } from '@/components/ui/error-box';
import { Timestamp } from '@/components/ui/timestamp';
import { SeverityBadge } from '@/components/ui/badges';
import { severitySchema } from '@/lib/contracts/alerts';
import { useT } from '@/components/i18n/use-t';
import type { Translate } from '@/lib/i18n';
import styles from './rules.module.css';

const KIND_CLASS: Record<HighlightKind, string> = {
  keyword: styles.tkKeyword!,
  identifier: styles.tkIdentifier!,
  function: styles.tkFunction!,
  string: styles.tkString!,
  number: styles.tkNumber!,
  operator: styles.tkOperator!,
  comment: styles.tkComment!,
  error: styles.tkError!,
};

interface Segment {
  text: string;
  kind: HighlightKind | null;
  problem: number | null;
}

/** Cut the text at every token and problem boundary: each piece has one token kind and at most one problem. */
export function segments(text: string, problems: readonly { start: number; end: number }[]): Segment[] {
  const tokens = highlightTokens(text);
  const cuts = new Set<number>([0, text.length]);
  for (const t of tokens) cuts.add(t.span.start).add(t.span.end);
  for (const p of problems) cuts.add(Math.max(0, Math.min(text.length, p.start))).add(Math.max(0, Math.min(text.length, p.end)));
  const points = [...cuts].sort((a, b) => a - b);
  const out: Segment[] = [];
  let ti = 0;
  for (let i = 0; i + 1 < points.length; i += 1) {
    const [a, b] = [points[i]!, points[i + 1]!];
    while (ti < tokens.length && tokens[ti]!.span.end <= a) ti += 1;
    const tok = tokens[ti];
    const kind = tok && tok.span.start <= a && b <= tok.span.end ? tok.kind : null;
    const problem = problems.findIndex((p) => p.start <= a && b <= Math.max(p.end, p.start + 1));
    out.push({ text: text.slice(a, b), kind, problem: problem >= 0 ? problem : null });
  }
  return out;
}

function QueryView({ text, problems }: { text: string; problems: RuleDetailValue['problems'] }) {
  const t = useT();
  const segs = useMemo(() => segments(text, problems), [text, problems]);
  return (
    <>
      <pre className={styles.query} data-testid="rule-query">
        <code>
          {segs.map((s, i) => {
            const span = s.kind ? (
              <span key={i} className={KIND_CLASS[s.kind]}>
                {s.text}
              </span>
            ) : (
              <span key={i}>{s.text}</span>
            );
            return s.problem !== null ? (
              <mark key={i} className={styles.problem} title={problems[s.problem]!.message}>
                {span}
              </mark>
            ) : (
              span
            );
          })}
        </code>
      </pre>
      {problems.length ? (
        <ul data-testid="rule-problems">
          {problems.map((p, i) => (
            <li key={i}>{t('cat.problemAt', { line: p.line, column: p.column, message: p.message })}</li>
          ))}
        </ul>
      ) : (
        <p className="small muted">{t('cat.noProblems')}</p>
      )}
    </>
  );
}

/** only http(s) links are links; anything else is shown as text */
function SafeLink({ href, children }: { href: string | undefined; children: React.ReactNode }) {
  let ok = false;
  if (href) {
    try {
      const u = new URL(href);
      ok = u.protocol === 'https:' || u.protocol === 'http:';
    } catch {
      ok = false;
    }
  }
  return ok ? (
    <a href={href} target="_blank" rel="noreferrer noopener">
      {children}
    </a>
  ) : (
    <span>{children}</span>
  );
}

/** scheduled runs that left a gap: a window starting after the previous one ended */
export function runGaps(runs: readonly RuleRunValue[]): Map<string, { from: string; to: string }> {
  const scheduled = runs.filter((r) => r.trigger === 'scheduled').sort((a, b) => a.from.localeCompare(b.from));
  const gaps = new Map<string, { from: string; to: string }>();
  for (let i = 1; i < scheduled.length; i += 1) {
    const prev = scheduled[i - 1]!;
    const cur = scheduled[i]!;
    if (Date.parse(cur.from) > Date.parse(prev.to)) gaps.set(cur.id, { from: prev.to, to: cur.from });
  }
  return gaps;
}

function RunChart({ runs, t }: { runs: readonly RuleRunValue[]; t: Translate }) {
  const points = runs.filter((r) => r.durationMs !== null).slice(0, 40).reverse();
  if (points.length === 0) return null;
  const W = 600;
  const H = 120;
  const maxMs = Math.max(1, ...points.map((r) => r.durationMs ?? 0));
  const maxAlerts = Math.max(1, ...points.map((r) => r.alertsCreated));
  const step = W / points.length;
  const totalAlerts = points.reduce((n, r) => n + r.alertsCreated, 0);
  const durations = points.map((r) => r.durationMs ?? 0).sort((a, b) => a - b);
  const median = durations[Math.floor(durations.length / 2)]!;
  const summary = t('cat.chartSummary', { runs: points.length, min: durations[0]!, median, max: maxMs, alerts: totalAlerts });
  const line = points.map((r, i) => `${(i * step + step / 2).toFixed(1)},${(H - 4 - ((H - 8) * r.alertsCreated) / maxAlerts).toFixed(1)}`).join(' ');
  return (
    <figure>
      <svg className={styles.chart} viewBox={`0 0 ${W} ${H}`} role="img" aria-label={summary}>
        <title>{summary}</title>
        {points.map((r, i) => {
          const h = ((H - 8) * (r.durationMs ?? 0)) / maxMs;
          return <rect key={r.id} x={i * step + 1} y={H - h} width={Math.max(1, step - 2)} height={h} fill={r.status === 'failed' ? '#ff8b85' : '#3f6d96'} />;
        })}
        <polyline points={line} fill="none" stroke="#f2c45a" strokeWidth={2} />
      </svg>
      <figcaption className="small muted">{t('cat.chartLegend')} {summary}</figcaption>
    </figure>
  );
}

export function RuleDetailPage({ ruleId }: { ruleId: string }) {
  const t = useT();
  const q = useQuery(ruleDetailQuery(ruleId));
  if (q.isPending) return <p className="page muted">{t('rules.loading')}</p>;
  if (q.isError)
    return (
      <div className="page">
        <p>
          <Link href="/rules">{t('cat.back')}</Link>
        </p>
        <ErrorBox title={t('cat.ruleError')} error={q.error} />
      </div>
    );
  const d = q.data;
  const r = d.rule;
  const sev = severitySchema.safeParse(r.severity);
  const gaps = runGaps(d.runs);
  return (
    <div className={`page ${styles.detail}`}>
      <p className="small">
        <Link href="/rules">{t('cat.back')}</Link>
      </p>
      <h1>{r.name}</h1>
      <p className="small">
        <span className="mono">{r.ruleId}</span> · v{r.version} · {r.supported ? r.type : t('cat.notSupported', { type: r.type })} ·{' '}
        {sev.success ? <SeverityBadge severity={sev.data} /> : r.severity} · {t('cat.risk', { score: r.riskScore })} · {r.enabled ? t('rules.on') : t('rules.off')}
        {r.deprecated ? <> · {t('cat.deprecatedChip')}</> : null}
        {d.maturity ? <> · {d.maturity}</> : null}
      </p>
      <p>{d.description}</p>

      <h2>{t('cat.query')}</h2>
      {d.formattedQuery !== null ? (
        <QueryView text={d.formattedQuery} problems={d.problems} />
      ) : d.query ? (
        <QueryView text={d.query} problems={d.problems} />
      ) : (
        <p className="muted">{t('cat.noQuery')}</p>
      )}
      {d.formattedQuery !== null && d.formattedQuery !== d.query ? (
        <details>
          <summary>{t('cat.asWritten')}</summary>
          <pre className={styles.query}>{d.query}</pre>
        </details>
      ) : null}

      <div className={styles.grid}>
        <section aria-labelledby="rule-indices">
          <h2 id="rule-indices">{t('cat.indices')}</h2>
          <ul>
            {r.index.map((p) => {
              const m = d.indexMatches?.find((x) => x.pattern === p);
              return (
                <li key={p}>
                  <span className="mono">{p}</span>:{' '}
                  {d.indexMatches === null ? (
                    <span className="muted">{t('cat.indicesUnknown')}</span>
                  ) : m && m.indices.length ? (
                    <span className="mono">{m.indices.join(', ')}</span>
                  ) : (
                    <span className="muted">{t('cat.noStoredIndex')}</span>
                  )}
                </li>
              );
            })}
          </ul>
          {d.timestampOverride ? <p className="small">{t('cat.timestampOverride', { field: d.timestampOverride })}</p> : null}
          <p className="small">
            {t('rules.interval')}: <span className="mono">{r.interval}</span> · {t('cat.lookback')}: <span className="mono">{r.from}</span> · max_signals{' '}
            <span className="mono">{r.maxSignals}</span>
          </p>
        </section>
        <section aria-labelledby="rule-mitre">
          <h2 id="rule-mitre">{t('cat.mitre')}</h2>
          {d.threat.length ? (
            <ul>
              {d.threat.map((th, i) => (
                <li key={i}>
                  <SafeLink href={th.tactic.reference}>
                    {th.tactic.id} {th.tactic.name}
                  </SafeLink>
                  {th.technique?.length ? (
                    <ul>
                      {th.technique.map((te) => (
                        <li key={te.id}>
                          <SafeLink href={te.reference}>
                            {te.id} {te.name}
                          </SafeLink>
                          {te.subtechnique?.map((s) => (
                            <span key={s.id}>
                              {' · '}
                              <SafeLink href={s.reference}>
                                {s.id} {s.name}
                              </SafeLink>
                            </span>
                          ))}
                        </li>
                      ))}
                    </ul>
                  ) : null}
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted small">{t('common.none')}</p>
          )}
          <h2>{t('cat.tags')}</h2>
          <p>
            {r.tags.map((tag) => (
              <span key={tag} className="chip">
                {tag}
              </span>
            ))}
          </p>
          {d.relatedIntegrations.length || r.dataSources.length ? (
            <p className="small">
              {t('cat.integrations')}: {d.relatedIntegrations.length ? d.relatedIntegrations.map((i) => `${i.package}${i.integration ? `/${i.integration}` : ''} ${i.version}`).join(', ') : r.dataSources.join(', ')}
            </p>
          ) : null}
        </section>
      </div>

      <h2>{t('cat.guide')}</h2>
      {d.note ? <div className={styles.text}>{d.note}</div> : <p className="muted small">{t('cat.noGuide')}</p>}
      {d.setup ? (
        <>
          <h2>{t('cat.setup')}</h2>
          <div className={styles.text}>{d.setup}</div>
        </>
      ) : null}
      {d.falsePositives.length ? (
        <>
          <h2>{t('cat.falsePositives')}</h2>
          <ul>
            {d.falsePositives.map((f, i) => (
              <li key={i}>{f.trim()}</li>
            ))}
          </ul>
        </>
      ) : null}
      <h2>{t('cat.references')}</h2>
      {d.references.length ? (
        <ul>
          {d.references.map((ref) => (
            <li key={ref} className={styles.ruleCell}>
              <SafeLink href={ref}>{ref}</SafeLink>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted small">{t('common.none')}</p>
      )}

      <h2>{t('rules.exceptions')}</h2>
      {d.exceptions.length ? (
        <ul data-testid="rule-exceptions">
          {d.exceptions.map((x) => (
            <li key={x.id}>
              <span className="mono">
                {x.entries.map((e) => `${e.field} ${e.negate ? `${t('op.not')} ` : ''}${t(`op.${e.operator}`)} ${e.values.join(', ')}`).join(' AND ')}
              </span>
              {x.comment ? <> — {x.comment}</> : null} ({x.createdBy}, <Timestamp iso={x.createdAt} />)
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted small">{t('rules.noExceptions')}</p>
      )}

      <h2>{t('cat.runs')}</h2>
      {r.pendingGap ? (
        <p>
          {t('rules.pendingGap')}: <Timestamp iso={r.pendingGap.from} /> → <Timestamp iso={r.pendingGap.to} />
        </p>
      ) : null}
      {d.runs.length ? (
        <>
          <RunChart runs={d.runs} t={t} />
          <table className={`data ${styles.runs}`}>
            <caption className="sr-only">{t('cat.runs')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('cat.window')}</th>
                <th scope="col">{t('cat.trigger')}</th>
                <th scope="col">{t('cat.duration')}</th>
                <th scope="col">{t('rules.hits')}</th>
                <th scope="col">{t('rules.alerts')}</th>
                <th scope="col">{t('rules.result')}</th>
                <th scope="col">{t('cat.gap')}</th>
              </tr>
            </thead>
            <tbody>
              {d.runs.map((run) => {
                const gap = gaps.get(run.id);
                return (
                  <tr key={run.id} data-testid="rule-run">
                    <td className="small">
                      <Timestamp iso={run.from} /> → <Timestamp iso={run.to} />
                    </td>
                    <td>{t(`cat.trigger.${run.trigger}`)}</td>
                    <td className="mono">{run.durationMs ?? '—'} ms</td>
                    <td className="mono">{run.hits}</td>
                    <td className="mono">{run.alertsCreated}</td>
                    <td>
                      {t(`run.${run.status}`)}
                      {run.error ? <div className="small">{run.error}</div> : null}
                    </td>
                    <td className="small">
                      {gap ? (
                        <>
                          <Timestamp iso={gap.from} /> → <Timestamp iso={gap.to} />
                        </>
                      ) : (
                        '—'
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </>
      ) : (
        <p className="muted small">{t('rules.neverRun')}</p>
      )}

      <h2>{t('cat.versions')}</h2>
      <table className="data">
        <caption className="sr-only">{t('cat.versions')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('cat.version')}</th>
            <th scope="col">{t('rules.rule')}</th>
            <th scope="col">{t('cat.firstSeen')}</th>
            <th scope="col">{t('cat.origin')}</th>
          </tr>
        </thead>
        <tbody>
          {d.versions.map((v) => (
            <tr key={v.version}>
              <td className="mono">v{v.version}</td>
              <td>{v.name}</td>
              <td>
                <Timestamp iso={v.firstSeenAt} />
              </td>
              <td className="mono small">{v.origin ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
