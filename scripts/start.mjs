#!/usr/bin/env node
// `npm start`: build the production bundle when there is none (or it is older than the
// sources), then serve it with `next start`. First start loads the demo data (instrumentation.ts).
import { spawnSync, spawn } from 'node:child_process';
import { existsSync, statSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const next = path.join(root, 'node_modules', '.bin', 'next');
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' };

function newestMtime(dir) {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

const buildId = path.join(root, process.env.NEXT_DIST_DIR || '.next', 'BUILD_ID');
const sourcesChanged =
  !existsSync(buildId) ||
  ['app', 'components', 'lib'].some((d) => newestMtime(path.join(root, d)) > statSync(buildId).mtimeMs);
if (sourcesChanged || process.argv.includes('--build')) {
  console.log('guidepost: building the production bundle (next build)…');
  const built = spawnSync(next, ['build'], { cwd: root, env, stdio: 'inherit' });
  if (built.status !== 0) process.exit(built.status ?? 1);
}

const port = process.env.PORT ?? '3000';
const host = process.env.HOST ?? '127.0.0.1';
console.log(`guidepost: serving on http://${host}:${port} (data in ${process.env.GUIDEPOST_DATA_DIR ?? './data'})`);
const server = spawn(next, ['start', '-H', host, '-p', port], { cwd: root, env, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code) => process.exit(code ?? 0));
