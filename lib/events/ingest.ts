/**
 * Streaming ingest: a file or stream of events in any supported shape → normalised ECS
 * documents in the embedded store. Reads NDJSON line by line; JSON arrays and
 * pretty-printed objects are split into their top-level values by a small scanner, so a
 * bad record is reported with its line and every good one is kept.
 */
import { isAscii } from 'node:buffer';
import fs from 'node:fs';
import os from 'node:os';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { z } from 'zod';
import { AppError } from '../errors';
import {
  bulkAction,
  FORMAT_ACCEPTS,
  isHit,
  searchHits,
  type DocFormat,
  type InputFormat,
} from './detect-format';
import { parseDocumentJson, stringifyDocumentJson } from '../eql/document';
import { getEventStore, toRowValues, type BatchWriter, type EventStore, type RowValues } from './embedded/store';
import {
  documentId,
  normalizeDocument,
  NormalizeError,
  otrfIsSysmon,
  otrfOffsetMs,
  type Doc,
} from './normalize';
// an integer kept exact (ExactLong, a Number object) is not a JSON object
import { isRecord } from './normalize/util';

export interface IngestProgress {
  bytes: number;
  /** total bytes when known (files) */
  totalBytes?: number;
  lines: number;
  read: number;
  stored: number;
  rejected: number;
}

export interface IngestOptions {
  /** target index for every event (default: the format's own index per document) */
  index?: string;
  format?: InputFormat;
  onProgress?: (p: IngestProgress) => void;
  /** the store to write into (default: the process-wide store of GUIDEPOST_DATA_DIR) */
  store?: EventStore;
  /** events per transaction (default 20000) */
  batchSize?: number;
  /**
   * Write through a worker thread: when the input holds more than one batch and the store is
   * a file, the batches after the first are written by a worker on its own connection while
   * this thread parses the next ones (same rows, same report). 'auto' (default): only when
   * the machine has two cores or more and is not saturated; the hand-over costs CPU time
   * (serialising each batch), which is won back only when the two threads really run side
   * by side (1M events on 2 quiet cores: ~17 s with it, 20-28 s without). true: whenever
   * possible; false: never. The default comes from GUIDEPOST_INGEST_WORKER (auto|on|off).
   */
  worker?: boolean | 'auto';
  /** at most this many rejections are listed (all are counted; default 1000) */
  maxRejectedListed?: number;
}

export interface Rejection {
  /** 1-based line of the record's start */
  line: number;
  reason: string;
}

export interface IngestReport {
  /** events read (records that were events, good or bad) */
  read: number;
  /** new documents stored */
  stored: number;
  /** documents that replaced one with the same (_index, _id) */
  replaced: number;
  rejected: Rejection[];
  /** all rejections, including any beyond the listed ones */
  rejectedCount: number;
  /** the main document shape seen ('mixed' when several) */
  format: DocFormat | 'bulk' | 'search' | 'mixed' | 'none';
  /** documents per detected shape */
  formats: Partial<Record<DocFormat, number>>;
  /** documents per target index */
  indices: Record<string, number>;
  lines: number;
  bytes: number;
  /** where the batches were written: all in this thread, or (after the first) by a worker thread */
  writer: 'in-thread' | 'worker';
  /** how the bytes were read: UTF-8, or UTF-16 announced by its byte order mark */
  encoding: TextEncodingName;
  /** invalid UTF-8 sequences, each read as U+FFFD (the records holding them are kept) */
  invalidUtf8: number;
  /** what the reader should know beyond the counts (e.g. replaced bytes) */
  warnings: string[];
}

export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be';

/**
 * Input that is not text of events at all (binary, compressed, empty): one clear error for
 * the whole input instead of one rejection per line. `code` maps to the API's invalid_request.
 */
export class IngestInputError extends AppError {
  constructor(message: string) {
    super('invalid_request', message);
    this.name = 'IngestInputError';
  }
}

interface RawRecord {
  value?: unknown;
  text?: string;
  error?: string;
  line: number;
}

