'use client';

import { useMemo, useRef, useState } from 'react';
import Link from 'next/link';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  backfillProgressQuery,
  deleteException,
  reloadRuleFiles,
  ruleExceptionsQuery,
  rulesListQuery,
  runRuleNow,
  setRuleEnabled,
  setRulesEnabledBulk,
  startBackfill,
  uploadRuleImport,
} from '@/lib/queries/rules';
import { emptyFilter, facetValues, filterRules, type RuleFilter, type RuleSort, type TriState } from './catalogue-filter';
import styles from './rules.module.css';
import { describeError } from '@/lib/queries/error-text';
import type { RuleListItem } from '@/lib/contracts/rules';
import { ErrorBox } from '@/components/ui/error-box';
import { Timestamp } from '@/components/ui/timestamp';
import { SeverityBadge } from '@/components/ui/badges';
import { severitySchema } from '@/lib/contracts/alerts';
import { useT } from '@/components/i18n/use-t';
import { usePermissions } from '@/components/auth/use-permissions';
import type { Translate } from '@/lib/i18n';
import { DecisionButtons, ExceptionState, PendingExceptions } from './exception-approvals';

type RunStatus = 'running' | 'succeeded' | 'partial' | 'failed';

/** The permissions the rules page shows controls for (the API checks each again). */
interface RulePermissions {
  /** enable/disable, run now, backfill (admins) */
  manage: boolean;
  /** remove an exception (leads and admins) */
  deleteException: boolean;
}

function runStatus(t: Translate, status: RunStatus): string {
  return t(`run.${status}`);
}

