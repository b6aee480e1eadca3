/** Queue alerts for tests: numbered, with statuses, severities, assignees, hosts and times spread over a cycle. */
import type { NewAlert } from '@/lib/store/alerts';

export function queueAlert(i: number, over: Partial<NewAlert> = {}): NewAlert {
  const ts = new Date(Date.UTC(2026, 0, 1, 0, i % 50)).toISOString();
  return {
    id: `a${String(i).padStart(3, '0')}`,
    dedupKey: `k${i}`,
    ruleId: i % 3 ? 'r1' : 'r2',
    ruleVersion: 1,
    ruleName: i % 3 ? 'Rule one' : 'Rule two',
    severity: (['low', 'medium', 'high', 'critical'] as const)[i % 4]!,
    riskScore: (i * 7) % 100,
    mitre: [],
    event: { _index: 'idx', _id: `e${i}`, _source: { host: { name: `h${i % 5}` } } },
    sequenceEvents: null,
    timestamp: ts,
    createdAt: ts,
    runId: 'run',
    status: (['open', 'acknowledged', 'closed'] as const)[i % 3]!,
    verdict: null,
    assignee: i % 4 === 0 ? 'ana' : i % 4 === 1 ? 'bob' : null,
    hostName: `h${i % 5}`,
    userName: `u${i % 2}`,
    processName: 'p.exe',
    processEntityId: `pe${i}`,
    filePath: null,
    version: 1,
    ...over,
  };
}