/** Splits text into top-level JSON values (`depth` 0) or into the elements of a top-level array (`depth` 1). */
class ValueScanner {
  private buf = '';
  private depth = 0;
  private inString = false;
  private escape = false;
  private start = -1;
  private startLine = 0;
  private line = 1;
  private scalarStart = -1;

  constructor(private readonly elementDepth: 0 | 1) {}

  /** Feeds text; returns the complete values found. */
  push(chunk: string, out: RawRecord[]): void {
    const base = this.buf.length;
    this.buf += chunk;
    const s = this.buf;
    for (let i = base; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c === 10) this.line++;
      if (this.inString) {
        if (this.escape) this.escape = false;
        else if (c === 92) this.escape = true;
        else if (c === 34) this.inString = false;
        continue;
      }
      if (c === 34) {
        this.inString = true;
        // a string at element depth is a value of its own (a scalar), ended by the next `,` or `]`
        if (this.depth === this.elementDepth && this.start < 0) {
          this.begin(i);
          this.scalarStart = i;
        }
        continue;
      }
      if (c === 123 || c === 91) {
        if (this.depth === this.elementDepth && this.start < 0) this.begin(i);
        this.depth++;
      } else if (c === 125 || c === 93) {
        if (this.depth === this.elementDepth && this.elementDepth === 1 && c === 93) {
          this.flushScalar(s, i, out);
          this.depth--;
          continue;
        }
        this.depth--;
        if (this.depth === this.elementDepth && this.start >= 0) {
          out.push(this.parse(s.slice(this.start, i + 1), this.startLine));
          this.start = -1;
        }
        if (this.depth < 0) {
          out.push({ error: 'unbalanced closing bracket', line: this.line });
          this.depth = 0;
        }
      } else if (c === 44 && this.depth === this.elementDepth) {
        this.flushScalar(s, i, out);
      } else if (c !== 32 && c !== 10 && c !== 13 && c !== 9 && c !== 44) {
        if (this.depth === this.elementDepth && this.start < 0) {
          this.begin(i);
          this.scalarStart = i;
        }
      }
    }
    // keep only the unfinished value
    if (this.start >= 0) {
      this.buf = s.slice(this.start);
      if (this.scalarStart >= 0) this.scalarStart -= this.start;
      this.start = 0;
    } else {
      this.buf = '';
    }
  }

  private begin(i: number): void {
    this.start = i;
    this.startLine = this.line;
    this.scalarStart = -1;
  }

  private flushScalar(s: string, i: number, out: RawRecord[]): void {
    if (this.start >= 0 && this.scalarStart >= 0) {
      out.push(this.parse(s.slice(this.start, i).trim(), this.startLine));
      this.start = -1;
      this.scalarStart = -1;
    }
  }

  private parse(text: string, line: number): RawRecord {
    try {
      return { value: parseDocumentJson(text), line };
    } catch (e) {
      return { error: `invalid JSON: ${(e as Error).message}`, line };
    }
  }

  end(out: RawRecord[]): void {
    if (this.start >= 0 && this.buf.trim()) {
      if (this.scalarStart >= 0) out.push(this.parse(this.buf.trim(), this.startLine));
      else out.push({ error: 'truncated JSON value at end of input', line: this.startLine });
    }
    this.buf = '';
  }
}

