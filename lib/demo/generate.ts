/**
 * The demo data set: deterministic, realistic Windows telemetry across the seed rule's
 * four index families (plus Windows Security logons), with scripted true-positive stories
 * and near misses. Same (seed, now, events) → same documents and ids; story ids do not
 * depend on `events` (the background has its own random stream).
 */
import type { StoredEvent } from '../events/types';
import { generateBackground } from './background';
import { Rng } from './rng';
import { Actor, buildBase, HOUR, MINUTE, Sim } from './sim';
import { type DemoStory, runStories, ts } from './stories';
import { HOSTS } from './world';

export type { DemoStory, EventRef, StoryEventRef } from './stories';
export { DEMO_INDEX_NAMES, DEMO_INDICES, HOSTS as DEMO_HOSTS, USERS as DEMO_USERS } from './world';

export const DEFAULT_DEMO_SEED = 1337;
/** default total number of events (≈; the background fills up to it) */
export const DEFAULT_DEMO_EVENTS = 6_000;
/** the demo window: events lie in [now − 72 h, now − 5 min] */
export const DEMO_WINDOW_HOURS = 72;

export interface DemoOptions {
  now: Date;
  seed?: number;
  /** approximate total number of events; the benign background grows or shrinks to fit */
  events?: number;
}

export interface DemoDataSet {
  events: StoredEvent[];
  stories: DemoStory[];
  seed: number;
  /** the span the events cover (ISO); a detection backfill over it sees every event */
  window: { from: string; to: string };
  /** events per index */
  counts: Record<string, number>;
}

/** Validate options (throws with a clear message). */
export function resolveDemoOptions(opts: DemoOptions): { now: number; seed: number; events: number } {
  const now = opts.now.getTime();
  if (!Number.isFinite(now)) throw new Error('demo-data: `now` is not a valid date');
  const seed = opts.seed ?? DEFAULT_DEMO_SEED;
  if (!Number.isSafeInteger(seed) || seed < 0) throw new Error(`demo-data: seed must be a non-negative integer, got ${seed}`);
  const events = opts.events ?? DEFAULT_DEMO_EVENTS;
  if (!Number.isSafeInteger(events) || events < 0) throw new Error(`demo-data: events must be a non-negative integer, got ${events}`);
  return { now, seed, events };
}

export function generateDemoData(opts: DemoOptions): DemoDataSet {
  const { now, seed, events: total } = resolveDemoOptions(opts);
  const windowStart = now - DEMO_WINDOW_HOURS * HOUR;
  const windowEnd = now - 5 * MINUTE;
  const sim = new Sim(now, windowStart, windowEnd);

  const base = new Actor(sim, Rng.stream(seed, 'base'), Rng.stream(seed, 'base-ids'));
  buildBase(base);
  const story = runStories(sim, seed);
  const bg = new Actor(sim, Rng.stream(seed, 'background'), Rng.stream(seed, 'background-ids'));
  generateBackground(bg, Math.max(0, total - base.events.length - story.events.length));

  // stable: equal timestamps keep generation order
  const all = [...base.events, ...story.events, ...bg.events]
    .map((ev) => ({ ev, t: ts(ev) }))
    .sort((a, b) => a.t - b.t)
    .map((x) => x.ev);
  finalise(all);

  const seen = new Set<string>();
  const counts: Record<string, number> = {};
  for (const ev of all) {
    const key = `${ev._index}\u0000${ev._id}`;
    if (seen.has(key)) throw new Error(`demo-data: duplicate id ${ev._index}/${ev._id}`);
    seen.add(key);
    counts[ev._index] = (counts[ev._index] ?? 0) + 1;
  }
  return {
    events: all,
    stories: story.stories,
    seed,
    window: { from: new Date(windowStart).toISOString(), to: new Date(now).toISOString() },
    counts,
  };
}

function obj(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/** Number records in time order, per host: Defend event.sequence, winlog.record_id per channel, Endgame serial_event_id. */
function finalise(events: StoredEvent[]): void {
  const counters = new Map<string, number>();
  const next = (key: string, start: number): number => {
    const n = (counters.get(key) ?? start) + 1;
    counters.set(key, n);
    return n;
  };
  const hostStart = new Map(HOSTS.map((h, i) => [h.name, 10_000 + i * 7_919]));
  for (const ev of events) {
    const src = ev._source;
    const host = obj(src.host);
    const hostName = typeof host?.name === 'string' ? host.name : '';
    const start = hostStart.get(hostName) ?? 1000;
    const winlog = obj(src.winlog);
    if (winlog) winlog.record_id = String(next(`${hostName}|${String(winlog.channel)}`, start * 3));
    const endgame = obj(src.endgame);
    if (endgame) endgame.serial_event_id = next(`${hostName}|endgame`, 0);
    const event = obj(src.event);
    if (event && event.module === 'endpoint') event.sequence = next(`${hostName}|endpoint`, start * 5);
  }
}
