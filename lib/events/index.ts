/**
 * The one place that picks the event source, by configuration alone:
 * ELASTICSEARCH_URL set → the cluster; otherwise the embedded SQLite store.
 * Detection and investigation call `getEventSource()` and never ask which it is.
 */
import { configuredKind, loadEventSourceConfig, type EventSourceConfig } from './config';
import { createClientFromConfig } from './elasticsearch/client';
import { createElasticsearchSource } from './elasticsearch/source';
import { createEmbeddedSource } from './embedded/source';
import { getEventStore } from './embedded/store';
import type { EventSource } from './types';

import { EventSourceConfigError, EventSourceError } from './errors';
import { failingSource } from './failing-source';

export type { EventSource } from './types';
export { EventSourceError, EventSourceConfigError, isEventSourceError } from './errors';
export type { EventSourceErrorKind } from './errors';

let current: EventSource | undefined;

/** Warnings are printed once, when the source is first built. */
function warn(config: EventSourceConfig): void {
  for (const w of config.warnings) console.warn(`[guidepost] warning: ${w}`);
}

/**
 * Builds a source from configuration (no singleton). Throws EventSourceConfigError,
 * naming each bad variable, when the Elasticsearch settings are invalid.
 */
export function createEventSource(config: EventSourceConfig = loadEventSourceConfig()): EventSource {
  if (config.kind === 'elasticsearch') {
    return createElasticsearchSource(createClientFromConfig(config), { evidenceIndex: config.evidenceIndex });
  }
  return createEmbeddedSource(getEventStore());
}

/**
 * A source standing in for a misconfigured one: every call fails with the configuration
 * message (not retryable), and health reports it — the server stays up and shows why.
 */
export function misconfiguredSource(err: EventSourceConfigError, kind: EventSource['kind'] = 'elasticsearch'): EventSource {
  return failingSource(kind, () => new EventSourceError({ kind: 'unknown', retryable: false, message: err.message, cause: err }));
}

/**
 * The process-wide event source, chosen on first use from the environment. An invalid
 * configuration is logged once (each bad variable named) and gives a source whose calls
 * fail with that message; call `validateEventSourceConfig()` at start to fail fast instead.
 */
export function getEventSource(): EventSource {
  if (!current) {
    try {
      const config = loadEventSourceConfig();
      warn(config);
      current = createEventSource(config);
    } catch (e) {
      if (!(e instanceof EventSourceConfigError)) throw e;
      console.error(`[guidepost] ${e.message}`);
      current = misconfiguredSource(e, configuredKind());
    }
  }
  return current;
}

/** Which source is (or will be) in use, without connecting or validating everything. */
export function eventSourceKind(): 'embedded' | 'elasticsearch' {
  return current ? current.kind : configuredKind();
}

/** Validates the configuration now (for start-up): returns its warnings, throws on errors. */
export function validateEventSourceConfig(): string[] {
  return loadEventSourceConfig().warnings;
}

/** The source in use when one was built or set already; never builds one (nor opens a store). */
export function currentEventSource(): EventSource | undefined {
  return current;
}

/** Tests only: use this source instead of the configured one (undefined resets). */
export function setEventSourceForTesting(source: EventSource | undefined): void {
  current = source;
}