/** Yields raw records of an input: NDJSON lines, array elements or concatenated objects. */
async function* readRecords(stream: AsyncIterable<string>, counters: { bytes: number; lines: number }): AsyncGenerator<RawRecord[]> {
  let mode: 'undecided' | 'lines' | 'array' | 'concat' = 'undecided';
  let scanner: ValueScanner | null = null;
  let pending = '';
  let lineNo = 0;
  let first = true;

  /** Picks the reading mode from the start of the input; false when more text is needed. */
  const decide = (force: boolean): boolean => {
    const lead = /\S/.exec(pending);
    if (!lead) return force;
    const ch = lead[0];
    if (ch === '[') {
      mode = 'array';
    } else {
      // need the first two lines: a pretty-printed object opens with an unbalanced line,
      // but so does NDJSON whose first line is broken; the second line tells them apart
      const nl = pending.indexOf('\n', lead.index);
      const nl2 = nl < 0 ? -1 : pending.indexOf('\n', nl + 1);
      if (nl2 < 0 && pending.length < 1 << 20 && !force) return false;
      const firstLine = pending.slice(lead.index, nl < 0 ? undefined : nl).trim();
      const secondLine = nl < 0 ? '' : pending.slice(nl + 1, nl2 < 0 ? undefined : nl2).trim();
      mode = ch === '{' && !balanced(firstLine) && !isJsonObject(secondLine) ? 'concat' : 'lines';
    }
    if (mode !== 'lines') scanner = new ValueScanner(mode === 'array' ? 1 : 0);
    return true;
  };

  const feed = (chunk: string, out: RawRecord[]) => {
    if (scanner) {
      scanner.push(chunk, out);
      counters.lines += countNewlines(chunk);
      return;
    }
    pending += chunk;
    let startIdx = 0;
    let nl = pending.indexOf('\n');
    while (nl >= 0) {
      lineNo++;
      pushLine(pending.slice(startIdx, nl), lineNo, out);
      startIdx = nl + 1;
      nl = pending.indexOf('\n', startIdx);
    }
    pending = pending.slice(startIdx);
    counters.lines = lineNo;
  };

  for await (let chunk of stream) {
    if (first) {
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
      first = false;
    }
    if (mode === 'undecided') {
      pending += chunk;
      if (!decide(false)) continue;
      chunk = pending;
      pending = '';
    }
    const out: RawRecord[] = [];
    feed(chunk, out);
    if (out.length) yield out;
  }
  const out: RawRecord[] = [];
  if (mode === 'undecided') {
    const rest = pending;
    pending = '';
    if (rest.trim() && decide(true)) feed(rest, out);
  }
  const sc = scanner as ValueScanner | null; // assigned inside decide()
  if (sc) {
    sc.end(out);
    counters.lines += 1;
  } else if (pending.length) {
    lineNo++;
    pushLine(pending, lineNo, out);
    counters.lines = lineNo;
  }
  if (out.length) yield out;
}

function countNewlines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

function pushLine(raw: string, line: number, out: RawRecord[]): void {
  const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  if (!text.trim()) return;
  try {
    out.push({ value: parseDocumentJson(text), text, line });
  } catch (e) {
    out.push({ error: `invalid JSON: ${(e as Error).message}`, line });
  }
}

function isJsonObject(line: string): boolean {
  if (!line.startsWith('{')) return false;
  try {
    return isRecord(JSON.parse(line));
  } catch {
    return false;
  }
}

/** Does a line hold a complete JSON object (brackets balanced, outside strings)? */
function balanced(line: string): boolean {
  let depth = 0;
  let inStr = false;
  let esc = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (inStr) {
      if (esc) esc = false;
      else if (c === '\\') esc = true;
      else if (c === '"') inStr = false;
    } else if (c === '"') inStr = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
  }
  return depth <= 0;
}

const workerEnv = z.enum(['auto', 'on', 'off']);

/** The writer-thread choice of GUIDEPOST_INGEST_WORKER (auto when unset); a bad value is an error naming it. */
export function workerSetting(env: Record<string, string | undefined> = process.env): boolean | 'auto' {
  const raw = env.GUIDEPOST_INGEST_WORKER;
  if (raw === undefined || raw === '') return 'auto';
  const v = workerEnv.safeParse(raw.trim().toLowerCase());
  if (!v.success) throw new Error(`GUIDEPOST_INGEST_WORKER must be auto, on or off (got ${JSON.stringify(raw)})`);
  return v.data === 'auto' ? 'auto' : v.data === 'on';
}

/**
 * Can a second thread get a core: two cores or more, and a 1-minute load average below the
 * core count (the average lags, so it still holds the work that led up to this ingest, such
 * as a demo load or an earlier upload: a stricter bar turned the worker off after any).
 */
function spareCore(): boolean {
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return cores >= 2 && os.loadavg()[0] < cores;
}

/** bytes looked at before deciding how to read the input */
const SNIFF_BYTES = 4096;

function toBuffer(chunk: unknown): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  return Buffer.from(String(chunk));
}

