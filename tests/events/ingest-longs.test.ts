/**
 * Issue 14 item 8: integers beyond 2^53 reach the store with all their digits, in every shape
 * the ingest normalises (they used to go through JSON.parse and JSON.stringify, which round
 * 9007199254740993 to 9007199254740992). Expected values are the input's own digits.
 */
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { ExactLong, parseDocumentJson, stringifyDocumentJson } from '@/lib/eql/document';
import { openEventStore, type EventStore } from '@/lib/events/embedded/store';
import { ingestFile, type IngestOptions } from '@/lib/events/ingest';

let store: EventStore | undefined;
afterEach(() => {
  store?.close();
  store = undefined;
});

const BIG = '9007199254740993'; // 2^53 + 1: its double is …992
const U64 = '18446744073709551615'; // 2^64 - 1 (a 64-bit LogonId / keyword mask)

/** Ingests the text; the stored documents' JSON texts. */
async function storedTexts(text: string, opts: IngestOptions = {}): Promise<string[]> {
  store = openEventStore({ file: ':memory:' });
  const report = await ingestFile(Readable.from([text]), { store, worker: false, ...opts });
  expect(report.rejected).toEqual([]);
  return [...store.scanWindow(0, 8.64e15)].map((r) => r.doc);
}

/** The exact text of the number at a path of a stored JSON text (digits, as written). */
function numberAt(json: string, key: string): string[] {
  return [...json.matchAll(new RegExp(`"${key}":(-?\\d+)`, 'g'))].map((m) => m[1]!);
}

const evtx = (eventData: string, system = '') =>
  `{"Event":{"System":{"Provider":{"#attributes":{"Name":"Microsoft-Windows-Sysmon"}},"EventID":1,"Channel":"Microsoft-Windows-Sysmon/Operational","Computer":"pc1"${system},"TimeCreated":{"#attributes":{"SystemTime":"2024-05-21T10:00:00.000Z"}}},"EventData":{"UtcTime":"2024-05-21 10:00:00.000","Image":"C:\\\\a.exe",${eventData}}}}`;

describe('ingest keeps integers beyond 2^53 exact', () => {
  it('Sysmon EVTX JSON, numbers: event data, process.pid, record id, execution pid', async () => {
    const [doc] = await storedTexts(
      evtx(`"ProcessId":${BIG},"FileSize":${U64}`, `,"EventRecordID":${U64},"Execution":{"#attributes":{"ProcessID":${BIG}}}`) + '\n',
    );
    expect(numberAt(doc!, 'ProcessId')).toEqual([BIG]);
    expect(numberAt(doc!, 'FileSize')).toEqual([U64]);
    expect(numberAt(doc!, 'pid')).toEqual([BIG, BIG]); // process.pid, winlog.process.pid
    expect(doc).toContain(`"record_id":"${U64}"`); // a keyword in the mapping: the exact text
  });

  it('Sysmon EVTX JSON rendered from XML (numbers as text): process.pid is the exact long', async () => {
    const [doc] = await storedTexts(evtx(`"ProcessId":"${BIG}","ProcessGuid":"{A}"`) + '\n');
    expect(numberAt(doc!, 'pid')).toEqual([BIG]);
    expect(doc).toContain(`"ProcessId":"${BIG}"`);
  });

  it('Winlogbeat and Security records inside a JSON array (re-serialised, no input text kept)', async () => {
    const wlb = `{"@timestamp":"2024-05-21T10:00:00.000Z","winlog":{"channel":"Security","provider_name":"Microsoft-Windows-Security-Auditing","event_id":4688,"record_id":${U64},"event_data":{"NewProcessId":"0x20000000000001","NewProcessName":"C:\\\\a.exe","ProcessId":${BIG},"TargetLogonId":${U64}}}}`;
    const [doc] = await storedTexts(`[${wlb}]`);
    expect(numberAt(doc!, 'record_id')).toEqual([U64]);
    expect(numberAt(doc!, 'TargetLogonId')).toEqual([U64]);
    // 0x20000000000001 = 2^53 + 1 (hex, as Security renders pids); the parent pid a JSON number
    expect(numberAt(doc!, 'pid')).toEqual([BIG, BIG]);
  });

  it('ECS in an array and Defend without data_stream (both re-serialised)', async () => {
    const ecs = `{"@timestamp":"2024-05-21T10:00:00.000Z","process":{"pid":${BIG}},"file":{"size":${U64}},"n":[1.5,-${BIG}]}`;
    const defend = `{"@timestamp":"2024-05-21T10:00:01.000Z","event":{"module":"endpoint","category":["process"]},"process":{"pid":${BIG}}}`;
    const docs = await storedTexts(`[${ecs},${defend}]`);
    expect(numberAt(docs[0]!, 'pid')).toEqual([BIG]);
    expect(numberAt(docs[0]!, 'size')).toEqual([U64]);
    expect(docs[0]).toContain(`"n":[1.5,-${BIG}]`);
    expect(numberAt(docs[1]!, 'pid')).toEqual([BIG]);
    expect(docs[1]).toContain('"data_stream"');
  });

  it('Endgame flat: the FILETIME (18 digits) gives the right time and is kept exact; pids exact', async () => {
    // 133607592000000001 = 2024-05-21T10:00:00.000Z as FILETIME, plus one tick
    const flat = `{"event_type":"process","subtype":"create","timestamp":133607592000000001,"pid":${BIG},"unique_pid":${U64},"serial_event_id":${BIG},"process_path":"C:\\\\a.exe"}`;
    const [doc] = await storedTexts(flat + '\n');
    expect(doc).toContain('"@timestamp":"2024-05-21T10:00:00.000Z"');
    expect(numberAt(doc!, 'timestamp')).toEqual(['133607592000000001']);
    expect(numberAt(doc!, 'sequence')).toEqual([BIG]);
    expect(numberAt(doc!, 'pid')).toEqual([BIG, BIG]); // process.pid, endgame.pid
    expect(doc).toContain(`"entity_id":"${U64}"`);
  });

  it('a bare big number on a line is rejected as a number, not read as a document', async () => {
    store = openEventStore({ file: ':memory:' });
    const report = await ingestFile(Readable.from([`${BIG}\n`]), { store, worker: false });
    expect(report.stored).toBe(0);
    expect(report.rejected[0]!.reason).toBe('expected a JSON object, got number');
  });
});

