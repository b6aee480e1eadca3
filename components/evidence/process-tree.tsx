'use client';

import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { alertSiblingsQuery } from '@/lib/queries/alerts';
import type { ProcessNodeValue, ProcessTreeValue } from '@/lib/contracts/evidence';
import { nestTree, type TreeNode } from '@/lib/contracts/process-tree';
import { Timestamp } from '@/components/ui/timestamp';
import { CopyButton } from '@/components/ui/copy-button';
import { useT } from '@/components/i18n/use-t';
import { signatureText } from './file-evidence';
import type { MessageKey, Translate } from '@/lib/i18n';

function flattenVisible(root: TreeNode, collapsed: Set<string>, depth = 1, parent: string | null = null): { t: TreeNode; depth: number; parent: string | null }[] {
  const out = [{ t: root, depth, parent }];
  if (!collapsed.has(root.key)) for (const c of root.children) out.push(...flattenVisible(c, collapsed, depth + 1, root.key));
  return out;
}

function label(t: Translate, n: ProcessNodeValue): string {
  return `${n.name ?? n.executable ?? t('tree.unknownProcess')}${n.pid !== null ? ` (pid ${n.pid})` : ''}`;
}

/** Keys from the root down to the node of `entityId` (null when the tree has no such node). */
export function pathToEntity(root: TreeNode, entityId: string): string[] | null {
  if (root.node.entityId === entityId) return [root.key];
  for (const c of root.children) {
    const p = pathToEntity(c, entityId);
    if (p) return [root.key, ...p];
  }
  return null;
}

const CUT_REASONS = ['depth', 'limit', 'parent_outside_data', 'window', 'no_entity_id', 'lineage_limit'] as const;
/** Why the tree is cut, in the user's language (a reason the page does not know: the server's words). */
export function cutText(t: Translate, c: { where: string; why: string; detail: string }): string {
  const why = CUT_REASONS.find((r) => r === c.why);
  return why ? t(`tree.cut.${why}`, { where: c.where }) : t('tree.cut', { where: c.where, detail: c.detail });
}

export interface ProcessTreeViewProps {
  tree: ProcessTreeValue;
  alertId?: string;
  onDeeper?: () => void;
  /** select and focus this process (a new `n` asks again) */
  focus?: { entityId: string; n: number } | null;
  /** the processes that wrote the alert's file, marked "wrote <file>" */
  writers?: { entityIds: readonly string[]; file: string } | null;
}