/**
 * How to read an input from its first bytes: a UTF-16 byte order mark (or the zero bytes of
 * UTF-16 text without one) selects UTF-16; NUL bytes otherwise, compressed-file magic or
 * mostly undecodable bytes mean the input is not text of events: one error says so.
 */
export function sniffEncoding(head: Buffer): TextEncodingName {
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  const notText = (what: string) =>
    new IngestInputError(`not UTF-8 NDJSON/JSON: ${what}. Send newline-delimited JSON, a JSON array or JSON objects as UTF-8 (or UTF-16 with a byte order mark)`);
  if (head[0] === 0x1f && head[1] === 0x8b) throw notText('the file is gzip-compressed (decompress it first)');
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) throw notText('the file is a zip archive (extract it first)');
  if (head.length >= 4 && head.subarray(0, 4).toString('latin1') === 'ElfF') throw notText('the file is a binary EVTX log (export it as JSON first, e.g. with evtx_dump -o jsonl)');
  const nul = head.indexOf(0);
  if (nul >= 0) {
    // UTF-16 text without a BOM: ASCII characters have a zero high byte
    let even = 0;
    let odd = 0;
    for (let i = 0; i < head.length; i++) {
      if (head[i] !== 0) continue;
      if (i % 2) odd++;
      else even++;
    }
    const half = head.length / 2;
    if (odd >= half * 0.9 && even === 0) return 'utf-16le';
    if (even >= half * 0.9 && odd === 0) return 'utf-16be';
    throw notText(`the file looks binary (a NUL byte at offset ${nul})`);
  }
  // control bytes (other than tab, CR, LF) and undecodable bytes: a few are bad records, many a binary file
  const text = new TextDecoder('utf-8').decode(head);
  let bad = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0xfffd || (c < 0x20 && c !== 9 && c !== 10 && c !== 13)) bad++;
  }
  if (text.length >= 16 && bad > text.length * 0.1) throw notText(`the file looks binary (${bad} of its first ${head.length} bytes are not text)`);
  return 'utf-8';
}

/** Occurrences of EF BF BD (a U+FFFD written in the input itself) in `buf`, `carry` being the bytes before it. */
function countEncodedReplacement(buf: Buffer, carry: Buffer): number {
  const s = carry.length ? Buffer.concat([carry, buf]) : buf;
  let n = 0;
  for (let i = s.indexOf(0xef); i >= 0 && i + 2 < s.length; i = s.indexOf(0xef, i + 1)) {
    if (s[i + 1] === 0xbf && s[i + 2] === 0xbd) n++;
  }
  return n;
}

function countChar(text: string, ch: string): number {
  let n = 0;
  for (let i = text.indexOf(ch); i >= 0; i = text.indexOf(ch, i + 1)) n++;
  return n;
}

/**
 * The input as text, counting its bytes and the invalid UTF-8 sequences read as U+FFFD.
 * The first bytes choose the decoding (sniffEncoding). For UTF-8, a chunk of ASCII only (the
 * common case, checked at memory speed) is taken as is, with what the decoder held from the
 * chunk before flushed first, exactly as the decoder itself would.
 */
