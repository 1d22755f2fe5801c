/**
 * The prober's HTTP/1.x response parser: framing (Content-Length, chunked, to the close), bodies
 * split anywhere, strictness and caps, and a differential property against Node's own llhttp: on
 * valid responses both agree; on mutated bytes ours never accepts what llhttp rejects.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VigilError } from '../../src/errors.js';
import { MAX_HEAD_BYTES, ResponseParser, type ResponseHead } from '../../src/probe/http-response.js';
import { bounded, FUZZ_TIMEOUT_MS, fuzzRuns } from '../helpers/fuzz.js';
import { llhttpParse } from '../helpers/llhttp.js';

const CLOSED = new VigilError('VIGIL_TEST_CLOSED', 'closed early');

interface Parsed {
  head?: ResponseHead;
  body: string;
  complete: boolean;
  error?: string;
}

/** Feeds `pieces` then the peer's close; what the parser reported. */
function parse(pieces: readonly Buffer[], { headRequest = false, stopAtHead = false, stopAfterBytes = Infinity } = {}): Parsed {
  const out: Parsed = { body: '', complete: false };
  let bytes = 0;
  const parser = new ResponseParser(
    {
      onHead: (head) => {
        out.head = head;
        return !stopAtHead;
      },
      onBody: (chunk) => {
        out.body += chunk.toString('latin1');
        bytes += chunk.length;
        return bytes <= stopAfterBytes;
      },
    },
    headRequest,
  );
  try {
    for (const piece of pieces) if (!parser.done) parser.push(piece);
    parser.end(CLOSED);
  } catch (error) {
    if (!(error instanceof VigilError)) throw error;
    out.error = error.message;
  }
  out.complete = parser.complete;
  return out;
}

const whole = (text: string) => [Buffer.from(text, 'latin1')];
const byteByByte = (text: string) => [...Buffer.from(text, 'latin1')].map((byte) => Buffer.from([byte]));