export function ProcessTreeView({ tree, alertId, onDeeper, focus = null, writers = null }: ProcessTreeViewProps) {
  const t = useT();
  const root = useMemo(() => nestTree(tree), [tree]);
  const [collapsed, setCollapsed] = useState<Set<string>>(new Set());
  const [selected, setSelected] = useState<string>('subject');
  const refs = useRef(new Map<string, HTMLLIElement>());
  const visible = flattenVisible(root, collapsed);
  const fileName = writers ? (writers.file.split(/[\\/]/).pop() || writers.file) : '';

  // a process asked for from elsewhere (the timeline): open its ancestors and select it (state
  // adjusted while rendering, once per request), then focus it once it is in the page
  const [seenFocus, setSeenFocus] = useState<number | null>(null);
  if (focus && focus.n !== seenFocus) {
    setSeenFocus(focus.n);
    const path = pathToEntity(root, focus.entityId);
    if (path) {
      setCollapsed((prev) => new Set([...prev].filter((k) => !path.slice(0, -1).includes(k))));
      setSelected(path[path.length - 1]!);
    }
  }
  useEffect(() => {
    if (!focus) return;
    const key = pathToEntity(root, focus.entityId)?.pop();
    if (!key) return;
    const frame = requestAnimationFrame(() => {
      const el = refs.current.get(key);
      el?.focus();
      el?.scrollIntoView({ block: 'nearest' });
    });
    return () => cancelAnimationFrame(frame);
  }, [focus, root]);

  function focusKey(key: string) {
    setSelected(key);
    refs.current.get(key)?.focus();
  }
  function onKey(e: KeyboardEvent<HTMLUListElement>) {
    const i = visible.findIndex((v) => v.t.key === selected);
    const cur = visible[i];
    if (!cur) return;
    switch (e.key) {
      case 'ArrowDown':
        if (visible[i + 1]) focusKey(visible[i + 1]!.t.key);
        break;
      case 'ArrowUp':
        if (i > 0) focusKey(visible[i - 1]!.t.key);
        break;
      case 'ArrowRight':
        if (cur.t.children.length && collapsed.has(cur.t.key)) setCollapsed(new Set([...collapsed].filter((k) => k !== cur.t.key)));
        else if (cur.t.children[0]) focusKey(cur.t.children[0].key);
        break;
      case 'ArrowLeft':
        if (cur.t.children.length && !collapsed.has(cur.t.key)) setCollapsed(new Set([...collapsed, cur.t.key]));
        else if (cur.parent) focusKey(cur.parent);
        break;
      case 'Home':
        focusKey(visible[0]!.t.key);
        break;
      case 'End':
        focusKey(visible[visible.length - 1]!.t.key);
        break;
      default:
        return;
    }
    e.preventDefault();
  }

  const selectedNode = visible.find((v) => v.t.key === selected)?.t.node ?? tree.subject;

  const render = (tn: TreeNode, depth: number) => {
    const n = tn.node;
    const expanded = tn.children.length ? !collapsed.has(tn.key) : undefined;
    const cls = ['tree-node', n.role === 'subject' ? 'node-subject' : '', n.stub ? 'node-stub' : ''].join(' ');
    return (
      <li
        key={tn.key}
        ref={(el) => {
          if (el) refs.current.set(tn.key, el);
          else refs.current.delete(tn.key);
        }}
        role="treeitem"
        aria-level={depth}
        aria-expanded={expanded}
        aria-selected={selected === tn.key}
        tabIndex={selected === tn.key ? 0 : -1}
        className={cls}
        data-role={n.role}
        data-testid="tree-node"
        onClick={(e) => {
          e.stopPropagation();
          setSelected(tn.key);
        }}
      >
        <span className="node-label">
          {tn.children.length ? <span aria-hidden="true">{expanded ? '▾' : '▸'}</span> : <span aria-hidden="true">·</span>}
          <span className="mono">{label(t, n)}</span>
          {n.role === 'subject' ? <span className="chip">{t('tree.subject')}</span> : null}
          {n.stub ? <span className="chip">{t('tree.stub')}</span> : null}
          {n.codeSignature && n.codeSignature.trusted === false ? <span className="chip">{t('tree.untrusted')}</span> : null}
          {writers && n.entityId && writers.entityIds.includes(n.entityId) ? (
            <span className="chip" data-testid="tree-wrote" title={t('tree.wroteLabel', { file: writers.file })}>
              {t('tree.wrote', { file: fileName })}
            </span>
          ) : null}
          {n.hostPrevalence !== null ? <span className="small muted">{t('tree.hosts', { count: n.hostPrevalence })}</span> : null}
        </span>
        {tn.children.length && expanded ? <ul role="group">{tn.children.map((c) => render(c, depth + 1))}</ul> : null}
      </li>
    );
  };

  return (
    <section aria-label={t('tree.title')} className="group">
      <h3>
        {t('tree.title')} {tree.hostName ? <span className="muted small">{t('tree.on', { host: tree.hostName })}</span> : null}
      </h3>
      <p className="small muted">{t('tree.summary', { ancestors: tree.ancestors.length, descendants: tree.descendants.length })}</p>
      <ul role="tree" aria-label={t('tree.label')} className="tree" onKeyDown={onKey} data-testid="process-tree">
        {render(root, 1)}
      </ul>
      {tree.cuts.map((c, i) => (
        <p key={i} className="cut-note" data-testid="tree-cut">
          <span title={c.detail}>{cutText(t, c)}</span>
          {c.why === 'depth' && onDeeper ? (
            <>
              {' '}
              <button type="button" className="small" onClick={onDeeper} data-testid="tree-deeper">
                {t('tree.deeper')}
              </button>
            </>
          ) : null}
        </p>
      ))}
      {alertId ? <Siblings alertId={alertId} /> : null}
      <NodeDetail node={selectedNode} />
    </section>
  );
}