async function* asText(input: Readable, counters: { bytes: number; invalidUtf8: number; encoding: TextEncodingName }): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let utf16: TextDecoder | null = null;
  let head: Buffer[] | null = [];
  let headBytes = 0;
  let carry: Buffer = Buffer.alloc(0);
  const utf8 = (buf: Buffer): string => {
    if (isAscii(buf)) {
      const held = decoder.end();
      carry = Buffer.alloc(0);
      const text = buf.toString('latin1');
      if (held) counters.invalidUtf8 += countChar(held, '\ufffd');
      return held ? held + text : text;
    }
    const text = decoder.write(buf);
    const replaced = countChar(text, '\ufffd');
    if (replaced) counters.invalidUtf8 += Math.max(0, replaced - countEncodedReplacement(buf, carry));
    carry = buf.length >= 2 ? buf.subarray(buf.length - 2) : Buffer.concat([carry, buf]).subarray(-2);
    return text;
  };
  const decode = (buf: Buffer): string => (utf16 ? utf16.decode(buf, { stream: true }) : utf8(buf));
  const start = (): string => {
    const all = Buffer.concat(head ?? []);
    head = null;
    counters.encoding = sniffEncoding(all);
    if (counters.encoding !== 'utf-8') {
      utf16 = new TextDecoder(counters.encoding, { ignoreBOM: false });
    }
    return decode(all);
  };
  for await (const chunk of input as AsyncIterable<unknown>) {
    if (typeof chunk === 'string') {
      counters.bytes += Buffer.byteLength(chunk);
      if (head) {
        // text streams (tests, stdin set to a string encoding) are taken as decoded
        counters.encoding = 'utf-8';
        head = null;
      }
      const held = decoder.end();
      yield held ? held + chunk : chunk;
      continue;
    }
    const buf = toBuffer(chunk);
    counters.bytes += buf.length;
    if (head) {
      head.push(buf);
      headBytes += buf.length;
      if (headBytes < SNIFF_BYTES) continue;
      const text = start();
      if (text) yield text;
      continue;
    }
    const text = decode(buf);
    if (text) yield text;
  }
  if (head && headBytes > 0) {
    const text = start();
    if (text) yield text;
  }
  const dec = utf16 as TextDecoder | null; // assigned inside start()
  const rest = dec ? dec.decode() : decoder.end();
  if (!dec && rest) counters.invalidUtf8 += countChar(rest, '\ufffd');
  if (rest) yield rest;
}

/**
 * Reads events from a path (or a readable stream), normalises them to ECS and stores them.
 * Bad records are reported with their line and reason; every good one is kept.
 */
