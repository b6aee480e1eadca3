/** Alerts for tests, as the store takes them. */
import type { NewAlert } from '@/lib/store/alerts';

/**
 * One open, unassigned alert `id` at `ts` (ISO) of rule r1 ("Rule one", high, 73), on no
 * host/user/process/file; `over` sets any column (the dedup key is the id unless given).
 */
export function testAlert(id: string, ts: string, over: Partial<NewAlert> = {}): NewAlert {
  return {
    id,
    dedupKey: id,
    ruleId: 'r1',
    ruleVersion: 1,
    ruleName: 'Rule one',
    severity: 'high',
    riskScore: 73,
    mitre: [],
    event: { _index: 'idx', _id: `e-${id}`, _source: {} },
    sequenceEvents: null,
    timestamp: ts,
    createdAt: ts,
    runId: 'run',
    status: 'open',
    verdict: null,
    assignee: null,
    hostName: null,
    userName: null,
    processName: null,
    processEntityId: null,
    filePath: null,
    version: 1,
    ...over,
  };
}

/** Queue alerts for tests: numbered, with statuses, severities, assignees, hosts and times spread over a cycle. */
export function queueAlert(i: number, over: Partial<NewAlert> = {}): NewAlert {
  return testAlert(`a${String(i).padStart(3, '0')}`, new Date(Date.UTC(2026, 0, 1, 0, i % 50)).toISOString(), {
    dedupKey: `k${i}`,
    ruleId: i % 3 ? 'r1' : 'r2',
    ruleName: i % 3 ? 'Rule one' : 'Rule two',
    severity: (['low', 'medium', 'high', 'critical'] as const)[i % 4]!,
    riskScore: (i * 7) % 100,
    event: { _index: 'idx', _id: `e${i}`, _source: { host: { name: `h${i % 5}` } } },
    status: (['open', 'acknowledged', 'closed'] as const)[i % 3]!,
    assignee: i % 4 === 0 ? 'ana' : i % 4 === 1 ? 'bob' : null,
    hostName: `h${i % 5}`,
    userName: `u${i % 2}`,
    processName: 'p.exe',
    processEntityId: `pe${i}`,
    ...over,
  });
}
