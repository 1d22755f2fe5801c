/**
 * A strict, incremental HTTP/1.x response parser for the prober: one request per connection,
 * so it reads one final response (skipping 1xx interim ones) and then stops. It is as strict
 * as Node's llhttp without lenient flags (CRLF line ends, token header names, no obs-fold, no
 * Content-Length with Transfer-Encoding), and bounded: the head and the trailers are capped,
 * a chunk-size line is capped, nothing is buffered beyond one incomplete line.
 * Errors carry fixed messages: nothing the target sent is ever echoed.
 */
import { VigilError } from '../errors.js';

/** What the prober needs from the head of the final response. */
export interface ResponseHead {
  status: number;
  /** `1.1`, `1.0` (or `0.9`, `2.0`: llhttp accepts them too). */
  version: string;
  /** The Content-Length header, when the response has one (even when there is no body). */
  contentLength: number | undefined;
  /** The first Location header. */
  location: string | undefined;
}

export interface ResponseHandler {
  /** The final response's head; return false to stop reading (its body is not wanted). */
  onHead(head: ResponseHead): boolean;
  /** A piece of the body; return false to stop reading. */
  onBody(chunk: Buffer): boolean;
}

/** Node's default --max-http-header-size: the start line and the headers (and again the trailers). */
export const MAX_HEAD_BYTES = 16 * 1024;
const MAX_CHUNK_LINE = 1024;
const MAX_CHUNK_HEX_DIGITS = 13; // 2^52: a safe integer

const HEADERS_TOO_LARGE = new VigilError('VIGIL_PROBE_HTTP_HEADERS_TOO_LARGE', 'response headers too large');
const MALFORMED = new VigilError('VIGIL_PROBE_HTTP_MALFORMED', 'malformed HTTP response');

// The versions llhttp accepts.
const STATUS_LINE = /^HTTP\/(0\.9|1\.[01]|2\.0) ([1-9]\d\d)(?: [\t\x20-\x7e\x80-\xff]*)?$/;
const HEADER_LINE = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+:[\t\x20-\x7e\x80-\xff]*$/;
const CHUNK_SIZE = /^([0-9A-Fa-f]+)(?:;[\t\x20-\x7e\x80-\xff]*)?$/;
const DIGITS = /^\d+$/;

const STATUS = 0;
const HEADERS = 1;
const LENGTH_BODY = 2;
const CLOSE_BODY = 3;
const CHUNK_SIZE_LINE = 4;
const CHUNK_DATA = 5;
const CHUNK_END = 6;
const TRAILERS = 7;
const DONE = 8;

function malformed(): never {
  throw MALFORMED;
}

/** Feeds bytes with push(), the peer's FIN with end(); both throw VigilErrors on a bad response. */
export class ResponseParser {
  private state = STATUS;
  /** The incomplete line so far (latin1), and the head (or trailer) bytes counted against the cap. */
  private line = '';
  private headBytes = 0;
  private status = 0;
  private version = '';
  private contentLength: number | undefined;
  private transferEncoding: string | undefined;
  private location: string | undefined;
  /** Body bytes left in a Content-Length body or in the current chunk. */
  private remaining = 0;
  private completed = false;

  constructor(
    private readonly handler: ResponseHandler,
    /** A HEAD request: the response has no body whatever its headers say. */
    private readonly headRequest: boolean,
  ) {}

  /** Nothing more to read: the response is complete, or the handler stopped it. */
  get done(): boolean {
    return this.state === DONE;
  }

  /** The whole response was read (not stopped by the handler). */
  get complete(): boolean {
    return this.completed;
  }

  push(data: Buffer): void {
    let at = 0;
    while (at < data.length && this.state !== DONE) {
      if (this.state === LENGTH_BODY || this.state === CLOSE_BODY || this.state === CHUNK_DATA) at = this.body(data, at);
      else if (this.state === CHUNK_END) at = this.chunkEnd(data, at);
      else at = this.nextLine(data, at);
    }
  }

  /** The peer closed its side: completes a body that runs to the close, else the response is cut short. */
  end(closedEarly: Error): void {
    if (this.state === DONE) return;
    if (this.state === CLOSE_BODY) {
      this.finish();
      return;
    }
    if (this.state === STATUS && this.line !== '' && !'HTTP/'.startsWith(this.line.slice(0, 5))) malformed();
    throw closedEarly;
  }

  private body(data: Buffer, at: number): number {
    const take = this.state === CLOSE_BODY ? data.length - at : Math.min(this.remaining, data.length - at);
    this.remaining -= take;
    const more = this.handler.onBody(data.subarray(at, at + take));
    if (!more) this.state = DONE;
    else if (this.remaining === 0 && this.state === LENGTH_BODY) this.finish();
    else if (this.remaining === 0 && this.state === CHUNK_DATA) this.state = CHUNK_END;
    return at + take;
  }

