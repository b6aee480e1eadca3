// The ingest job registry lives in lib/server/ingest-jobs.ts; this name stays for the start-up hook and older imports.
export * from '@/lib/server/ingest-jobs';
