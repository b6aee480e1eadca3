/**
 * The file part of a multipart/form-data upload (curl -F file=@events.ndjson), streamed:
 * the parts are split as the bytes arrive, the "file" part's content is handed on chunk by
 * chunk and nothing is buffered beyond a delimiter's length (formData() held the whole
 * upload in memory). Linear in the body: each byte is looked at a bounded number of times.
 */
import { Readable } from 'node:stream';

export class MultipartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MultipartError';
  }
}

/** The boundary of a multipart/form-data content type, or an error saying what is wrong. */
export function multipartBoundary(contentType: string): string {
  const m = /;\s*boundary=(?:"([^"]{1,70})"|([^;\s]{1,70}))/i.exec(contentType);
  const b = m?.[1] ?? m?.[2];
  if (!b) throw new MultipartError('multipart/form-data without a boundary (1 to 70 characters)');
  return b;
}

const MAX_HEADER_BYTES = 16 * 1024;

interface PartHeaders {
  name: string | null;
  filename: string | null;
}

function parseHeaders(text: string): PartHeaders {
  const cd = /^content-disposition:\s*form-data(.*)$/im.exec(text)?.[1] ?? '';
  const param = (key: string) => new RegExp(`;\\s*${key}="((?:[^"\\\\]|\\\\.)*)"`, 'i').exec(cd)?.[1]?.replace(/\\(.)/g, '$1') ?? new RegExp(`;\\s*${key}=([^;\\s]+)`, 'i').exec(cd)?.[1] ?? null;
  return { name: param('name'), filename: param('filename') };
}

/**
 * Reads `body` up to the part named `field` and resolves with its file name and a stream of
 * its content (which ends at the part's closing delimiter; the rest of the body is drained).
 * Refuses a body without that part, or one that ends inside it.
 */
export async function multipartFile(
  body: AsyncIterable<Uint8Array>,
  boundary: string,
  field = 'file',
): Promise<{ filename: string | null; stream: Readable }> {
  const iterator = body[Symbol.asyncIterator]();
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  // the first delimiter may open the body without a CRLF before it: pretend there was one
  let buf: Buffer = Buffer.from('\r\n');
  let done = false;
  const more = async (): Promise<boolean> => {
    if (done) return false;
    const r = await iterator.next();
    if (r.done) {
      done = true;
      return false;
    }
    buf = buf.length ? Buffer.concat([buf, Buffer.from(r.value)]) : Buffer.from(r.value);
    return true;
  };
  /** skips to just after the next delimiter; false at the end of the body */
  const skipPastDelimiter = async (): Promise<boolean> => {
    for (;;) {
      const at = buf.indexOf(delimiter);
      if (at >= 0) {
        buf = buf.subarray(at + delimiter.length);
        return true;
      }
      buf = buf.subarray(Math.max(0, buf.length - delimiter.length + 1));
      if (!(await more())) return false;
    }
  };
  for (;;) {
    if (!(await skipPastDelimiter())) throw new MultipartError(`the form has no "${field}" part`);
    while (buf.length < 2 && (await more()));
    if (buf.subarray(0, 2).toString('latin1') === '--') throw new MultipartError(`the form has no "${field}" part`);
    let end = buf.indexOf('\r\n\r\n');
    while (end < 0) {
      if (buf.length > MAX_HEADER_BYTES) throw new MultipartError(`a part's headers are longer than ${MAX_HEADER_BYTES} bytes`);
      if (!(await more())) throw new MultipartError('the form ends inside a part\'s headers');
      end = buf.indexOf('\r\n\r\n');
    }
    const headers = parseHeaders(buf.subarray(0, end).toString('utf8'));
    buf = buf.subarray(end + 4);
    if (headers.name !== field) continue;
    // this part's content: everything up to the next delimiter
    const keep = delimiter.length - 1;
    async function* content(): AsyncGenerator<Buffer> {
      for (;;) {
        const at = buf.indexOf(delimiter);
        if (at >= 0) {
          if (at > 0) yield buf.subarray(0, at);
          buf = Buffer.alloc(0);
          // drain the rest of the body (other parts are ignored)
          while (!done) {
            const r = await iterator.next();
            if (r.done) done = true;
          }
          return;
        }
        if (buf.length > keep) {
          const out = buf.subarray(0, buf.length - keep);
          buf = buf.subarray(buf.length - keep);
          yield out;
        }
        if (!(await more())) throw new MultipartError(`the upload ended inside the "${field}" part (no closing boundary): it did not arrive whole`);
      }
    }
    return { filename: headers.filename, stream: Readable.from(content(), { objectMode: false }) };
  }
}