  /** The CRLF after a chunk's data (its two bytes may arrive apart). */
  private chunkEnd(data: Buffer, at: number): number {
    const expected = this.line === '' ? 13 : 10;
    if (data[at] !== expected) malformed();
    if (expected === 13) this.line = '\r';
    else {
      this.line = '';
      this.state = CHUNK_SIZE_LINE;
    }
    return at + 1;
  }

  /** Accumulates a line up to its LF; handles it when complete. */
  private nextLine(data: Buffer, at: number): number {
    const lf = data.indexOf(10, at);
    const end = lf === -1 ? data.length : lf + 1;
    const cap = this.state === CHUNK_SIZE_LINE ? MAX_CHUNK_LINE - this.line.length : MAX_HEAD_BYTES - this.headBytes;
    if (end - at > cap) {
      if (this.state === CHUNK_SIZE_LINE) malformed();
      throw HEADERS_TOO_LARGE;
    }
    if (this.state !== CHUNK_SIZE_LINE) this.headBytes += end - at;
    this.line += data.toString('latin1', at, end);
    if (lf === -1) return end;
    const line = this.line;
    this.line = '';
    if (line.length < 2 || line.charCodeAt(line.length - 2) !== 13 || line.indexOf('\r') !== line.length - 2) malformed();
    this.handleLine(line.slice(0, -2));
    return end;
  }

  private handleLine(line: string): void {
    if (this.state === STATUS) this.statusLine(line);
    else if (this.state === HEADERS) this.headerLine(line);
    else if (this.state === CHUNK_SIZE_LINE) this.chunkSize(line);
    else if (line === '') this.finish();
    else if (!HEADER_LINE.test(line)) malformed(); // a trailer
  }

  private statusLine(line: string): void {
    const match = STATUS_LINE.exec(line);
    if (!match) malformed();
    this.version = match[1] ?? '';
    this.status = Number(match[2]);
    this.contentLength = this.transferEncoding = this.location = undefined;
    this.state = HEADERS;
  }

  private headerLine(line: string): void {
    if (line === '') {
      this.headComplete();
      return;
    }
    if (!HEADER_LINE.test(line)) malformed();
    const colon = line.indexOf(':');
    // Only three names matter here: skip the others without copying them.
    if (colon !== 8 && colon !== 14 && colon !== 17) return;
    const name = line.slice(0, colon).toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === 'content-length') {
      // A second Content-Length, even an equal one, is an error (as llhttp has it).
      if (!DIGITS.test(value) || this.contentLength !== undefined) malformed();
      this.contentLength = Number(value);
    } else if (name === 'transfer-encoding') {
      this.transferEncoding = this.transferEncoding === undefined ? value : `${this.transferEncoding}, ${value}`;
    } else if (name === 'location') {
      this.location ??= value;
    }
  }

  private headComplete(): void {
    const { status } = this;
    this.headBytes = 0;
    if (status < 200 && status !== 101) {
      this.state = STATUS; // an interim response: the final one follows
      return;
    }
    if (this.transferEncoding !== undefined && this.contentLength !== undefined) malformed();
    const more = this.handler.onHead({ status, version: this.version, contentLength: this.contentLength, location: this.location });
    if (!more) {
      this.state = DONE;
      return;
    }
    if (this.headRequest || status === 101 || status === 204 || status === 304) this.finish();
    else if (this.transferEncoding !== undefined) {
      const codings = this.transferEncoding.toLowerCase().split(',');
      // A response whose last coding is not chunked runs to the close (RFC 9112 6.3).
      this.state = codings[codings.length - 1]?.trim() === 'chunked' ? CHUNK_SIZE_LINE : CLOSE_BODY;
    } else if (this.contentLength === undefined) this.state = CLOSE_BODY;
    else if (this.contentLength === 0) this.finish();
    else {
      this.remaining = this.contentLength;
      this.state = LENGTH_BODY;
    }
  }

  private chunkSize(line: string): void {
    const match = CHUNK_SIZE.exec(line);
    const digits = match?.[1]?.replace(/^0+(?=.)/, '');
    if (digits === undefined || digits.length > MAX_CHUNK_HEX_DIGITS) malformed();
    this.remaining = parseInt(digits, 16);
    this.state = this.remaining === 0 ? TRAILERS : CHUNK_DATA;
  }

  private finish(): void {
    this.state = DONE;
    this.completed = true;
  }
}
