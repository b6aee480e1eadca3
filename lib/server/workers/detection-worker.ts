/**
 * The detection worker (started by detection-driver.ts through spawn.ts): runs detection off
 * the web process's thread, with its own connections — events.db through its own event
 * source, app.db through its own `getDb()` (WAL, busy_timeout) — so a cycle's reads, its
 * decoded events and its writes never hold the web thread or grow the web heap. It serves
 * scheduler cycles (the scheduler lives here between requests: its incident grouping once per
 * cycle, its run-record pruning and its state stay with it), "run now" of one rule, and
 * backfills with progress (cancelled by id). The grouping writes app.db in short transactions
 * with pauses between them (`groupUngroupedAlertsPaced`), so an analyst's write, or the web
 * thread's, never waits on it for long.
 */
import { threadId } from 'node:worker_threads';
import { getEventSource } from '@/lib/events';
import { Scheduler } from '@/lib/detection/scheduler';
import { groupUngroupedAlertsPaced } from '@/lib/incidents/grouping';
import { getRule } from '@/lib/detection/rules';
import { runRule } from '@/lib/detection/run';
import { runBackfill, type BackfillProgress } from '@/lib/detection/backfill';
import type { Alert } from '@/lib/detection/types';
import type { Rule } from '@/lib/rules/model';
import { serveRequests } from './serve';
import { detectionRequestSchema, type DetectionRequest, type DetectionResponse } from './detection-protocol';

const log = (m: string) => console.error(`[guidepost] ${m}`);

/** the scheduler of the enabled rules (kept across cycles) */
let scheduled: Scheduler | null = null;
const backfills = new Map<string, AbortController>();

function rulesOf(ids: string[]): Rule[] {
  return ids.map((id) => {
    const r = getRule(id);
    if (!r) throw Object.assign(new Error(`unknown rule id ${id}`), { code: 'invalid_request' });
    return r;
  });
}

const created = (alerts: Alert[]) =>
  alerts.map((a) => ({
    id: a.id,
    ruleId: a.ruleId,
    event: { _index: a.event._index, _id: a.event._id },
    sequenceEvents: a.sequenceEvents ? a.sequenceEvents.map((e) => ({ _index: e._index, _id: e._id })) : null,
  }));

serveRequests<DetectionRequest, DetectionResponse, BackfillProgress>(detectionRequestSchema, async (req, ctx) => {
  switch (req.type) {
    case 'cycle': {
      let scheduler: Scheduler;
      const chunks = req.maxChunksPerTick ? { maxChunksPerTick: req.maxChunksPerTick } : {};
      if (req.ruleIds) {
        const rules = rulesOf(req.ruleIds);
        scheduler = new Scheduler({ source: () => getEventSource(), rules: () => rules, log, groupAlerts: groupUngroupedAlertsPaced, ...chunks });
      } else if (req.maxChunksPerTick) scheduler = new Scheduler({ source: () => getEventSource(), log, groupAlerts: groupUngroupedAlertsPaced, ...chunks });
      else scheduler = scheduled ??= new Scheduler({ source: () => getEventSource(), log, groupAlerts: groupUngroupedAlertsPaced });
      const report = await scheduler.tick({ force: req.force ?? false });
      return {
        kind: 'cycle',
        at: report.at,
        interrupted: report.interrupted,
        runs: report.runs.map((r) => ({ ruleId: r.ruleId, window: r.window, created: created(r.outcome.created), error: r.outcome.error ? r.outcome.error.message : null })),
        cycle: report.cycle,
        threadId,
        heapUsedMiB: Math.round(process.memoryUsage().heapUsed / 1048576),
      };
    }
    case 'run': {
      const [rule] = rulesOf([req.ruleId]);
      const outcome = await runRule(rule!, req.window, { source: getEventSource(), trigger: 'manual' });
      return { kind: 'run', runId: outcome.run?.id ?? null, created: created(outcome.created), busy: outcome.busy, error: outcome.error?.message ?? null };
    }
    case 'backfill': {
      const rules = rulesOf(req.ruleIds);
      const controller = new AbortController();
      backfills.set(req.id, controller);
      try {
        const start: BackfillProgress = { id: req.id, ruleIds: req.ruleIds, range: req.range, status: 'running', doneChunks: 0, totalChunks: 0, alertsCreated: 0, errors: [], startedAt: new Date().toISOString(), finishedAt: null };
        const p = await runBackfill(rules, req.range, { source: getEventSource(), trigger: req.trigger, signal: controller.signal, onProgress: (x) => ctx.progress(x) }, start);
        return { kind: 'backfill', ...p };
      } finally {
        backfills.delete(req.id);
      }
    }
    case 'cancel-backfill': {
      const c = backfills.get(req.id);
      c?.abort();
      return { kind: 'cancel-backfill', cancelled: c !== undefined };
    }
    case 'group': {
      const { getDb } = await import('@/lib/store/db');
      return { kind: 'group', grouped: (await groupUngroupedAlertsPaced(getDb())).grouped };
    }
  }
});