describe('the document reader and writer around longs (lib/eql/document)', () => {
  it('reads a long next to string digit runs, signed, after whitespace, at the start, in arrays', () => {
    const text = `{"k":"0x8020000000000000","w":"W32:0000000000050766", "n" :\n\t-${BIG} ,"a":[ ${U64}\r\n],"m":"x ${BIG} y"}`;
    const d = parseDocumentJson(text) as Record<string, unknown>;
    expect((d.n as ExactLong).exact).toBe(-9007199254740993n);
    expect(((d.a as unknown[])[0] as ExactLong).exact).toBe(18446744073709551615n);
    expect(d.k).toBe('0x8020000000000000');
    expect(d.m).toBe(`x ${BIG} y`);
    expect((parseDocumentJson(BIG) as ExactLong).exact).toBe(9007199254740993n);
    expect(stringifyDocumentJson(d)).toBe(`{"k":"0x8020000000000000","w":"W32:0000000000050766","n":-${BIG},"a":[${U64}],"m":"x ${BIG} y"}`);
  });

  it('writes what it reads: every integer exact, whatever the layout (property, bigint oracle)', () => {
    // -30023997515803312 is a double exactly, and JSON.stringify wrote it as -30023997515803310
    expect(stringifyDocumentJson(parseDocumentJson('{"n":-30023997515803312}'))).toBe('{"n":-30023997515803312}');
    const big = fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n });
    const ws = fc.constantFrom('', ' ', '\n', '\t ', '\r\n  ');
    fc.assert(
      fc.property(fc.array(fc.tuple(big, ws, ws, fc.string({ maxLength: 20 })), { minLength: 1, maxLength: 8 }), (items) => {
        const body = items.map(([n, w1, w2, s], i) => `"k${i}":${w1}${n}${w2},"s${i}":${JSON.stringify(s + n.toString())}`).join(',');
        const written = stringifyDocumentJson(parseDocumentJson(`{${body}}`));
        const back = parseDocumentJson(written) as Record<string, unknown>;
        items.forEach(([n, , , s], i) => {
          const v = back[`k${i}`];
          expect(v instanceof ExactLong ? v.exact : BigInt(v as number)).toBe(n); // the same integer
          expect(back[`s${i}`]).toBe(s + n.toString());
          // within 64 bits (a long, an unsigned long) the text is the integer's digits
          if (n < 2n ** 64n && n > -(2n ** 63n)) expect(written).toContain(`"k${i}":${n},`);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('a document string holding marker-like text stays text', () => {
    const d = parseDocumentJson(`{"s":"exact-00000000-0000-0000-0000-000000000000-5","n":${BIG}}`);
    expect(stringifyDocumentJson(d)).toBe(`{"s":"exact-00000000-0000-0000-0000-000000000000-5","n":${BIG}}`);
    expect(JSON.stringify(d)).toBe(`{"s":"exact-00000000-0000-0000-0000-000000000000-5","n":9007199254740992}`); // elsewhere: the double, as before
  });
});
