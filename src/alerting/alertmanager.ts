/**
 * Client for ONE Alertmanager peer: POST `${url}/api/v2/alerts` (send) and GET it (read back the
 * peer's view, with the peer's clock from the Date header). Plain targets use
 * globalThis.fetch; targets with custom TLS (insecure, CA, client certificate) use undici's
 * own fetch with a dedicated Agent. Outcomes: 2xx resolves; 4xx rejects with a permanent
 * AlertmanagerError (the peer's message included; a 400 may still have stored the valid
 * alerts of the batch); 5xx, 408, 429, timeouts and network errors reject with a retryable one.
 */
import { readFile } from 'node:fs/promises';
import type { Agent } from 'undici';
import type { Clock } from '../clock.js';
import { systemClock } from '../clock.js';
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
  /** Resolves on 2xx with the peer's clock; rejects with AlertmanagerError otherwise. */
  send(alerts: readonly PostableAlert[], signal?: AbortSignal): Promise<PeerReply>;
  /** The alerts the peer holds (GET /api/v2/alerts); rejects with AlertmanagerError. */
  alerts(signal?: AbortSignal): Promise<PeerView>;
  /** GET /api/v2/status, as parsed JSON (checked by peer-check.ts). */
  status(signal?: AbortSignal): Promise<unknown>;
  /** Releases the TLS agent, if any. */
  close(): Promise<void>;
}

export interface PeerReply {
  /** The peer's clock (epoch ms) from the response's Date header (1 s resolution), if it sent one. */
  peerTime?: number;
  /** Local clock when the answer arrived. */
  receivedAt: number;
}

/** An alert as GET /api/v2/alerts returns it (the fields vigil reads). */
export interface GettableAlert {
  fingerprint: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** RFC 3339. */
  endsAt: string;
  /** RFC 3339, the peer's clock when it last received the alert (from any replica). */
  updatedAt: string;
}

export interface PeerView extends PeerReply {
  alerts: GettableAlert[];
}

interface MinimalResponse {
  status: number;
  headers?: { get(name: string): string | null };
  text(): Promise<string>;
}
type MinimalFetch = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string; signal: AbortSignal },
) => Promise<MinimalResponse>;

function reply(response: MinimalResponse, receivedAt: number): PeerReply {
  const date = response.headers?.get('date');
  const peerTime = date ? Date.parse(date) : NaN;
  return Number.isFinite(peerTime) ? { peerTime, receivedAt } : { receivedAt };
}

function isGettable(value: unknown): value is GettableAlert {
  if (value === null || typeof value !== 'object') return false;
  const a = value as Record<string, unknown>;
  return typeof a.fingerprint === 'string' && typeof a.endsAt === 'string' && typeof a.updatedAt === 'string' &&
    typeof a.labels === 'object' && a.labels !== null && typeof a.annotations === 'object' && a.annotations !== null;
}

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
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/api/v2/`;
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
      const { Agent } = await import('undici');
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
      const { fetch: undiciFetch } = await import('undici');
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
  /** Local time source for PeerReply.receivedAt (default: the system clock). */
  clock?: Clock;
}

export function createAlertmanagerClient(target: AlertmanagerTarget, options: AlertmanagerClientOptions = {}): AlertmanagerClient {
  const { endpoint, user } = splitUrl(target.url);
  const name = redactUrl(target.url);
  const headers = { 'content-type': 'application/json', accept: 'application/json', ...authHeaders(target, user) };
  const secrets = [target.bearerToken ?? '', target.basicAuth?.password ?? '', user?.password ?? ''];
  const custom = target.tls ? tlsFetch(target.tls) : undefined;
  const clock = options.clock ?? systemClock;
  const doFetch: MinimalFetch = custom?.fetch ?? options.fetch ?? ((url, init) => globalThis.fetch(url, init));

  const request = async (
    method: 'GET' | 'POST',
    path: 'alerts' | 'status',
    body: string | undefined,
    signal?: AbortSignal,
  ): Promise<{ reply: PeerReply; body: string }> => {
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), target.timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout.signal]) : timeout.signal;
    let response: MinimalResponse;
    let text: string;
    try {
      const init = body === undefined ? { method, headers, signal: combined } : { method, headers, body, signal: combined };
      response = await doFetch(`${endpoint}${path}`, init);
      text = await response.text();
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
    if (status >= 200 && status < 300) return { reply: reply(response, clock.now()), body: text };
    const message = redactText(peerMessage(text), secrets);
    const retryable = status >= 500 || status === 408 || status === 429;
    throw new AlertmanagerError(
      retryable ? 'VIGIL_ALERTMANAGER_UNAVAILABLE' : 'VIGIL_ALERTMANAGER_REJECTED',
      `${name} answered ${status}${message ? `: ${message}` : ''}`,
      { retryable, status },
    );
  };

  const send = async (alerts: readonly PostableAlert[], signal?: AbortSignal): Promise<PeerReply> =>
    (await request('POST', 'alerts', JSON.stringify(alerts), signal)).reply;

  const getJson = async (path: 'alerts' | 'status', signal?: AbortSignal): Promise<{ reply: PeerReply; json: unknown }> => {
    const answer = await request('GET', path, undefined, signal);
    try {
      return { reply: answer.reply, json: JSON.parse(answer.body) };
    } catch (cause) {
      throw new AlertmanagerError('VIGIL_ALERTMANAGER_UNAVAILABLE', `${name}: ${path} is not JSON`, { retryable: true, cause });
    }
  };

  const alerts = async (signal?: AbortSignal): Promise<PeerView> => {
    const { reply: r, json } = await getJson('alerts', signal);
    return { ...r, alerts: Array.isArray(json) ? json.filter(isGettable) : [] };
  };

  const status = async (signal?: AbortSignal): Promise<unknown> => (await getJson('status', signal)).json;

  return { name, send, alerts, status, close: async () => custom?.close() };
}
