/** The kinds of evidence a guide step can show beside it (no imports: the client bundle uses it too). */
export const EVIDENCE_KINDS = [
  'process_tree',
  'related_alerts',
  'process_activity',
  'network',
  'dns',
  'registry',
  'file',
  'logons',
  'hash',
  'osquery',
  'investigate',
  'prevalence',
  'none',
] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];
