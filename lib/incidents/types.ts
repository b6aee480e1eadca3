/** Incident records: defined once in lib/domain/incident (the store types its rows with them). */
export * from '../domain/incident';
