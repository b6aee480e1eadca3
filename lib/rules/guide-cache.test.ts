import { describe, expect, it } from 'vitest';
import { guideForRule } from './guide-cache';

describe('guideForRule', () => {
  const rule = { rule_id: 'r1', version: 1, note: '### Investigation steps\n\n- Check the parent process tree.\n' };
  it('builds once per rule version and note', () => {
    const a = guideForRule(rule);
    expect(a?.guide.stepCount).toBe(1);
    expect(Object.values(a?.evidence ?? {})).toEqual([['process_tree']]);
    expect(guideForRule({ ...rule })).toBe(a);
    const b = guideForRule({ ...rule, note: `${rule.note}- Check DNS.\n` });
    expect(b).not.toBe(a);
    expect(b?.guide.stepCount).toBe(2);
  });
  it('no note, no guide', () => {
    expect(guideForRule({ rule_id: 'r2', version: 1, note: null })).toBeNull();
  });
});
