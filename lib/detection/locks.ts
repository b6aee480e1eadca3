/**
 * In-process lock per rule: one run at a time per rule inside this process (scheduled,
 * backfill, manual, CLI). Across processes the `rule_state` lease does the same.
 */
const held = new Set<string>();

/** Take the lock; false when it is already held. */
export function tryLockRule(ruleId: string): boolean {
  if (held.has(ruleId)) return false;
  held.add(ruleId);
  return true;
}

export function unlockRule(ruleId: string): void {
  held.delete(ruleId);
}

export function isRuleLocked(ruleId: string): boolean {
  return held.has(ruleId);
}
