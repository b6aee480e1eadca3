import type { EventSourceError } from './errors';
import type { EventSource } from './types';

/** A source standing in for one that cannot answer: every call fails with a fresh `makeError()`, and health reports its message. */
export function failingSource(kind: EventSource['kind'], makeError: () => EventSourceError): EventSource {
  const fail = (): Promise<never> => Promise.reject(makeError());
  const detail = makeError().message;
  return {
    kind,
    eqlSearch: fail,
    getEvents: fail,
    findProcessesByEntityIds: fail,
    childProcesses: fail,
    entityEvents: fail,
    authenticationEvents: fail,
    executablePrevalence: fail,
    health: () => Promise.resolve({ kind, ok: false, detail }),
  };
}
