/** A process-tree node for tests: an ancestor one level up with nothing known about it, but for `over`. */
import type { ProcessNode } from '../process-tree';

export function processNode(over: Partial<ProcessNode>): ProcessNode {
  return {
    entityId: null,
    pid: null,
    name: null,
    executable: null,
    commandLine: null,
    user: null,
    startTime: null,
    codeSignature: null,
    hashes: {},
    hostPrevalence: null,
    role: 'ancestor',
    depth: -1,
    stub: false,
    event: null,
    children: [],
    ...over,
  };
}