export async function ingestFile(input: string | Readable, opts: IngestOptions = {}): Promise<IngestReport> {
  const store = opts.store ?? getEventStore();
  const useWorker = opts.worker ?? workerSetting();
  const batchSize = opts.batchSize ?? 20_000;
  const maxListed = opts.maxRejectedListed ?? 1000;
  const forced = opts.format ?? 'auto';
  const accept: DocFormat[] | undefined =
    forced === 'auto' || forced === 'bulk' ? undefined : FORMAT_ACCEPTS[forced];
  let totalBytes: number | undefined;
  let stream: Readable;
  if (typeof input === 'string') {
    totalBytes = fs.statSync(input).size;
    stream = fs.createReadStream(input, { highWaterMark: 1 << 20 });
  } else {
    stream = input;
  }
  const counters = { bytes: 0, lines: 0, invalidUtf8: 0, encoding: 'utf-8' as TextEncodingName };
  const report: IngestReport = {
    read: 0, stored: 0, replaced: 0, rejected: [], rejectedCount: 0, format: 'none',
    formats: {}, indices: {}, lines: 0, bytes: 0, writer: 'in-thread',
    encoding: 'utf-8', invalidUtf8: 0, warnings: [],
  };
  let records = 0;
  let containers = { bulk: 0, search: 0 };
  const reject = (line: number, reason: string) => {
    report.rejectedCount++;
    if (report.rejected.length < maxListed) report.rejected.push({ line, reason });
  };
  // rows of the batch being built; stored_at is the time the batch was started
  let batch: RowValues[] = [];
  let batchTime = Date.now();
  const counted = (r: { stored: number; replaced: number }) => {
    report.stored += r.stored;
    report.replaced += r.replaced;
  };
  // the first batch is written here; a longer input starts the worker for the rest
  let writer: BatchWriter | null = null;
  let triedWorker = useWorker === false;
  let flushes = 0;
  const inFlight: Promise<void>[] = [];
  let writeError: Error | null = null;
  const flush = async (final: boolean) => {
    if (!batch.length) return;
    const rows = batch;
    batch = [];
    // not before a second full batch: a small input never pays for a thread
    if (!writer && !triedWorker && !final && flushes > 0 && (useWorker === true || spareCore())) {
      triedWorker = true;
      writer = await store.openWorkerWriter();
      if (writer) report.writer = 'worker';
    }
    flushes++;
    if (!writer) {
      counted(store.insertRows(rows));
      return;
    }
    // at most two batches queued in the worker: memory stays bounded and errors surface
    inFlight.push(
      writer.write(rows).then(counted, (e: unknown) => {
        writeError ??= e instanceof Error ? e : new Error(String(e));
      }),
    );
    while (inFlight.length > (final ? 0 : 2)) await inFlight.shift();
    if (writeError) throw writeError;
  };
  const progress = () =>
    opts.onProgress?.({
      bytes: counters.bytes, totalBytes, lines: counters.lines, read: report.read,
      stored: report.stored + report.replaced, rejected: report.rejectedCount,
    });

  // OTRF files: non-Sysmon records wait until a Sysmon record tells the clock offset
  let otrfOffset: number | undefined;
  let otrfPending: { raw: Doc; line: number; meta: Meta }[] = [];

  interface Meta {
    index?: string;
    id?: string;
    text?: string;
  }

  const emit = (raw: unknown, line: number, meta: Meta) => {
    report.read++;
    if (!isRecord(raw)) {
      reject(line, `expected a JSON object, got ${Array.isArray(raw) ? 'an array' : raw === null ? 'null' : raw instanceof Number ? 'number' : typeof raw}`);
      return;
    }
    if ('SourceName' in raw && 'EventID' in raw && (!accept || accept.includes('otrf'))) {
      if (otrfOffset === undefined) {
        const off = otrfOffsetMs(raw);
        if (off !== undefined) {
          otrfOffset = off;
          const waiting = otrfPending;
          otrfPending = [];
          for (const p of waiting) store1(p.raw, p.line, p.meta);
        } else if (!otrfIsSysmon(raw) && otrfPending.length < 20000) {
          otrfPending.push({ raw, line, meta });
          return;
        }
      }
    }
    store1(raw, line, meta);
  };

  // Ids of documents without one: a hash of the content; a repeat of identical content in
  // the same input (two real, indistinguishable records) gets its occurrence number mixed in.
  // Deterministic, so re-ingesting the input replaces instead of duplicating.
  const seen = new Map<string, number>();
  // The id starts with the event time (base 36), so new ids mostly append to the store's
  // (index, id) B-tree instead of landing at random pages.
  const contentId = (json: string, t: number | null): string => {
    const h = documentId(json);
    const n = seen.get(h) ?? 0;
    if (seen.size >= 200_000) seen.clear();
    seen.set(h, n + 1);
    const hash = n === 0 ? h : documentId(`${json}\n#${n}`);
    return t === null || t < 0 ? hash : `${t.toString(36).padStart(9, '0')}-${hash}`;
  };

  const store1 = (raw: Doc, line: number, meta: Meta) => {
    try {
      const n = normalizeDocument(raw, { accept, otrfOffsetMs: otrfOffset ?? 0 });
      const json = n.source === raw && meta.text ? meta.text : stringifyDocumentJson(n.source);
      const index = opts.index ?? meta.index ?? n.index;
      const t = n.timestampMs;
      if (batch.length === 0) batchTime = Date.now();
      batch.push(toRowValues({ _index: index, _id: meta.id ?? contentId(json, t), _source: n.source, json, tsMs: t }, batchTime));
      report.formats[n.format] = (report.formats[n.format] ?? 0) + 1;
      report.indices[index] = (report.indices[index] ?? 0) + 1;
    } catch (e) {
      if (e instanceof NormalizeError) reject(line, e.message);
      else reject(line, `cannot normalise: ${(e as Error).message}`);
    }
  };

  let bulkPending: { action: string; index?: string; id?: string; line: number } | null = null;
  // into an empty store, the secondary indexes are built once at the end (see beginBulkLoad)
  const bulk = store.beginBulkLoad();
  try {
    for await (const found of readRecords(asText(stream, counters), counters)) {
      records += found.length;
      for (const rec of found) {
        if (batch.length >= batchSize) {
          await flush(false);
          progress();
        }
        if (rec.error !== undefined) {
          if (bulkPending) bulkPending = null; // the source of a pending action is lost with it
          report.read++;
          reject(rec.line, rec.error);
          continue;
        }
        const v = rec.value;
        if (bulkPending) {
          const p = bulkPending;
          bulkPending = null;
          containers.bulk++;
          const src = p.action === 'update' && isRecord(v) && isRecord(v.doc) ? v.doc : v;
          emit(src, rec.line, { index: p.index, id: p.id, text: p.action === 'update' ? undefined : rec.text });
          continue;
        }
        const action = forced === 'auto' || forced === 'bulk' ? bulkAction(v) : null;
        if (action) {
          if (action.action !== 'delete') bulkPending = { ...action, line: rec.line };
          continue;
        }
        if (forced === 'bulk') {
          report.read++;
          reject(rec.line, 'expected a bulk action line ({"index":{…}} / {"create":{…}})');
          continue;
        }
        const hits = searchHits(v);
        if (hits) {
          containers.search++;
          for (const h of hits) {
            if (isHit(h)) {
              emit(h._source, rec.line, {
                index: typeof h._index === 'string' ? h._index : undefined,
                id: typeof h._id === 'string' || typeof h._id === 'number' ? String(h._id) : undefined,
              });
            } else {
              report.read++;
              reject(rec.line, 'search hit without _source');
            }
          }
          continue;
        }
        if (isHit(v)) {
          containers.search++;
          emit(v._source, rec.line, {
            index: typeof v._index === 'string' ? v._index : undefined,
            id: typeof v._id === 'string' || typeof v._id === 'number' ? String(v._id) : undefined,
          });
          continue;
        }
        if (Array.isArray(v)) {
          // an array of documents: each object is a record; the elements that are not
          // objects are ONE rejected record of this line (not one per element)
          const bad: number[] = [];
          v.forEach((el: unknown, i) => (isRecord(el) ? emit(el, rec.line, {}) : bad.push(i + 1)));
          if (bad.length) {
            report.read++;
            const which = bad.length === v.length ? 'an array of no JSON object' : `an array whose element${bad.length > 1 ? 's' : ''} ${bad.slice(0, 5).join(', ')}${bad.length > 5 ? ', …' : ''} ${bad.length > 1 ? 'are' : 'is'} not a JSON object`;
            reject(rec.line, `expected a JSON object, got ${which}`);
          }
          continue;
        }
        emit(v, rec.line, { text: rec.text });
      }
      // a full batch is written before the next read (a failing input keeps what came before)
      if (batch.length >= batchSize) {
        await flush(false);
        progress();
      }
    }
    if (bulkPending) {
      report.read++;
      reject(bulkPending.line, `bulk ${bulkPending.action} action without a source line`);
    }
    // no Sysmon record told the offset: TimeCreated is taken as UTC
    const waiting = otrfPending;
    otrfPending = [];
    for (const p of waiting) store1(p.raw, p.line, p.meta);
    await flush(true);
  } finally {
    const w = writer as BatchWriter | null; // assigned inside flush()
    if (w) {
      await Promise.allSettled(inFlight);
      await w.close().catch((e: unknown) => {
        writeError ??= e instanceof Error ? e : new Error(String(e));
      });
    }
    if (bulk) store.endBulkLoad();
  }
  if (writeError) throw writeError;
  report.lines = counters.lines;
  report.bytes = counters.bytes;
  report.encoding = counters.encoding;
  report.invalidUtf8 = counters.invalidUtf8;
  if (counters.bytes === 0) throw new IngestInputError('the file is empty (0 bytes): nothing to ingest');
  if (records === 0) throw new IngestInputError(`the file holds no JSON records (${counters.bytes} bytes of blank lines or spaces): nothing to ingest`);
  if (counters.invalidUtf8 > 0) {
    report.warnings.push(
      `${counters.invalidUtf8} invalid UTF-8 byte sequence${counters.invalidUtf8 === 1 ? ' was' : 's were'} read as U+FFFD (\ufffd); the records holding them were stored with that character`,
    );
  }
  if (counters.encoding !== 'utf-8') report.warnings.push(`read as ${counters.encoding.toUpperCase()} (byte order mark or zero bytes of UTF-16 text)`);
  const shapes = Object.keys(report.formats) as DocFormat[];
  report.format = containers.bulk > 0 ? 'bulk' : containers.search > 0 ? 'search'
    : shapes.length === 0 ? 'none' : shapes.length === 1 ? shapes[0] : 'mixed';
  containers = { bulk: 0, search: 0 };
  progress();
  return report;
}
