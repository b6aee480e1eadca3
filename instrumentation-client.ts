/**
 * Runs in the browser before any of the app's code (Next's client instrumentation hook).
 *
 * The pages' Content-Security-Policy allows no eval (proxy.ts). zod compiles object parsers
 * with `new Function` when it may, and finds out by trying once; the browser reports that
 * try as a CSP violation even though zod catches the error. jitless skips the try (parsing
 * stays the same, only without the compiled fast path).
 */
import { z } from 'zod';

z.config({ jitless: true });