export function RulesTable() {
  const t = useT();
  const perms = usePermissions();
  const allowed: RulePermissions = { manage: perms.can('rules:manage'), deleteException: perms.can('exception:delete') };
  const rules = useQuery(rulesListQuery());
  const [open, setOpen] = useState<string | null>(null);
  const [filter, setFilter] = useState<RuleFilter>(emptyFilter);
  const [selected, setSelected] = useState<ReadonlySet<string>>(() => new Set());
  const items = rules.data?.items;
  const shown = useMemo(() => (items ? filterRules(items, filter) : []), [items, filter]);
  const openRule = open ? items?.find((r) => r.ruleId === open) : undefined;
  return (
    <div className="page">
      <h1>{t('rules.title')}</h1>
      {rules.data?.detection?.behind ? (
        <p className="notice" role="status" data-testid="detection-behind">
          {t('rules.detectionBehind', { cycles: rules.data.detection.behindCycles })}
        </p>
      ) : null}
      <PendingExceptions />
      {allowed.manage ? (
        <div className={styles.adminBar}>
          <ReloadRules />
          <ImportRules />
        </div>
      ) : null}
      {rules.data && rules.data.errors.length ? (
        <div className="notice" data-testid="rule-file-errors">
          <h2 className="small">{t('rules.fileErrors')}</h2>
          <ul>
            {rules.data.errors.map((e) => (
              <li key={`${e.file}\u0000${e.message}`}>
                <span className="mono">{e.file}</span>: {e.message}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {rules.isError ? <ErrorBox title={t('rules.loadError')} error={rules.error} /> : null}
      {rules.isPending ? <p className="muted">{t('rules.loading')}</p> : null}
      {items ? (
        items.length === 0 ? (
          <p className="muted">{t('rules.none')}</p>
        ) : (
          <>
            <CatalogueFilters items={items} filter={filter} onChange={setFilter} />
            <p className="small muted" role="status" data-testid="rules-count">
              {t('cat.shown', { shown: shown.length, total: items.length, enabled: items.filter((r) => r.enabled).length })}
            </p>
            {allowed.manage ? <BulkBar shown={shown} selected={selected} onSelect={setSelected} /> : null}
            <VirtualRules rules={shown} allowed={allowed} open={open} onOpen={setOpen} selected={selected} onSelect={setSelected} />
            {openRule ? (
              <section className={styles.openPanel} aria-label={t('cat.panelFor', { name: openRule.name })}>
                <h2 className="small">{openRule.name}</h2>
                <RuleDetail rule={openRule} allowed={allowed} />
                <button type="button" onClick={() => setOpen(null)}>
                  {t('cat.closePanel')}
                </button>
              </section>
            ) : null}
          </>
        )
      ) : null}
    </div>
  );
}

const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;

/** Search and filters; every control labelled. */
function CatalogueFilters({ items, filter, onChange }: { items: readonly RuleListItem[]; filter: RuleFilter; onChange: (f: RuleFilter) => void }) {
  const t = useT();
  const osValues = useMemo(() => facetValues(items, (r) => r.os), [items]);
  const sourceValues = useMemo(() => facetValues(items, (r) => r.dataSources), [items]);
  const set = <K extends keyof RuleFilter>(key: K, value: RuleFilter[K]) => onChange({ ...filter, [key]: value });
  /** a select over `values` with "all" first; `text` words a value (the value itself by default) */
  const choice = <V extends string,>(key: 'os' | 'dataSource' | 'severity', label: string, values: readonly V[], text: (v: V) => string = (v) => v) => (
    <label className="field">
      <span>{label}</span>
      <select value={filter[key]} onChange={(e) => set(key, e.target.value)}>
        <option value="">{t('cat.all')}</option>
        {values.map((v) => (
          <option key={v} value={v}>
            {text(v)}
          </option>
        ))}
      </select>
    </label>
  );
  const tri = (key: 'enabled' | 'deprecated', label: string) => (
    <label className="field">
      <span>{label}</span>
      <select value={filter[key]} onChange={(e) => set(key, e.target.value as TriState)}>
        <option value="any">{t('cat.any')}</option>
        <option value="yes">{t('cat.yes')}</option>
        <option value="no">{t('cat.no')}</option>
      </select>
    </label>
  );
  return (
    <form className={`toolbar ${styles.filters}`} role="search" aria-label={t('cat.searchRules')} onSubmit={(e) => e.preventDefault()}>
      <label className="field">
        <span>{t('cat.search')}</span>
        <input type="search" value={filter.q} onChange={(e) => set('q', e.target.value)} placeholder={t('cat.searchHint')} maxLength={200} />
      </label>
      {choice('os', t('cat.os'), osValues)}
      {choice('dataSource', t('cat.dataSource'), sourceValues)}
      {choice('severity', t('rules.severity'), SEVERITIES, (v) => t(`severity.${v}`))}
      {tri('enabled', t('rules.enabled'))}
      {tri('deprecated', t('cat.deprecated'))}
      <label className={styles.check}>
        <input type="checkbox" checked={filter.failing} onChange={(e) => set('failing', e.target.checked)} /> {t('cat.failing')}
      </label>
      <label className={styles.check}>
        <input type="checkbox" checked={filter.hasAlerts} onChange={(e) => set('hasAlerts', e.target.checked)} /> {t('cat.hasAlerts')}
      </label>
      <label className="field">
        <span>{t('cat.sort')}</span>
        <select value={filter.sort} onChange={(e) => set('sort', e.target.value as RuleSort)}>
          <option value="default">{t('cat.sort.default')}</option>
          <option value="name">{t('cat.sort.name')}</option>
          <option value="duration">{t('cat.sort.duration')}</option>
          <option value="hits">{t('cat.sort.hits')}</option>
          <option value="alerts">{t('cat.sort.alerts')}</option>
          <option value="severity">{t('cat.sort.severity')}</option>
        </select>
      </label>
      <button type="button" onClick={() => onChange(emptyFilter)}>
        {t('cat.clear')}
      </button>
    </form>
  );
}

/** Bulk enable/disable (admins): the selected rules, every rule shown, or the rules that can match the stored data. */
function BulkBar({ shown, selected, onSelect }: { shown: readonly RuleListItem[]; selected: ReadonlySet<string>; onSelect: (s: ReadonlySet<string>) => void }) {
  const t = useT();
  const qc = useQueryClient();
  const bulk = useMutation({
    mutationFn: setRulesEnabledBulk,
    onSettled: () => qc.invalidateQueries({ queryKey: ['rules'] }),
  });
  const ids = [...selected];
  const shownIds = shown.map((r) => r.ruleId);
  return (
    <div className={`toolbar ${styles.bulk}`} data-testid="rules-bulk-bar" role="group" aria-label={t('cat.bulk')}>
      <span className="small">{t('cat.selected', { count: ids.length })}</span>
      <button type="button" disabled={ids.length === 0 || bulk.isPending} onClick={() => bulk.mutate({ ruleIds: ids, enabled: true })}>
        {t('cat.enableSelected')}
      </button>
      <button type="button" disabled={ids.length === 0 || bulk.isPending} onClick={() => bulk.mutate({ ruleIds: ids, enabled: false })}>
        {t('cat.disableSelected')}
      </button>
      <button type="button" disabled={shownIds.length === 0 || bulk.isPending} onClick={() => bulk.mutate({ ruleIds: shownIds, enabled: true })}>
        {t('cat.enableShown', { count: shownIds.length })}
      </button>
      <button type="button" disabled={shownIds.length === 0 || bulk.isPending} onClick={() => bulk.mutate({ ruleIds: shownIds, enabled: false })}>
        {t('cat.disableShown', { count: shownIds.length })}
      </button>
      <button type="button" disabled={bulk.isPending} onClick={() => bulk.mutate({ matchingData: true, enabled: true })}>
        {t('cat.enableMatching')}
      </button>
      {ids.length ? (
        <button type="button" onClick={() => onSelect(new Set())}>
          {t('cat.clearSelection')}
        </button>
      ) : null}
      <span role="status" className="small" data-testid="rules-bulk-result">
        {bulk.data ? t('cat.bulkDone', { changed: bulk.data.changed.length, unchanged: bulk.data.unchanged }) : null}
      </span>
      {bulk.isError ? <ErrorBox title={t('cat.bulkError')} error={bulk.error} /> : null}
    </div>
  );
}

const ROW_ESTIMATE = 64;

/** The rules, virtualised: only the rows in view (plus a few) are in the page; spacer rows keep the scroll height. */
function VirtualRules({
  rules,
  allowed,
  open,
  onOpen,
  selected,
  onSelect,
}: {
  rules: readonly RuleListItem[];
  allowed: RulePermissions;
  open: string | null;
  onOpen: (id: string | null) => void;
  selected: ReadonlySet<string>;
  onSelect: (s: ReadonlySet<string>) => void;
}) {
  const t = useT();
  const scrollRef = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- TanStack Virtual returns functions React Compiler cannot memoize; this component is not compiled
  const virtualizer = useVirtualizer({ count: rules.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_ESTIMATE, overscan: 8 });
  const virtual = virtualizer.getVirtualItems();
  const top = virtual.length ? virtual[0]!.start : 0;
  const bottom = virtual.length ? virtualizer.getTotalSize() - virtual[virtual.length - 1]!.end : 0;
  const cols = allowed.manage ? 7 : 6;
  const allShownSelected = rules.length > 0 && rules.every((r) => selected.has(r.ruleId));
  return (
    <div ref={scrollRef} className={styles.scroller} tabIndex={0} role="region" aria-label={t('cat.listLabel', { count: rules.length })}>
      <table className={`data ${styles.table}`} aria-rowcount={rules.length + 1}>
        <colgroup>
          {allowed.manage ? <col className={styles.colSelect} /> : null}
          <col className={styles.colEnabled} />
          <col />
          <col className={styles.colSeverity} />
          <col className={styles.colRun} />
          <col className={styles.colAlerts} />
          <col className={styles.colActions} />
        </colgroup>
        <thead>
          <tr aria-rowindex={1}>
            {allowed.manage ? (
              <th scope="col">
                <label>
                  <input
                    type="checkbox"
                    checked={allShownSelected}
                    onChange={(e) => onSelect(e.target.checked ? new Set([...selected, ...rules.map((r) => r.ruleId)]) : new Set())}
                  />
                  <span className="sr-only">{t('cat.selectAllShown', { count: rules.length })}</span>
                </label>
              </th>
            ) : null}
            <th scope="col">{t('rules.enabled')}</th>
            <th scope="col">{t('rules.rule')}</th>
            <th scope="col">{t('rules.severity')}</th>
            <th scope="col">{t('cat.lastRun')}</th>
            <th scope="col">{t('rules.alerts')}</th>
            <th scope="col">{t('rules.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {top > 0 ? (
            <tr aria-hidden="true">
              <td colSpan={cols} style={{ height: top, padding: 0, border: 0 }} />
            </tr>
          ) : null}
          {virtual.map((v) => {
            const r = rules[v.index]!;
            return (
              <RuleRow
                key={r.ruleId}
                rule={r}
                index={v.index}
                measure={virtualizer.measureElement}
                allowed={allowed}
                expanded={open === r.ruleId}
                onExpand={() => onOpen(open === r.ruleId ? null : r.ruleId)}
                selected={selected.has(r.ruleId)}
                onSelected={(on) => {
                  const next = new Set(selected);
                  if (on) next.add(r.ruleId);
                  else next.delete(r.ruleId);
                  onSelect(next);
                }}
              />
            );
          })}
          {bottom > 0 ? (
            <tr aria-hidden="true">
              <td colSpan={cols} style={{ height: bottom, padding: 0, border: 0 }} />
            </tr>
          ) : null}
        </tbody>
      </table>
      {rules.length === 0 ? <p className="muted small">{t('cat.noMatch')}</p> : null}
    </div>
  );
}

/** Upload an import file (admins): progress of the upload, then the import's report (as the CLI prints it). */
function ImportRules() {
  const t = useT();
  const qc = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [enable, setEnable] = useState(false);
  const [progress, setProgress] = useState<{ sent: number; total: number } | null>(null);
  const upload = useMutation({
    mutationFn: (f: File) => uploadRuleImport(f, enable, (sent, total) => setProgress({ sent, total })),
    onSettled: () => qc.invalidateQueries({ queryKey: ['rules'] }),
  });
  const r = upload.data;
  const uploading = upload.isPending && progress !== null && progress.sent < progress.total;
  return (
    <section className={styles.import} aria-label={t('cat.import')}>
      <form
        className="toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          if (!file) return;
          setProgress({ sent: 0, total: file.size });
          upload.mutate(file);
        }}
      >
        <label className="field">
          <span>{t('cat.importFile')}</span>
          <input type="file" accept=".ndjson,.jsonl,.json,.toml" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
        </label>
        <label className={styles.check}>
          <input type="checkbox" checked={enable} onChange={(e) => setEnable(e.target.checked)} /> {t('cat.importEnable')}
        </label>
        <button type="submit" disabled={!file || upload.isPending}>
          {t('cat.importButton')}
        </button>
      </form>
      <div role="status" aria-live="polite" className="small" data-testid="rules-import-report">
        {upload.isPending && progress ? (
          <>
            <progress max={Math.max(1, progress.total)} value={progress.sent} aria-label={t('cat.importProgress')} />{' '}
            {uploading ? t('cat.uploading', { percent: Math.round((100 * progress.sent) / Math.max(1, progress.total)) }) : t('cat.importing')}
          </>
        ) : null}
        {r ? (
          <>
            <p className="mono">{r.summary}</p>
            {r.enabled ? <p>{t('cat.importEnabled', { count: r.enabled })}</p> : null}
            {r.refused.length ? (
              <ul className={styles.refused}>
                {r.refused.map((x, i) => (
                  <li key={i} className="mono">
                    {x.where} rule_id {x.ruleId ?? '(none)'}: {x.reason}
                  </li>
                ))}
              </ul>
            ) : null}
          </>
        ) : null}
      </div>
      {upload.isError ? <ErrorBox title={t('cat.importError')} error={upload.error} /> : null}
    </section>
  );
}

/** Read the rule files again (admins): what was added, upgraded and removed. */
function ReloadRules() {
  const t = useT();
  const qc = useQueryClient();
  const reload = useMutation({ mutationFn: reloadRuleFiles, onSettled: () => qc.invalidateQueries({ queryKey: ['rules'] }) });
  const r = reload.data;
  return (
    <div className="rules-reload">
      <button type="button" disabled={reload.isPending} onClick={() => reload.mutate()}>
        {reload.isPending ? t('rules.reloading') : t('rules.reload')}
      </button>
      <div role="status" data-testid="rules-reloaded">
        {r ? (
          <>
            <p className="small">
              {t('rules.reloaded', { rules: r.rules, added: r.added.length, upgraded: r.upgraded.length, removed: r.removed.length })}{' '}
              {r.upgraded.length ? t('rules.reloadKeeps') : null}
            </p>
            {r.added.length + r.upgraded.length + r.removed.length ? (
              <ul className="small">
                {r.added.map((a) => (
                  <li key={`a-${a.ruleId}`}>{t('rules.reloadItem.added', { name: a.name, version: a.version })}</li>
                ))}
                {r.upgraded.map((u) => (
                  <li key={`u-${u.ruleId}`}>{t('rules.reloadItem.upgraded', { name: u.name, from: u.from, to: u.to })}</li>
                ))}
                {r.removed.map((x) => (
                  <li key={`r-${x.ruleId}`}>{t('rules.reloadItem.removed', { name: x.name, version: x.version })}</li>
                ))}
              </ul>
            ) : null}
          </>
        ) : null}
      </div>
      {reload.isError ? <ErrorBox title={t('rules.reload')} error={reload.error} /> : null}
    </div>
  );
}

function RuleRow({
  rule,
  index,
  measure,
  allowed,
  expanded,
  onExpand,
  selected,
  onSelected,
}: {
  rule: RuleListItem;
  index: number;
  measure: (el: Element | null) => void;
  allowed: RulePermissions;
  expanded: boolean;
  onExpand: () => void;
  selected: boolean;
  onSelected: (on: boolean) => void;
}) {
  const t = useT();
  const qc = useQueryClient();
  const toggle = useMutation({
    mutationFn: (enabled: boolean) => setRuleEnabled({ ruleId: rule.ruleId, enabled }),
    onSettled: () => qc.invalidateQueries({ queryKey: ['rules'] }),
  });
  const run = useMutation({
    mutationFn: () => runRuleNow(rule.ruleId),
    onSettled: () => Promise.all([qc.invalidateQueries({ queryKey: ['rules'] }), qc.invalidateQueries({ queryKey: ['alerts'] })]),
  });
  const last = rule.lastRun;
  const sev = severitySchema.safeParse(rule.severity);
  return (
    <tr data-testid="rule-row" data-rule-id={rule.ruleId} data-index={index} ref={measure} aria-rowindex={index + 2}>
      {allowed.manage ? (
        <td>
          <label>
            <input type="checkbox" data-testid="rule-select" checked={selected} onChange={(e) => onSelected(e.target.checked)} />
            <span className="sr-only">{t('cat.selectRule', { name: rule.name })}</span>
          </label>
        </td>
      ) : null}
      <td>
        {allowed.manage ? (
          <label className={styles.switch}>
            <input type="checkbox" role="switch" checked={rule.enabled} disabled={toggle.isPending} onChange={(e) => toggle.mutate(e.target.checked)} />
            <span className="sr-only">{t('rules.enabledFor', { name: rule.name })}</span>
          </label>
        ) : (
          <span className="small" data-testid="rule-enabled">
            {rule.enabled ? t('rules.on') : t('rules.off')}
          </span>
        )}
        {toggle.isError ? <span className="small" role="alert"> {describeError(t, toggle.error)}</span> : null}
      </td>
      <td className={styles.ruleCell}>
        <Link href={`/rules/${encodeURIComponent(rule.ruleId)}`}>{rule.name}</Link> <span className="muted small">v{rule.version ?? '?'}</span>
        <div className={`small muted ${styles.meta}`}>
          {!rule.supported ? <span className="chip">{t('cat.notSupported', { type: rule.type })}</span> : null}
          {rule.deprecated ? <span className="chip">{t('cat.deprecatedChip')}</span> : null}
          {rule.os.map((o) => (
            <span key={`os-${o}`} className="chip">
              {o}
            </span>
          ))}
          {rule.dataSources.slice(0, 3).map((d) => (
            <span key={`ds-${d}`} className="chip">
              {d}
            </span>
          ))}
          {rule.mitre.length ? <span>{[...new Set(rule.mitre.map((m) => m.techniqueId ?? m.tacticId))].slice(0, 4).join(' ')}</span> : null}
        </div>
      </td>
      <td>{sev.success ? <SeverityBadge severity={sev.data} /> : rule.severity}</td>
      <td className="small">
        {rule.running ? (
          t('rules.running')
        ) : last ? (
          <>
            <div>
              {t('cat.runFigures', { ms: last.durationMs ?? '—', hits: last.hits, alerts: last.alertsCreated })} · {runStatus(t, last.status)}
            </div>
            <div className="muted">
              <Timestamp iso={last.from} /> → <Timestamp iso={last.to} />
            </div>
            {last.error ? (
              <div className={styles.error} title={last.error}>
                {last.error}
              </div>
            ) : null}
          </>
        ) : (
          <span className="muted">{t('rules.neverRun')}</span>
        )}
        {rule.consecutiveFailures > 0 ? <div>{t('rules.failures', { count: rule.consecutiveFailures })}</div> : null}
        {rule.pendingGap ? (
          <div>
            {t('rules.pendingGap')}: <Timestamp iso={rule.pendingGap.from} /> → <Timestamp iso={rule.pendingGap.to} />
          </div>
        ) : null}
      </td>
      <td className="mono">{rule.alertCount}</td>
      <td>
        <span className="actions">
          {allowed.manage && rule.supported ? (
            <button type="button" onClick={() => run.mutate()} disabled={run.isPending} aria-label={t('rules.runNowFor', { name: rule.name })}>
              {run.isPending ? t('rules.runningNow') : t('rules.runNow')}
            </button>
          ) : null}
          <button type="button" onClick={onExpand} aria-expanded={expanded}>
            {allowed.manage ? t('rules.backfillAndExceptions') : t('rules.exceptionsButton')}
            <span className="sr-only">: {rule.name}</span>
          </button>
        </span>
        {run.isError ? (
          <div className="small" role="alert">
            {describeError(t, run.error)}
          </div>
        ) : run.data ? (
          <div className="small" role="status">
            {t('rules.ran', { hits: run.data.run.hits, alerts: run.data.run.alertsCreated })}
          </div>
        ) : null}
      </td>
    </tr>
  );
}

function toLocalInput(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function RuleDetail({ rule, allowed }: { rule: RuleListItem; allowed: RulePermissions }) {
  return (
    <div className="form-grid" style={{ padding: '0.4rem 0' }}>
      {allowed.manage ? <Backfill rule={rule} /> : null}
      <Exceptions rule={rule} canDelete={allowed.deleteException} />
    </div>
  );
}

function Backfill({ rule }: { rule: RuleListItem }) {
  const t = useT();
  const qc = useQueryClient();
  const [from, setFrom] = useState(() => toLocalInput(new Date(Date.now() - 24 * 3600_000)));
  const [to, setTo] = useState(() => toLocalInput(new Date()));
  const [formError, setFormError] = useState<string | null>(null);
  const start = useMutation({
    mutationFn: (w: { from: string; to: string }) => startBackfill(rule.ruleId, w),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['rules', 'backfill', rule.ruleId] }),
  });
  const progress = useQuery(backfillProgressQuery(rule.ruleId));
  const b = progress.data?.backfill;
  return (
    <section aria-label={t('rules.backfillFor', { name: rule.name })}>
      <h3>{t('rules.backfill')}</h3>
      <form
        className="toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          const f = new Date(from);
          const end = new Date(to);
          if (Number.isNaN(f.getTime()) || Number.isNaN(end.getTime()) || f >= end) {
            setFormError(t('rules.startBeforeEnd'));
            return;
          }
          setFormError(null);
          start.mutate({ from: f.toISOString(), to: end.toISOString() });
        }}
      >
        <label className="field">
          <span>{t('rules.from')}</span>
          <input type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} />
        </label>
        <label className="field">
          <span>{t('rules.to')}</span>
          <input type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} />
        </label>
        <button type="submit" disabled={start.isPending}>
          {t('rules.startBackfill')}
        </button>
      </form>
      {formError ? (
        <p className="error-box" role="alert">
          {formError}
        </p>
      ) : null}
      {start.isError ? <ErrorBox title={t('rules.backfillNotStarted')} error={start.error} /> : null}
      {progress.isError ? <ErrorBox title={t('rules.noProgress')} error={progress.error} /> : null}
      {b ? (
        <div role="status" aria-live="polite" className="small">
          <progress max={Math.max(1, b.totalChunks)} value={b.doneChunks} aria-label={t('rules.backfillProgress')} /> {t('rules.windows', { done: b.doneChunks, total: b.totalChunks })} ·{' '}
          {t('rules.alertsCount', { count: b.alertsCreated })} · {runStatus(t, b.status)} (<Timestamp iso={b.range.from} /> → <Timestamp iso={b.range.to} />)
          {b.errors.map((e, i) => (
            <div key={i} role="alert">
              {e.window.from} → {e.window.to}: {e.message}
            </div>
          ))}
        </div>
      ) : null}
    </section>
  );
}

