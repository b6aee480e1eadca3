import { describe, expect, it } from 'vitest';
import { relatedReasonsText } from '@/components/evidence/related-alerts';
import type { Translate } from '@/lib/i18n';
import { translate } from '@/lib/i18n/dictionaries';

const zh: Translate = (key, vars) => translate('zh', key, vars);
const item = {
  id: 'x',
  ruleId: 'r',
  ruleName: 'rule',
  severity: 'high' as const,
  riskScore: 73,
  timestamp: '2026-12-01T00:00:00Z',
  status: 'open' as const,
  hostName: 'ws-01',
  userName: 'jdoe',
  processName: 'lsass.exe',
  filePath: null,
  reasons: ['same_host', 'same_process_tree', 'something_new'],
  later: false,
  offsetMs: -60_000,
  explanations: ['same host ws-01', "process E3 is in this alert's process tree", 'a reason the UI does not know'],
};

describe('why a related alert is related', () => {
  it('keeps the server’s English sentences in English', () => {
    expect(relatedReasonsText(zh, false, item)).toBe("same host ws-01; process E3 is in this alert's process tree; a reason the UI does not know");
  });
  it('translates each known reason with the alert’s own host/user/process, and keeps an unknown one as the server wrote it', () => {
    expect(relatedReasonsText(zh, true, item)).toBe('同一主机 ws-01；位于此告警的进程树中（lsass.exe）；a reason the UI does not know');
  });
});
