/** The kinds of evidence a guide step can show beside it: defined in lib/domain/guide (the client bundle uses it too). */
export { EVIDENCE_KINDS, type EvidenceKind } from '../domain/guide';
