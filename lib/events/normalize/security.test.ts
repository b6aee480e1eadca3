import { describe, expect, it } from 'vitest';
import { auditOutcome, SECURITY_EVENTS } from './security';

describe('auditOutcome: audit success / failure from a record keywords', () => {
  it.each([
    ['0x8020000000000000', 'success'],
    ['0x8010000000000000', 'failure'],
    ['0x8000000000000000', undefined],
    ['-9214364837600034816', 'success'], // 0x8020000000000000 as a signed 64-bit decimal
    [['Audit Success'], 'success'],
    ['Audit Failure', 'failure'],
    ['Classic', undefined],
    ['', undefined],
    [undefined, undefined],
  ])('%j → %s', (keywords, outcome) => {
    expect(auditOutcome(keywords)).toBe(outcome);
  });
});

describe('SECURITY_EVENTS', () => {
  it('categories and types are ECS allowed values', () => {
    const categories = new Set(['authentication', 'configuration', 'driver', 'file', 'iam', 'network', 'process', 'registry', 'session']);
    const types = new Set(['access', 'admin', 'change', 'creation', 'deletion', 'end', 'group', 'info', 'start', 'user']);
    for (const [id, k] of Object.entries(SECURITY_EVENTS)) {
      for (const c of k.category) expect(categories.has(c), `${id} ${c}`).toBe(true);
      for (const t of k.type) expect(types.has(t), `${id} ${t}`).toBe(true);
      expect(k.action, id).toMatch(/^[a-z-]+$/);
    }
  });
});