/** The subject's siblings (other children of its parent), fetched only when asked for. */
function Siblings({ alertId }: { alertId: string }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const siblings = useQuery(alertSiblingsQuery(alertId, open));
  return (
    <div className="siblings" data-testid="siblings">
      <button type="button" aria-expanded={open} onClick={() => setOpen(!open)}>
        {open ? t('tree.hideSiblings') : t('tree.showSiblings')}
      </button>
      {open && siblings.isPending ? <p className="muted small">{t('tree.siblingsLoading')}</p> : null}
      {open && siblings.isError ? <p className="small">{t('tree.siblingsError', { message: siblings.error.message })}</p> : null}
      {open && siblings.data ? (
        siblings.data.items.length ? (
          <ul aria-label={t('tree.siblings')} className="small">
            {siblings.data.items.map((n, i) => (
              <li key={n.entityId ?? i}>
                <span className="mono">{label(t, n)}</span>
                {n.commandLine ? <span className="muted"> — {n.commandLine}</span> : null}
              </li>
            ))}
          </ul>
        ) : (
          <p className="small muted">{t('tree.noSiblings')}</p>
        )
      ) : null}
      {open && siblings.data?.cut ? <p className="cut-note">{siblings.data.cut.detail}</p> : null}
    </div>
  );
}

/** One row of the selected process's details: its label (a message key, or a hash name kept as is), value, copyable or not. */
type NodeRow = { key: string; label: MessageKey | null; name: string; value: string | null; copy: boolean };

function NodeDetail({ node }: { node: ProcessNodeValue }) {
  const t = useT();
  const sig = node.codeSignature;
  const rows: NodeRow[] = [
    { key: 'name', label: 'node.name', name: '', value: node.name, copy: false },
    { key: 'pid', label: 'node.pid', name: '', value: node.pid === null ? null : String(node.pid), copy: false },
    { key: 'entity', label: 'node.entityId', name: '', value: node.entityId, copy: true },
    { key: 'exe', label: 'node.executable', name: '', value: node.executable, copy: false },
    { key: 'cmd', label: 'node.commandLine', name: '', value: node.commandLine, copy: true },
    { key: 'user', label: 'node.user', name: '', value: node.user, copy: false },
    { key: 'sig', label: 'node.signature', name: '', value: sig ? `${signatureText(t, sig)}${sig.status ? ` · ${sig.status}` : ''}` : null, copy: false },
    { key: 'sha256', label: null, name: 'SHA-256', value: node.hashes.sha256 ?? null, copy: true },
    { key: 'sha1', label: null, name: 'SHA-1', value: node.hashes.sha1 ?? null, copy: false },
    { key: 'md5', label: null, name: 'MD5', value: node.hashes.md5 ?? null, copy: false },
    { key: 'hosts', label: 'node.hostsRan', name: '', value: node.hostPrevalence === null ? null : String(node.hostPrevalence), copy: false },
  ];
  return (
    <dl className="node-detail" aria-label={t('node.label')} data-testid="node-detail">
      {rows
        .filter((r) => r.value !== null && r.value !== '')
        .map((r) => {
          const name = r.label ? t(r.label) : r.name;
          return (
            <div key={r.key}>
              <dt>{name}</dt>
              <dd>
                {r.value} {r.copy ? <CopyButton text={r.value ?? ''} label={t('node.copy', { what: name })} /> : null}
              </dd>
            </div>
          );
        })}
      <div>
        <dt>{t('node.started')}</dt>
        <dd>
          <Timestamp iso={node.startTime} />
        </dd>
      </div>
    </dl>
  );
}
