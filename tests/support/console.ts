/** What a command prints: console.log lines in `out`, console.error lines in `err` (arguments joined by a space). */
import { vi } from 'vitest';

export interface CapturedConsole {
  out: string[];
  err: string[];
  /** puts console.log and console.error back (vi.restoreAllMocks does too) */
  restore(): void;
}

export function captureConsole(): CapturedConsole {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  const error = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  return {
    out,
    err,
    restore: () => {
      log.mockRestore();
      error.mockRestore();
    },
  };
}
