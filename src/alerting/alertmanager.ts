/**
 * Client for ONE Alertmanager peer: POST `${url}/api/v2/alerts`. Plain targets use
 * globalThis.fetch; targets with custom TLS (insecure, CA, client certificate) use undici's
 * own fetch with a dedicated Agent. Outcomes: 2xx resolves; 4xx rejects with a permanent
 * AlertmanagerError (the peer's message included; a 400 may still have stored the valid
 * alerts of the batch); 5xx, 408, 429, timeouts and network errors reject with a retryable one.
 */
import { readFile } from 'node:fs/promises';
import { Agent, fetch as undiciFetch } from 'undici';
import type { AlertmanagerTarget } from '../config/schema.js';
import { VigilError } from '../errors.js';
import { redactText, redactUrl } from '../redact.js';
import type { PostableAlert } from './types.js';

export type AlertmanagerErrorCode =
  | 'VIGIL_ALERTMANAGER_REJECTED'
  | 'VIGIL_ALERTMANAGER_UNAVAILABLE'
  | 'VIGIL_ALERTMANAGER_TIMEOUT'
  | 'VIGIL_ALERTMANAGER_TLS_CONFIG';

export class AlertmanagerError extends VigilError {
  override readonly code: AlertmanagerErrorCode;
  /** Worth retrying the same batch later (5xx, timeout, network). */
  readonly retryable: boolean;
  /** HTTP status when the peer answered. */
  readonly status: number | undefined;

  constructor(code: AlertmanagerErrorCode, message: string, options: { retryable: boolean; status?: number; cause?: unknown }) {
    super(code, message, { cause: options.cause });
    this.code = code;
    this.retryable = options.retryable;
    this.status = options.status;
  }
}

export interface AlertmanagerClient {
  /** The peer's base URL, redacted: safe for logs and metric labels. */
  readonly name: string;
  /** Resolves on 2xx; rejects with AlertmanagerError otherwise. */
  send(alerts: readonly PostableAlert[], signal?: AbortSignal): Promise<void>;
  /** Releases the TLS agent, if any. */
  close(): Promise<void>;
}

interface MinimalResponse {
  status: number;
  text(): Promise<string>;
}
type MinimalFetch = (
  url: string,
  init: { method: string; headers: Record<string, string>; body: string; signal: AbortSignal },
) => Promise<MinimalResponse>;

/** Most of a peer's error message (Alertmanager answers 400 with a JSON string or plain text). */
const MAX_MESSAGE_CHARS = 1000;

function peerMessage(text: string): string {
  let message = text.trim();
  try {
    const parsed: unknown = JSON.parse(message);
    if (typeof parsed === 'string') message = parsed;
    else if (parsed !== null && typeof parsed === 'object' && 'message' in parsed && typeof parsed.message === 'string') {
      message = parsed.message;
    }
  } catch {
    // plain text
  }
  return message.length > MAX_MESSAGE_CHARS ? `${message.slice(0, MAX_MESSAGE_CHARS)}…` : message;
}

