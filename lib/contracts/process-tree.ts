import type { ProcessNodeValue, ProcessTreeValue } from './evidence';

export interface TreeNode {
  key: string;
  node: ProcessNodeValue;
  children: TreeNode[];
}

/**
 * The process tree as one nested structure: ancestors (root first) → subject → descendants,
 * nested by their children's entity ids. A descendant listed under two parents appears once.
 */
export function nestTree(tree: ProcessTreeValue): TreeNode {
  const byId = new Map<string, ProcessNodeValue>();
  for (const d of tree.descendants) if (d.entityId) byId.set(d.entityId, d);
  const seen = new Set<string>();
  const build = (node: ProcessNodeValue, key: string): TreeNode => {
    const children: TreeNode[] = [];
    for (const id of node.children) {
      const child = byId.get(id);
      if (child && !seen.has(id)) {
        seen.add(id);
        children.push(build(child, `d-${id}`));
      }
    }
    return { key, node, children };
  };
  let current = build(tree.subject, 'subject');
  for (let i = tree.ancestors.length - 1; i >= 0; i--) {
    current = { key: `a-${i}`, node: tree.ancestors[i]!, children: [current] };
  }
  return current;
}
