/**
 * The detection worker (started by detection-driver.ts through spawn.ts): runs detection
 * cycles off the web process's thread, with its own connections — events.db through its own
 * event source, app.db through its own `getDb()` (WAL, busy_timeout) — so a cycle's reads,
 * its decoded events and its writes never hold the web thread or grow the web heap. The
 * scheduler (lib/detection/scheduler) lives here between requests: its incident grouping
 * once per cycle, its run-record pruning and its state stay with it.
 */
import { threadId } from 'node:worker_threads';
import { getEventSource } from '@/lib/events';
import { Scheduler } from '@/lib/detection/scheduler';
import { getRule } from '@/lib/detection/rules';
import type { Rule } from '@/lib/rules/model';
import { serveRequests } from './serve';
import { detectionRequestSchema, type DetectionResponse } from './detection-protocol';

const log = (m: string) => console.error(`[guidepost] ${m}`);

/** the scheduler of the enabled rules (kept across cycles) */
let scheduled: Scheduler | null = null;

serveRequests<ReturnType<typeof detectionRequestSchema.parse>, DetectionResponse>(detectionRequestSchema, async (req) => {
  let scheduler: Scheduler;
  if (req.ruleIds) {
    const rules: Rule[] = [];
    for (const id of req.ruleIds) {
      const r = getRule(id);
      if (!r) throw Object.assign(new Error(`unknown rule id ${id}`), { code: 'invalid_request' });
      rules.push(r);
    }
    scheduler = new Scheduler({ source: () => getEventSource(), rules: () => rules, log, ...(req.maxChunksPerTick ? { maxChunksPerTick: req.maxChunksPerTick } : {}) });
  } else if (req.maxChunksPerTick) {
    scheduler = new Scheduler({ source: () => getEventSource(), log, maxChunksPerTick: req.maxChunksPerTick });
  } else {
    scheduler = scheduled ??= new Scheduler({ source: () => getEventSource(), log });
  }
  const report = await scheduler.tick({ force: req.force ?? false });
  return {
    at: report.at,
    interrupted: report.interrupted,
    runs: report.runs.map((r) => ({ ruleId: r.ruleId, window: r.window, created: r.outcome.created.map((a) => ({
        id: a.id,
        ruleId: a.ruleId,
        event: { _index: a.event._index, _id: a.event._id },
        sequenceEvents: a.sequenceEvents ? a.sequenceEvents.map((e) => ({ _index: e._index, _id: e._id })) : null,
      })), error: r.outcome.error ? r.outcome.error.message : null })),
    cycle: report.cycle,
    threadId,
    heapUsedMiB: Math.round(process.memoryUsage().heapUsed / 1048576),
  };
});