describe('the HTTP response parser', () => {
  it('reads a Content-Length body, a chunked body with extensions and trailers, and a body to the close, split anywhere', () => {
    const cases: Array<[string, string, number | undefined]> = [
      ['HTTP/1.1 200 OK\r\nContent-Length: 5\r\nLocation: /a\r\n\r\nhello', 'hello', 5],
      ['HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n5;x=y\r\nhello\r\n1\r\n!\r\n0\r\nX-Trailer: t\r\n\r\n', 'hello!', undefined],
      ['HTTP/1.0 200 OK\r\n\r\nto the close', 'to the close', undefined],
      ['HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nraw', 'raw', undefined],
    ];
    for (const [text, body, contentLength] of cases) {
      for (const pieces of [whole(text), byteByByte(text)]) {
        const parsed = parse(pieces);
        expect(parsed, text).toMatchObject({ body, complete: true });
        expect(parsed.error).toBeUndefined();
        expect(parsed.head?.contentLength).toBe(contentLength);
      }
    }
    expect(parse(whole('HTTP/1.1 302 Found\r\nLocation: /first\r\nLocation: /second\r\nContent-Length: 0\r\n\r\n')).head).toEqual({
      status: 302,
      version: '1.1',
      contentLength: 0,
      location: '/first',
    });
  });

  it('a HEAD response, 204, 304 and 101 have no body; 1xx interim responses are skipped', () => {
    expect(parse(whole('HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n'), { headRequest: true })).toMatchObject({ body: '', complete: true });
    for (const status of [204, 304, 101]) {
      expect(parse(whole(`HTTP/1.1 ${status} X\r\nContent-Length: 3\r\n\r\nabc`))).toMatchObject({ body: '', complete: true, head: { status } });
    }
    const interim = parse(byteByByte('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early\r\nLink: </a>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'));
    expect(interim).toMatchObject({ body: 'ok', complete: true, head: { status: 200 } });
  });

  it('a close before the end of the head or of a framed body is the caller’s "closed early" error', () => {
    for (const text of ['', 'HTTP/1.1 20', 'HTTP/2.0 2', 'HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel']) {
      expect(parse(whole(text)).error, JSON.stringify(text)).toBe('closed early');
    }
    expect(parse(whole('SMTP ready')).error).toBe('malformed HTTP response');
  });

  it('rejects what strict llhttp rejects: bare LF, obs-fold, spaces before the colon, CL with TE, two CLs, bad chunk framing', () => {
    const bad = [
      'HTTP/1.1 200 OK\nContent-Length: 0\r\n\r\n',
      'HTTP/1.1 200 OK\r\nX: a\r\n b\r\n\r\n',
      'HTTP/1.1 200 OK\r\nX : a\r\n\r\n',
      'HTTP/1.1 200 OK\r\nX: a\x01b\r\n\r\n',
      'HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n',
      'HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc',
      'HTTP/1.1 200 OK\r\nContent-Length: +3\r\n\r\nabc',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nz\r\n',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3 \r\nabc\r\n0\r\n\r\n',
      'HTTP/1.2 200 OK\r\n\r\n',
      'HTTP/1.1 099 Low\r\n\r\n',
      'HTTP/1.1 200 OK\r\r\n\r\n',
    ];
    for (const text of bad) {
      expect(parse(whole(text)).error, JSON.stringify(text)).toBe('malformed HTTP response');
      expect(llhttpParse(Buffer.from(text, 'latin1'), false).status, JSON.stringify(text)).toBeUndefined();
    }
  });

  it('caps the head, the trailers and a chunk-size line; the caller can stop at the head or in the body', () => {
    const filler = (bytes: number) => `X-Fill: ${'a'.repeat(bytes)}\r\n`;
    expect(parse(whole(`HTTP/1.1 200 OK\r\n${filler(MAX_HEAD_BYTES)}\r\n`)).error).toBe('response headers too large');
    expect(parse(byteByByte(`HTTP/1.1 200 OK\r\n${filler(MAX_HEAD_BYTES)}\r\n`)).error).toBe('response headers too large');
    expect(parse(whole(`HTTP/1.1 200 OK\r\n${filler(MAX_HEAD_BYTES - 100)}Content-Length: 0\r\n\r\n`)).complete).toBe(true);
    const chunked = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n';
    expect(parse(whole(`${chunked}0\r\n${filler(MAX_HEAD_BYTES)}\r\n`)).error).toBe('response headers too large');
    expect(parse(whole(`${chunked}1;${'e'.repeat(2000)}\r\na\r\n0\r\n\r\n`)).error).toBe('malformed HTTP response');
    expect(parse(whole(`${chunked}${'f'.repeat(14)}\r\n`)).error).toBe('malformed HTTP response');
    expect(parse(whole(`${chunked}${'0'.repeat(20)}1\r\na\r\n0\r\n\r\n`))).toMatchObject({ body: 'a', complete: true });

    const stoppedAtHead = parse(whole('HTTP/1.1 301 Moved\r\nLocation: /x\r\nContent-Length: 5\r\n\r\nhello'), { stopAtHead: true });
    expect(stoppedAtHead).toMatchObject({ body: '', complete: false, head: { location: '/x' } });
    expect(stoppedAtHead.error).toBeUndefined();
    const stoppedInBody = parse(byteByByte(`${chunked}a\r\n0123456789\r\n0\r\n\r\n`), { stopAfterBytes: 3 });
    expect(stoppedInBody).toMatchObject({ body: '0123', complete: false });
    expect(stoppedInBody.error).toBeUndefined();
  });
});

