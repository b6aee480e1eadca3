import path from 'node:path';

/** `../shared` (read at run time, never copied into the repo). */
export function sharedDir(): string {
  return process.env.GUIDEPOST_SHARED_DIR ?? path.resolve(process.cwd(), '../shared');
}

export function sharedRulesPath(file: string): string {
  return path.join(sharedDir(), 'rules', file);
}
