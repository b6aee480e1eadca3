/**
 * A data directory of its own for a test file that runs the detection worker: it becomes
 * GUIDEPOST_DATA_DIR (no cluster, workers on, the web side's app.db reopened there) before the
 * file's own `beforeAll`, and after its tests the worker is stopped, app.db closed, the
 * variables put back and the directory removed. Call it at the top of the file.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, vi } from 'vitest';
import { closeDb } from '@/lib/store/db';
import { stopDetection } from '@/lib/server/workers/detection-driver';

export function workerDataDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  beforeAll(() => {
    vi.stubEnv('GUIDEPOST_DATA_DIR', dir);
    vi.stubEnv('ELASTICSEARCH_URL', undefined);
    vi.stubEnv('GUIDEPOST_WORKERS', undefined);
    closeDb();
  });
  afterAll(async () => {
    await stopDetection();
    closeDb();
    vi.unstubAllEnvs();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}