// Generated responses: token names, printable values, one of the three framings.
const token = fc.stringMatching(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,12}$/);
const fieldValue = fc.stringMatching(/^[\x21-\x7e]([\x20-\x7e]{0,20}[\x21-\x7e])?$/);
const framing = fc.constantFrom('length', 'chunked', 'close');
const response = fc.record({
  interim: fc.boolean(),
  status: fc.integer({ min: 200, max: 599 }),
  version: fc.constantFrom('1.1', '1.0', '0.9', '2.0'),
  reason: fc.stringMatching(/^[A-Za-z ]{0,12}$/),
  headers: fc.array(fc.tuple(token, fieldValue), { maxLength: 6 }),
  framing,
  body: fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
  chunkSize: fc.integer({ min: 1, max: 64 }),
});
type Generated = typeof response extends fc.Arbitrary<infer T> ? T : never;

const FRAMING_HEADERS = new Set(['content-length', 'transfer-encoding']);
function serialize(r: Generated): string {
  let text = r.interim ? 'HTTP/1.1 100 Continue\r\n\r\n' : '';
  text += `HTTP/${r.version} ${r.status} ${r.reason}\r\n`;
  for (const [name, value] of r.headers) if (!FRAMING_HEADERS.has(name.toLowerCase())) text += `${name}: ${value}\r\n`;
  if (r.framing === 'length') text += `Content-Length: ${r.body.length}\r\n\r\n${r.body}`;
  else if (r.framing === 'close') text += `\r\n${r.body}`;
  else {
    text += 'Transfer-Encoding: chunked\r\n\r\n';
    for (let at = 0; at < r.body.length; at += r.chunkSize) {
      const chunk = r.body.slice(at, at + r.chunkSize);
      text += `${chunk.length.toString(16)}\r\n${chunk}\r\n`;
    }
    text += '0\r\n\r\n';
  }
  return text;
}

/** Splits `bytes` at the given offsets. */
function split(bytes: Buffer, cuts: readonly number[]): Buffer[] {
  const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
  const pieces: Buffer[] = [];
  let from = 0;
  for (const point of [...points, bytes.length]) {
    pieces.push(bytes.subarray(from, point));
    from = point;
  }
  return pieces;
}

const noBody = (status: number) => status === 204 || status === 304;

describe('the HTTP response parser against llhttp', () => {
  it(
    'agrees with llhttp on generated responses, however the bytes are split',
    () => {
      fc.assert(
        fc.property(response, fc.array(fc.nat(), { maxLength: 8 }), fc.boolean(), (r, cuts, headRequest) => {
          const bytes = Buffer.from(serialize(r), 'latin1');
          const ours = bounded('parse', () => parse(split(bytes, cuts), { headRequest }));
          const reference = llhttpParse(bytes, headRequest);
          expect(ours.error).toBeUndefined();
          expect(ours.complete).toBe(true);
          expect({ status: ours.head?.status, version: ours.head?.version, body: ours.body }).toEqual(reference);
          expect(ours.body).toBe(headRequest || noBody(r.status) ? '' : r.body);
        }),
        { numRuns: fuzzRuns(400) },
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    'never accepts a mutated response that llhttp rejects, and never throws anything but its own errors',
    () => {
      const mutation = fc.record({ at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }), kind: fc.constantFrom('replace', 'insert', 'delete') });
      fc.assert(
        fc.property(response, fc.array(mutation, { minLength: 1, maxLength: 3 }), fc.array(fc.nat(), { maxLength: 4 }), (r, mutations, cuts) => {
          const bytes = [...Buffer.from(serialize(r), 'latin1')];
          for (const { at, byte, kind } of mutations) {
            const index = at % (bytes.length + 1);
            if (kind === 'insert') bytes.splice(index, 0, byte);
            else if (kind === 'delete') bytes.splice(index, 1);
            else bytes[Math.min(index, bytes.length - 1)] = byte;
          }
          const buffer = Buffer.from(bytes);
          const ours = bounded('parse', () => parse(split(buffer, cuts)));
          if (!ours.complete) return;
          const reference = llhttpParse(buffer, false);
          expect({ status: ours.head?.status, version: ours.head?.version, body: ours.body }).toEqual(reference);
        }),
        { numRuns: fuzzRuns(1500) },
      );
    },
    FUZZ_TIMEOUT_MS,
  );
});
