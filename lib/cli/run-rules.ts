/**
 * `guidepost run-rules [--rule ID]... [--from DATE --to DATE]`
 *
 * Runs detection rules and prints every alert CREATED, one JSON object a line:
 *   {"alert_id":"…","rule_id":"…","_index":"…","_id":"…"}
 * (sequence alerts add "events": [{"_index","_id"}…]). An event that already has its alert
 * prints nothing. Without --from/--to the rules run as the scheduler would now (their
 * missed range first, then [now + from, now]), and their scheduled window advances; with
 * --from/--to (ISO dates or date math such as now-3d) they run over that range in chunks
 * (a backfill, which does not move the scheduler's window). --rule picks rules (also
 * disabled ones); by default every enabled rule runs. Progress and failures go to stderr.
 * On the embedded store a cycle (or a backfill chunk) reads its events once for all rules
 * (lib/detection/engine); GUIDEPOST_DETECTION_ENGINE=per-rule makes every rule search on its own.
 * Exit 0 when every run succeeded, 1 when a run failed, 2 on bad arguments.
 */
import { z } from 'zod';
import type { Rule } from '../rules/model';
import type { EventSource } from '../events/types';
import type { Alert } from '../detection/types';
import { getRule, listEnabledRules, loadRules } from '../detection/rules';
import { Scheduler } from '../detection/scheduler';
import { groupUngroupedAlerts } from '../incidents/grouping';
import { runBackfill } from '../detection/backfill';
import { cliCommand, dateArg } from './args';

const usage = 'usage: guidepost run-rules [--rule ID]... [--from DATE --to DATE]';

const argsSchema = z
  .object({
    rule: z.array(z.string().trim().min(1, '--rule needs a rule id')).default([]),
    from: dateArg('--from').optional(),
    to: dateArg('--to').optional(),
  })
  .superRefine((a, ctx) => {
    if ((a.from === undefined) !== (a.to === undefined)) ctx.addIssue({ code: 'custom', message: '--from and --to go together' });
    if (a.from && a.to && a.to < a.from) ctx.addIssue({ code: 'custom', message: `--to (${a.to}) is before --from (${a.from})` });
  });

const cli = cliCommand('run-rules', usage);

type DocRef = { _index: string; _id: string };

export function alertLine(a: Pick<Alert, 'id' | 'ruleId'> & { event: DocRef; sequenceEvents: DocRef[] | null }): string {
  const line: Record<string, unknown> = { alert_id: a.id, rule_id: a.ruleId, _index: a.event._index, _id: a.event._id };
  if (a.sequenceEvents) line.events = a.sequenceEvents.map((e) => ({ _index: e._index, _id: e._id }));
  return JSON.stringify(line);
}

/**
 * One forced scheduler cycle of `rules`, in the detection worker as the server runs its cycles
 * (lib/server/workers/detection-driver), or in this thread with GUIDEPOST_WORKERS=off.
 */
async function scheduledCycle(rules: Rule[], source: EventSource): Promise<{ ruleId: string; created: Parameters<typeof alertLine>[0][]; error: string | null }[]> {
  const { workersEnabled } = await import('../server/workers/spawn');
  if (!workersEnabled()) {
    const scheduler = new Scheduler({
      source: () => source,
      rules: () => rules,
      maxChunksPerTick: 100_000,
      groupAlerts: groupUngroupedAlerts,
      log: (m) => console.error(`guidepost run-rules: ${m.replace(/^scheduler: /, '')}`),
    });
    const report = await scheduler.tick({ force: true });
    return report.runs.map((r) => ({ ruleId: r.ruleId, created: r.outcome.created, error: r.outcome.error?.message ?? null }));
  }
  const { runDetectionCycle, stopDetection } = await import('../server/workers/detection-driver');
  try {
    const res = await runDetectionCycle({ force: true, ruleIds: rules.map((r) => r.rule_id), maxChunksPerTick: 100_000 });
    return res.runs;
  } finally {
    await stopDetection(0);
  }
}

export async function main(argv: string[]): Promise<number> {
  const parsed = cli.parse(argv, { strings: ['from', 'to'], lists: ['rule'] });
  if (typeof parsed === 'number') return parsed;
  const args = argsSchema.safeParse({ rule: parsed.values.rule, from: parsed.values.from, to: parsed.values.to });
  if (!args.success) return cli.invalid(args.error);

  const { rules: all, errors } = loadRules();
  for (const e of errors) console.error(`guidepost run-rules: warning: ${e.message}`);
  let rules: Rule[];
  if (args.data.rule.length) {
    const unknown = args.data.rule.filter((id) => !getRule(id));
    if (unknown.length) return cli.fail(`unknown rule id ${unknown.join(', ')} (known: ${all.map((r) => r.rule_id).join(', ') || 'none'})`);
    rules = args.data.rule.map((id) => getRule(id)!);
    const notEql = rules.filter((r) => r.type !== 'eql');
    if (notEql.length) return cli.fail(`rule ${notEql.map((r) => `${r.rule_id} (type ${r.type})`).join(', ')} is not an EQL rule`);
  } else {
    rules = listEnabledRules();
  }
  if (rules.length === 0) {
    console.error('guidepost run-rules: no enabled rule to run');
    return 0;
  }

  const { getEventSource } = await import('../events');
  const source = getEventSource();
  const print = (alerts: Alert[]) => {
    for (const a of alerts) process.stdout.write(alertLine(a) + '\n');
  };

  if (args.data.from && args.data.to) {
    const p = await runBackfill(rules, { from: args.data.from, to: args.data.to }, {
      source,
      trigger: 'manual',
      onAlerts: print,
      onProgress: (x) => {
        if (x.totalChunks > 20 && x.doneChunks % 10 === 0) console.error(`guidepost run-rules: ${x.doneChunks}/${x.totalChunks} windows, ${x.alertsCreated} alerts`);
      },
    });
    const { getDb } = await import('../store/db');
    groupUngroupedAlerts(getDb());
    for (const e of p.errors) console.error(`guidepost run-rules: rule ${e.ruleId} ${e.window.from}..${e.window.to}: ${e.message}`);
    console.error(`guidepost run-rules: ${rules.length} rule(s) over ${p.range.from}..${p.range.to}: ${p.doneChunks} window(s), ${p.alertsCreated} alert(s) created, ${p.errors.length} failed`);
    return p.errors.length ? 1 : 0;
  }

  const runs = await scheduledCycle(rules, source);
  let failed = 0;
  let created = 0;
  for (const r of runs) {
    for (const a of r.created) process.stdout.write(alertLine(a) + '\n');
    created += r.created.length;
    if (r.error) failed += 1;
  }
  const busy = rules.length - new Set(runs.map((r) => r.ruleId)).size;
  if (busy > 0) console.error(`guidepost run-rules: ${busy} rule(s) not run: another run of them is in progress (or the last one failed)`);
  console.error(`guidepost run-rules: ${runs.length} window(s) run, ${created} alert(s) created, ${failed} failed`);
  return failed ? 1 : 0;
}
