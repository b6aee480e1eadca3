/**
 * The incident's response & remediation checklist: once per incident (not once per alert),
 * an owner per step. Step texts are in lib/i18n (incidents.step.<id>).
 */
export const RESPONSE_STEPS = ['scope', 'contain', 'credentials', 'eradicate', 'recover', 'notify', 'lessons'] as const;
export type ResponseStepId = (typeof RESPONSE_STEPS)[number];