function Exceptions({ rule, canDelete }: { rule: RuleListItem; canDelete: boolean }) {
  const t = useT();
  const qc = useQueryClient();
  const exceptions = useQuery(ruleExceptionsQuery(rule.ruleId));
  const remove = useMutation({
    mutationFn: (id: string) => deleteException(rule.ruleId, id),
    onSettled: () => qc.invalidateQueries({ queryKey: ['rules', 'exceptions', rule.ruleId] }),
  });
  return (
    <section aria-label={t('rules.exceptionsFor', { name: rule.name })}>
      <h3>{t('rules.exceptions')}</h3>
      {exceptions.isError ? <ErrorBox title={t('rules.exceptionsError')} error={exceptions.error} /> : null}
      {exceptions.data && exceptions.data.items.length === 0 ? <p className="small muted">{t('rules.noExceptions')}</p> : null}
      {exceptions.data && exceptions.data.items.length ? (
        <table className="data">
          <thead>
            <tr>
              <th scope="col">{t('rules.entries')}</th>
              <th scope="col">{t('rules.comment')}</th>
              <th scope="col">{t('rules.expires')}</th>
              <th scope="col">{t('rules.created')}</th>
              <th scope="col">{t('rules.state')}</th>
              {canDelete ? (
                <th scope="col">
                  <span className="sr-only">{t('rules.remove')}</span>
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody>
            {exceptions.data.items.map((x) => (
              <tr key={x.id} data-testid="exception-row">
                <td className="mono">
                  {x.entries.map((e, i) => (
                    <div key={i}>
                      {e.field} {e.negate ? `${t('op.not')} ` : ''}
                      {t(`op.${e.operator}`)} {e.values.join(', ')}
                    </div>
                  ))}
                </td>
                <td style={{ whiteSpace: 'pre-wrap' }}>{x.comment}</td>
                <td>{x.expiresAt ? <Timestamp iso={x.expiresAt} /> : t('common.never')}</td>
                <td>
                  {x.createdBy} · <Timestamp iso={x.createdAt} />
                </td>
                <td>
                  <ExceptionState x={x} /> <DecisionButtons x={x} ruleName={rule.name} />
                </td>
                {canDelete ? (
                  <td>
                    <button type="button" className="danger" onClick={() => remove.mutate(x.id)} disabled={remove.isPending} aria-label={t('rules.removeException', { id: x.id })}>
                      {t('rules.remove')}
                    </button>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {remove.isError ? <ErrorBox title={t('rules.removeError')} error={remove.error} /> : null}
    </section>
  );
}
