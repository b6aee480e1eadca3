/**
 * Which evidence goes beside which guide step: a rule-agnostic matcher over the step's text
 * (and its labelled details), plus per-rule overrides kept as data in
 * `evidence-overrides.json` ({ "<rule_id>": { "<step id>": { "kinds": [...], "mode": "replace" | "add" } } }).
 * Pure: no I/O beyond the bundled JSON.
 */
import { z } from 'zod';
import overridesJson from './evidence-overrides.json';
import { flattenSteps, plain, type Guide, type GuideStep } from './guide';

import { EVIDENCE_KINDS, type EvidenceKind } from './evidence-kinds';

export { EVIDENCE_KINDS, type EvidenceKind };

const evidenceKindSchema = z.enum(EVIDENCE_KINDS);

export const overridesSchema = z.record(
  z.string(),
  z.record(
    z.string(),
    z.object({
      kinds: z.array(evidenceKindSchema),
      mode: z.enum(['replace', 'add']).default('replace'),
    }),
  ),
);
export type EvidenceOverrides = z.infer<typeof overridesSchema>;

/** The bundled overrides, validated once. */
export const BUNDLED_OVERRIDES: EvidenceOverrides = overridesSchema.parse(overridesJson);

/** Text patterns → evidence kinds. Matched against the lower-cased step text and details. */
export const EVIDENCE_PATTERNS: readonly { kind: EvidenceKind; pattern: RegExp }[] = [
  {
    kind: 'process_tree',
    pattern:
      /process (execution )?(chain|tree)|execution chain|parent process|process\.parent|\bparent\b|ancestr|lineage|grandparent|spawned by|launch(ed)? (and user )?context|parent-child|parentage/,
  },
  {
    kind: 'process_activity',
    pattern:
      /child process|spawn|subject process|abnormal behaviou?r|command[- ]line|process\.command_line|process activity|process(es)? (start|started|executed|created|launched)|follow-on|execution target|same-writer|processes? (in|from) the (process )?tree|process\.entity_id/,
  },
  {
    kind: 'related_alerts',
    pattern:
      /other alerts|related alerts|prior alerts|previous alerts|alerts? (associated|for the|from the|on the|involving|related|triggered|generated)|(past|last|previous) \d+ ?(hours|hrs|days|h\b)|48 hours|24 hours|recur|other (security )?(alerts|detections)|\balerts\b/,
  },
  {
    kind: 'network',
    pattern:
      /network|connection|\bip address|external (domains?|address|hosts?|ip)|remote (host|address|ip|server|system)|\bc2\b|command[- ]and[- ]control|egress|outbound|inbound|destination\.(ip|address|port)|source\.ip|\bports?\b|\burls?\b|download|beacon/,
  },
  { kind: 'dns', pattern: /\bdns\b|dns\.question|domain names?|\bdomains?\b|resolved (to|ip)/ },
  { kind: 'registry', pattern: /registry|\bregedit\b|\breg(\.exe)?\b|run keys?|hklm|hkcu/ },
  {
    kind: 'file',
    pattern:
      /\bfiles?\b|file\.(path|name|extension)|written|dropped|artifact|\bdll\b|executable|staged|\bpaths?\b|director(y|ies)|folder/,
  },
  {
    kind: 'logons',
    pattern:
      /logon|log-on|log on|login|log in|sign-?ins?|authenticat|\b46(24|25|34|48|72)\b|credential|compromised accounts?|account activity|\brdp\b|user (account|context|session)|user\.(name|id)|service accounts?|identity of the (user|account)/,
  },
  {
    kind: 'hash',
    pattern:
      /hash|sha-?256|sha-?1\b|\bmd5\b|virustotal|reputation|get-filehash|code[_ ]signature|signature|\bsigned\b|unsigned|signer|sandbox|hybrid-analysis|malware analysis/,
  },
  {
    kind: 'prevalence',
    pattern:
      /prevalen|how many hosts|other hosts|multiple hosts|across (the )?(environment|hosts|fleet|organi[sz]ation|endpoints)|\brare\b|uncommon|first[- ]seen|frequency|baseline|commonly (used|seen)/,
  },
];

/** The text the matcher reads for a step: its own line and its details (not its child steps). */
export function stepMatchText(step: GuideStep): string {
  return [step.text, ...step.details.map((d) => `${d.label ?? ''} ${plain(d.spans)}`)].join('\n').toLowerCase();
}

/** Rule-agnostic evidence kinds for one step (never empty: `['none']` when nothing matches). */
export function matchStepEvidence(step: GuideStep): EvidenceKind[] {
  const text = stepMatchText(step);
  const kinds: EvidenceKind[] = [];
  for (const { kind, pattern } of EVIDENCE_PATTERNS) if (pattern.test(text)) kinds.push(kind);
  if (step.osquery.length > 0) kinds.push('osquery');
  if (step.investigate.length > 0) kinds.push('investigate');
  return kinds.length > 0 ? kinds : ['none'];
}

function order(kinds: Iterable<EvidenceKind>): EvidenceKind[] {
  const set = new Set(kinds);
  const real = EVIDENCE_KINDS.filter((k) => k !== 'none' && set.has(k));
  return real.length > 0 ? real : ['none'];
}

/**
 * Evidence kinds for every step of a guide (keyed by step id), with the rule's overrides applied.
 * Blocks (osquery / investigate) always stay with the step that holds them.
 */
export function matchGuideEvidence(
  guide: Guide,
  ruleId?: string,
  overrides: EvidenceOverrides = BUNDLED_OVERRIDES,
): Map<string, EvidenceKind[]> {
  const out = new Map<string, EvidenceKind[]>();
  const ruleOverrides = ruleId ? overrides[ruleId] : undefined;
  for (const step of flattenSteps(guide)) {
    const matched = matchStepEvidence(step);
    const o = ruleOverrides?.[step.id];
    let kinds: EvidenceKind[];
    if (!o) kinds = matched;
    else if (o.mode === 'add') kinds = order([...matched, ...o.kinds]);
    else {
      const blocks: EvidenceKind[] = [];
      if (step.osquery.length > 0) blocks.push('osquery');
      if (step.investigate.length > 0) blocks.push('investigate');
      kinds = order([...o.kinds, ...blocks]);
    }
    out.set(step.id, order(kinds));
  }
  // No step asks for anything the data can answer: the first step gets the related alerts,
  // which every alert has, so no guide is left without evidence.
  if ([...out.values()].every((k) => k[0] === 'none')) {
    const first = flattenSteps(guide)[0];
    if (first) out.set(first.id, ['related_alerts']);
  }
  return out;
}

/** Override entries whose step id is not in the guide (stale after a rule upgrade). */
export function staleOverrides(guide: Guide, ruleId: string, overrides: EvidenceOverrides = BUNDLED_OVERRIDES): string[] {
  const ids = new Set(flattenSteps(guide).map((s) => s.id));
  return Object.keys(overrides[ruleId] ?? {}).filter((id) => !ids.has(id));
}
