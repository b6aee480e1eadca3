/**
 * `n` process-start events as NDJSON (one host of 50, one of 97 process names, a ~250-byte
 * command line, each process the parent of the next), for tests that ingest an upload of a
 * given size. `salt` keeps the entity ids of two uploads apart.
 */
export function processStartNdjson(n: number, salt: string): string {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    lines.push(
      JSON.stringify({
        '@timestamp': new Date(Date.UTC(2024, 0, 1) + i * 1000).toISOString(),
        event: { category: ['process'], type: ['start'], kind: 'event' },
        host: { name: `host-${i % 50}`, os: { type: 'windows' } },
        process: { name: `p${i % 97}.exe`, entity_id: `${salt}-${i}`, command_line: `p${i % 97}.exe --flag ${'x'.repeat(200)} ${i}`, parent: { entity_id: `${salt}-${i - 1}` } },
        user: { name: `user${i % 13}` },
      }),
    );
  }
  return lines.join('\n') + '\n';
}
