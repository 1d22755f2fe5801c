/**
 * Node's own response parser (llhttp, strict, as node:http uses it) for differential tests of
 * src/probe/http-response.ts. Test-only: `_http_common` is Node's internal module, never product code.
 */
import { createRequire } from 'node:module';

interface HttpParser {
  initialize(type: number, resource: object, maxHeaderSize: number, lenient: number): void;
  execute(data: Buffer): number | Error;
  finish(): number | Error | undefined;
  [callback: number]: unknown;
}
interface HttpParserClass {
  new (): HttpParser;
  RESPONSE: number;
  kLenientNone: number;
  kOnHeaders: number;
  kOnHeadersComplete: number;
  kOnBody: number;
  kOnMessageComplete: number;
  kOnExecute: number;
}

const { HTTPParser } = createRequire(import.meta.url)('_http_common') as { HTTPParser: HttpParserClass };

export interface ReferenceResponse {
  /** The final (non-1xx, or 101) response, or undefined when llhttp rejected the bytes or they ended early. */
  status?: number;
  version?: string;
  body?: string;
}

/**
 * Parses `bytes` as one connection's worth of response, the connection closing after them
 * (`finish()`); a HEAD response has no body. Returns the final response when complete.
 */
export function llhttpParse(bytes: Buffer, headRequest: boolean): ReferenceResponse {
  const parser = new HTTPParser();
  parser.initialize(HTTPParser.RESPONSE, {}, 16 * 1024, HTTPParser.kLenientNone);
  let status: number | undefined;
  let version = '';
  let body: Buffer[] = [];
  let final: ReferenceResponse | undefined;
  parser[HTTPParser.kOnHeaders] = () => undefined;
  parser[HTTPParser.kOnExecute] = () => undefined;
  parser[HTTPParser.kOnHeadersComplete] = (major: number, minor: number, _h: unknown, _m: unknown, _u: unknown, code: number) => {
    status = code;
    version = `${major}.${minor}`;
    body = [];
    return headRequest || code === 101 ? 1 : 0;
  };
  parser[HTTPParser.kOnBody] = (chunk: Buffer) => {
    body.push(Buffer.from(chunk));
  };
  parser[HTTPParser.kOnMessageComplete] = () => {
    if (status !== undefined && (status >= 200 || status === 101)) final ??= { status, version, body: Buffer.concat(body).toString('latin1') };
  };
  // An error after the final response does not matter: the prober has stopped reading by then.
  if (!(parser.execute(bytes) instanceof Error)) parser.finish();
  return final ?? {};
}
