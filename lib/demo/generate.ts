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
  /** background events per chunk of `streamDemoData` (default DEMO_CHUNK) */
  chunkSize?: number;
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

/** Background events generated per chunk; sets up to this size come out in one time-ordered piece. */
export const DEMO_CHUNK = 25_000;

export interface DemoStream {
  seed: number;
  window: { from: string; to: string };
  stories: DemoStory[];
  /** the requested (approximate) total */
  target: number;
  /**
   * The events in chunks. Each chunk is time-ordered; the first holds the boot trees,
   * sessions, stories and the first part of the background. Ids are unique across chunks.
   * Iterate once.
   */
  chunks(): Generator<StoredEvent[], void, undefined>;
}

/** The demo set as a stream of chunks, so a large set never has to sit in memory at once. */
export function streamDemoData(opts: DemoOptions): DemoStream {
  const { now, seed, events: total } = resolveDemoOptions(opts);
  const chunkSize = opts.chunkSize ?? DEMO_CHUNK;
  if (!Number.isSafeInteger(chunkSize) || chunkSize < 1) throw new Error(`demo-data: chunkSize must be a positive integer, got ${chunkSize}`);
  const windowStart = now - DEMO_WINDOW_HOURS * HOUR;
  const windowEnd = now - 5 * MINUTE;
  const sim = new Sim(now, windowStart, windowEnd);

  const base = new Actor(sim, Rng.stream(seed, 'base'), Rng.stream(seed, 'base-ids'));
  buildBase(base);
  const story = runStories(sim, seed);
  const bgRng = Rng.stream(seed, 'background');
  const bgIds = Rng.stream(seed, 'background-ids');
  let remaining = Math.max(0, total - base.events.length - story.events.length);

  function* chunks(): Generator<StoredEvent[], void, undefined> {
    const counters = new Map<string, number>();
    const seen = new Set<string>();
    let head: StoredEvent[] | null = [...base.events, ...story.events];
    do {
      const bg = new Actor(sim, bgRng, bgIds);
      const want = Math.min(remaining, chunkSize);
      generateBackground(bg, want);
      remaining -= Math.max(want, bg.events.length);
      // stable: equal timestamps keep generation order
      const chunk = [...(head ?? []), ...bg.events]
        .map((ev) => ({ ev, t: ts(ev) }))
        .sort((a, b) => a.t - b.t)
        .map((x) => x.ev);
      head = null;
      finalise(chunk, counters);
      for (const ev of chunk) {
        const key = `${ev._index}\u0000${ev._id}`;
        if (seen.has(key)) throw new Error(`demo-data: duplicate id ${ev._index}/${ev._id}`);
        seen.add(key);
      }
      yield chunk;
    } while (remaining > 0);
  }

  return {
    seed,
    window: { from: new Date(windowStart).toISOString(), to: new Date(now).toISOString() },
    stories: story.stories,
    target: total,
    chunks,
  };
}

export function countByIndex(events: Iterable<StoredEvent>, into: Record<string, number> = {}): Record<string, number> {
  for (const ev of events) into[ev._index] = (into[ev._index] ?? 0) + 1;
  return into;
}

export function generateDemoData(opts: DemoOptions): DemoDataSet {
  const stream = streamDemoData(opts);
  const events: StoredEvent[] = [];
  for (const chunk of stream.chunks()) for (const ev of chunk) events.push(ev);
  return { events, stories: stream.stories, seed: stream.seed, window: stream.window, counts: countByIndex(events) };
}

function obj(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/** Number records in time order, per host: Defend event.sequence, winlog.record_id per channel, Endgame serial_event_id. */
function finalise(events: StoredEvent[], counters: Map<string, number>): void {
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
