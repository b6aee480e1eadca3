'use client';

import { useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { alertSiblingsQuery } from '@/lib/queries/alerts';
import type { ProcessNodeValue, ProcessTreeValue } from '@/lib/contracts/evidence';
import { nestTree, type TreeNode } from '@/lib/contracts/process-tree';
import { Timestamp } from '@/components/ui/timestamp';
import { CopyButton } from '@/components/ui/copy-button';

function flattenVisible(root: TreeNode, collapsed: Set<string>, depth = 1, parent: string | null = null): { t: TreeNode; depth: number; parent: string | null }[] {
  const out = [{ t: root, depth, parent }];
  if (!collapsed.has(root.key)) for (const c of root.children) out.push(...flattenVisible(c, collapsed, depth + 1, root.key));
  return out;
}

function label(n: ProcessNodeValue): string {
  return `${n.name ?? n.executable ?? 'unknown process'}${n.pid !== null ? ` (pid ${n.pid})` : ''}`;
}

export function ProcessTreeView({ tree, alertId }: { tree: ProcessTreeValue; alertId?: string }) {
  const root = useMemo(() => nestTree(tree), [tree]);
  const [collapsed, setCollapsed] = useState<Set<string>>(new Set());
  const [selected, setSelected] = useState<string>('subject');
  const refs = useRef(new Map<string, HTMLLIElement>());
  const visible = flattenVisible(root, collapsed);

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

  const render = (t: TreeNode, depth: number) => {
    const n = t.node;
    const expanded = t.children.length ? !collapsed.has(t.key) : undefined;
    const cls = ['tree-node', n.role === 'subject' ? 'node-subject' : '', n.stub ? 'node-stub' : ''].join(' ');
    return (
      <li
        key={t.key}
        ref={(el) => {
          if (el) refs.current.set(t.key, el);
          else refs.current.delete(t.key);
        }}
        role="treeitem"
        aria-level={depth}
        aria-expanded={expanded}
        aria-selected={selected === t.key}
        tabIndex={selected === t.key ? 0 : -1}
        className={cls}
        data-role={n.role}
        data-testid="tree-node"
        onClick={(e) => {
          e.stopPropagation();
          setSelected(t.key);
        }}
      >
        <span className="node-label">
          {t.children.length ? <span aria-hidden="true">{expanded ? '▾' : '▸'}</span> : <span aria-hidden="true">·</span>}
          <span className="mono">{label(n)}</span>
          {n.role === 'subject' ? <span className="chip">subject</span> : null}
          {n.stub ? <span className="chip">not in data</span> : null}
          {n.codeSignature && n.codeSignature.trusted === false ? <span className="chip">unsigned/untrusted</span> : null}
          {n.hostPrevalence !== null ? <span className="small muted">{n.hostPrevalence} host{n.hostPrevalence === 1 ? '' : 's'}</span> : null}
        </span>
        {t.children.length && expanded ? <ul role="group">{t.children.map((c) => render(c, depth + 1))}</ul> : null}
      </li>
    );
  };

  return (
    <section aria-label="Process tree" className="group">
      <h3>Process tree {tree.hostName ? <span className="muted small">on {tree.hostName}</span> : null}</h3>
      <p className="small muted">
        {tree.ancestors.length} ancestor{tree.ancestors.length === 1 ? '' : 's'}, {tree.descendants.length} descendant{tree.descendants.length === 1 ? '' : 's'}. Arrow keys move; left/right fold.
      </p>
      <ul role="tree" aria-label="Process tree of the alert" className="tree" onKeyDown={onKey} data-testid="process-tree">
        {render(root, 1)}
      </ul>
      {tree.cuts.map((c, i) => (
        <p key={i} className="cut-note" data-testid="tree-cut">
          Tree cut at {c.where}: {c.detail}
        </p>
      ))}
      {alertId ? <Siblings alertId={alertId} /> : null}
      <NodeDetail node={selectedNode} />
    </section>
  );
}

/** The subject's siblings (other children of its parent), fetched only when asked for. */
function Siblings({ alertId }: { alertId: string }) {
  const [open, setOpen] = useState(false);
  const siblings = useQuery(alertSiblingsQuery(alertId, open));
  return (
    <div className="siblings" data-testid="siblings">
      <button type="button" aria-expanded={open} onClick={() => setOpen(!open)}>
        {open ? 'Hide siblings' : 'Show siblings'}
      </button>
      {open && siblings.isPending ? <p className="muted small">Looking for the parent&apos;s other children…</p> : null}
      {open && siblings.isError ? <p className="small">Could not list the siblings: {siblings.error.message}</p> : null}
      {open && siblings.data ? (
        siblings.data.items.length ? (
          <ul aria-label="Sibling processes" className="small">
            {siblings.data.items.map((n, i) => (
              <li key={n.entityId ?? i}>
                <span className="mono">{label(n)}</span>
                {n.commandLine ? <span className="muted"> — {n.commandLine}</span> : null}
              </li>
            ))}
          </ul>
        ) : (
          <p className="small muted">No other children of the parent in the data.</p>
        )
      ) : null}
      {open && siblings.data?.cut ? <p className="cut-note">{siblings.data.cut.detail}</p> : null}
    </div>
  );
}

function NodeDetail({ node }: { node: ProcessNodeValue }) {
  const rows: [string, string | null][] = [
    ['Name', node.name],
    ['PID', node.pid === null ? null : String(node.pid)],
    ['Entity id', node.entityId],
    ['Executable', node.executable],
    ['Command line', node.commandLine],
    ['User', node.user],
    ['Signature', node.codeSignature ? `${node.codeSignature.subjectName ?? 'no subject'} · ${node.codeSignature.trusted ? 'trusted' : node.codeSignature.trusted === false ? 'not trusted' : 'trust unknown'}${node.codeSignature.status ? ` · ${node.codeSignature.status}` : ''}` : null],
    ['SHA-256', node.hashes.sha256 ?? null],
    ['SHA-1', node.hashes.sha1 ?? null],
    ['MD5', node.hashes.md5 ?? null],
    ['Hosts that ran it', node.hostPrevalence === null ? null : String(node.hostPrevalence)],
  ];
  return (
    <dl className="node-detail" aria-label="Selected process" data-testid="node-detail">
      {rows
        .filter(([, v]) => v !== null && v !== '')
        .map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>
              {v} {k === 'Command line' || k === 'SHA-256' || k === 'Entity id' ? <CopyButton text={v ?? ''} label={`Copy ${k}`} /> : null}
            </dd>
          </div>
        ))}
      <div>
        <dt>Started</dt>
        <dd>
          <Timestamp iso={node.startTime} />
        </dd>
      </div>
    </dl>
  );
}
