/**
 * Next.js start-up hook: runs once when the server process starts (not during `next build`).
 * First start (demo data + backfill of the enabled rules when the event store is empty),
 * then the rule scheduler (`GUIDEPOST_SCHEDULER=off` keeps it off). Node-only code is
 * imported dynamically behind the runtime check.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  if (process.env.NEXT_PHASE === 'phase-production-build') return;
  const { startServer } = await import('./lib/server/bootstrap');
  await startServer();
  // ingest jobs left running by the previous process: marked interrupted (with their counts), temporary uploads removed
  try {
    const { recoverIngestJobs } = await import('./app/api/ingest/jobs');
    const ids = recoverIngestJobs();
    if (ids.length) console.warn(`[ingest] ${ids.length} ingest job(s) were interrupted by the last stop: ${ids.join(', ')}`);
  } catch (err) {
    console.error('[ingest] could not check for interrupted ingest jobs', err);
  }
}
