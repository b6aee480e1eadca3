import type { ProcessNodeValue } from './evidence';

/** What nesting needs of a process node (the API's value and lib/investigation's node both fit). */
export interface NestableNode {
  entityId: string | null;
  children: readonly string[];
}

export interface TreeNode<N extends NestableNode = ProcessNodeValue> {
  key: string;
  node: N;
  children: TreeNode<N>[];
}

/**
 * The process tree as one nested structure: ancestors (root first) → subject → descendants,
 * nested by their children's entity ids. A descendant listed under two parents appears once.
 */
export function nestTree<N extends NestableNode>(tree: { ancestors: readonly N[]; subject: N; descendants: readonly N[] }): TreeNode<N> {
  const byId = new Map<string, N>();
  for (const d of tree.descendants) if (d.entityId) byId.set(d.entityId, d);
  const seen = new Set<string>();
  const build = (node: N, key: string): TreeNode<N> => {
    const children: TreeNode<N>[] = [];
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
