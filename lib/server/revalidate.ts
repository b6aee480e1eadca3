import 'server-only';
import { createHash } from 'node:crypto';

/**
 * A JSON answer serialised once, with a strong validator of its bytes: a client that polls it
 * (the rules page every 15 s, 1,081 rules ≈ 1.4 MB) sends the validator back and gets
 * 304 Not Modified with no body while nothing changed.
 */
export interface RevalidatableJson {
  text: string;
  etag: string;
}

export function revalidatableJson(data: unknown): RevalidatableJson {
  const text = JSON.stringify(data);
  return { text, etag: `"${createHash('sha256').update(text).digest('base64url').slice(0, 32)}"` };
}

/** Whether an If-None-Match header names this validator (a list, `*`, or weak forms of it). */
export function etagMatches(ifNoneMatch: string | null, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((raw) => {
    const tag = raw.trim().replace(/^W\//, '');
    return tag === '*' || tag === etag;
  });
}
