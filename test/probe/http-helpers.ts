import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { onTestFinished } from 'vitest';
import type { ProbeOptions } from '../../src/probe/types.js';
import { listen } from '../helpers/listen.js';
import { makeOptions, makeTarget } from '../helpers/protocol-probe.js';

/** Probe options for HTTP tests: makeOptions with a 5 s timeout. */
export function options(overrides: Partial<ProbeOptions> = {}): ProbeOptions {
  return makeOptions({ timeoutMs: 5_000, ...overrides });
}

export const target = makeTarget;

export function neverAborted(): AbortSignal {
  return new AbortController().signal;
}

/** An HTTP server on 127.0.0.1:0 closed when the current test finishes; resolves with its base URL. */
export async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const { port, close } = await listen(createServer(handler));
  onTestFinished(close);
  return `http://127.0.0.1:${port}`;
}