/** Endpoint URL without userinfo (fetch refuses URLs with credentials) plus the credentials found. */
function splitUrl(base: string): { endpoint: string; user?: { username: string; password: string } } {
  const url = new URL(base);
  const user = url.username || url.password
    ? { username: decodeURIComponent(url.username), password: decodeURIComponent(url.password) }
    : undefined;
  url.username = '';
  url.password = '';
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/api/v2/alerts`;
  return user ? { endpoint: url.toString(), user } : { endpoint: url.toString() };
}

function authHeaders(target: AlertmanagerTarget, urlUser?: { username: string; password: string }): Record<string, string> {
  const basic = target.basicAuth ?? urlUser;
  if (target.bearerToken) return { authorization: `Bearer ${target.bearerToken}` };
  if (basic) return { authorization: `Basic ${Buffer.from(`${basic.username}:${basic.password}`).toString('base64')}` };
  return {};
}

function tlsFetch(tls: NonNullable<AlertmanagerTarget['tls']>): { fetch: MinimalFetch; close: () => Promise<void> } {
  let agent: Promise<Agent> | undefined;
  const makeAgent = async (): Promise<Agent> => {
    try {
      const [ca, cert, key] = await Promise.all([
        tls.caFile ? readFile(tls.caFile, 'utf8') : undefined,
        tls.certificateFile ? readFile(tls.certificateFile, 'utf8') : undefined,
        tls.privateKeyFile ? readFile(tls.privateKeyFile, 'utf8') : undefined,
      ]);
      return new Agent({
        connect: {
          rejectUnauthorized: !tls.insecure,
          ...(ca !== undefined ? { ca } : {}),
          ...(cert !== undefined ? { cert } : {}),
          ...(key !== undefined ? { key } : {}),
        },
      });
    } catch (cause) {
      agent = undefined; // try reading the files again next time
      throw new AlertmanagerError('VIGIL_ALERTMANAGER_TLS_CONFIG', `cannot load TLS files: ${String(cause)}`, {
        retryable: false,
        cause,
      });
    }
  };
  return {
    fetch: async (url, init) => {
      agent ??= makeAgent();
      const dispatcher = await agent;
      return undiciFetch(url, { ...init, dispatcher });
    },
    close: async () => {
      const current = agent;
      agent = undefined;
      if (current) await (await current.catch(() => undefined))?.close();
    },
  };
}

export interface AlertmanagerClientOptions {
  /** Replaces the fetch used for targets without custom TLS (default: globalThis.fetch at call time). */
  fetch?: MinimalFetch;
}

export function createAlertmanagerClient(target: AlertmanagerTarget, options: AlertmanagerClientOptions = {}): AlertmanagerClient {
  const { endpoint, user } = splitUrl(target.url);
  const name = redactUrl(target.url);
  const headers = { 'content-type': 'application/json', accept: 'application/json', ...authHeaders(target, user) };
  const secrets = [target.bearerToken ?? '', target.basicAuth?.password ?? '', user?.password ?? ''];
  const custom = target.tls ? tlsFetch(target.tls) : undefined;
  const doFetch: MinimalFetch = custom?.fetch ?? options.fetch ?? ((url, init) => globalThis.fetch(url, init));

  const send = async (alerts: readonly PostableAlert[], signal?: AbortSignal): Promise<void> => {
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), target.timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout.signal]) : timeout.signal;
    let response: MinimalResponse;
    let body: string;
    try {
      response = await doFetch(endpoint, { method: 'POST', headers, body: JSON.stringify(alerts), signal: combined });
      body = await response.text();
    } catch (cause) {
      if (cause instanceof AlertmanagerError) throw cause;
      if (timeout.signal.aborted) {
        throw new AlertmanagerError('VIGIL_ALERTMANAGER_TIMEOUT', `${name}: no answer within ${target.timeoutMs} ms`, {
          retryable: true,
          cause,
        });
      }
      const reason = cause instanceof Error ? (cause.cause instanceof Error ? `${cause.message}: ${cause.cause.message}` : cause.message) : String(cause);
      throw new AlertmanagerError('VIGIL_ALERTMANAGER_UNAVAILABLE', `${name}: ${redactText(reason, secrets)}`, {
        retryable: true,
        cause,
      });
    } finally {
      clearTimeout(timer);
    }
    const { status } = response;
    if (status >= 200 && status < 300) return;
    const message = redactText(peerMessage(body), secrets);
    const retryable = status >= 500 || status === 408 || status === 429;
    throw new AlertmanagerError(
      retryable ? 'VIGIL_ALERTMANAGER_UNAVAILABLE' : 'VIGIL_ALERTMANAGER_REJECTED',
      `${name} answered ${status}${message ? `: ${message}` : ''}`,
      { retryable, status },
    );
  };

  return { name, send, close: async () => custom?.close() };
}
