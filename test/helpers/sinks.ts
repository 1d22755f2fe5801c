/**
 * Local notification sinks for Alertmanager integration tests: a Slack-compatible webhook
 * (point `slack_configs[].api_url` at `url`) and an SMTP server (point `smtp_smarthost` at
 * `smarthost`). Both record what they receive and let a test await a count.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export type NotificationStatus = 'firing' | 'resolved';

export interface Recorder<T> {
  /** Everything received so far, in arrival order. */
  readonly messages: T[];
  /** Resolves with the messages once at least `count` arrived; rejects after timeoutMs. */
  waitFor(count: number, timeoutMs?: number, filter?: (message: T) => boolean): Promise<T[]>;
  /** Messages classified as firing / resolved from their title or subject. */
  firing(): T[];
  resolved(): T[];
  /** Forget what was received (between scenarios). */
  clear(): void;
}

export interface SlackMessage {
  receivedAt: Date;
  /** Parsed JSON body Alertmanager posted. */
  payload: SlackPayload;
  /** attachments[0].title (where Alertmanager puts `title`). */
  title: string;
  /** attachments[0].text. */
  text: string;
  status: NotificationStatus;
}

export interface SlackPayload {
  channel?: string;
  username?: string;
  text?: string;
  attachments?: { title?: string; title_link?: string; text?: string; color?: string; fallback?: string }[];
}

export interface EmailMessage {
  receivedAt: Date;
  from: string;
  to: string[];
  subject: string;
  /** The text/plain part, decoded. */
  text: string;
  /** The raw RFC 5322 message. */
  raw: string;
  status: NotificationStatus;
}

export interface SlackSink extends Recorder<SlackMessage> {
  /** The webhook URL to configure as api_url. */
  readonly url: string;
  /** Respond with this HTTP status instead of 200 (e.g. 500 to make Alertmanager retry). */
  respondWith(status: number): void;
  close(): Promise<void>;
}

export interface SmtpSink extends Recorder<EmailMessage> {
  /** host:port for smtp_smarthost. */
  readonly smarthost: string;
  readonly port: number;
  close(): Promise<void>;
}

/** [RESOLVED] anywhere in the title/subject means resolved; [FIRING...] means firing. */
export function classify(titleOrSubject: string): NotificationStatus {
  return /\[RESOLVED\]/i.test(titleOrSubject) ? 'resolved' : 'firing';
}

function makeRecorder<T extends { status: NotificationStatus }>(): Recorder<T> & { push(message: T): void } {
  const messages: T[] = [];
  const waiters = new Set<() => void>();
  return {
    messages,
    push(message: T) {
      messages.push(message);
      for (const wake of [...waiters]) wake();
    },
    waitFor(count: number, timeoutMs = 30_000, filter: (message: T) => boolean = () => true) {
      return new Promise<T[]>((done, fail) => {
        const check = () => {
          const matching = messages.filter(filter);
          if (matching.length < count) return false;
          waiters.delete(check);
          clearTimeout(timer);
          done(matching);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          const seen = messages.map((m) => JSON.stringify(m).slice(0, 300)).join('\n');
          fail(new Error(`expected ${count} messages within ${timeoutMs} ms, got ${messages.filter(filter).length}:\n${seen}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    firing: () => messages.filter((m) => m.status === 'firing'),
    resolved: () => messages.filter((m) => m.status === 'resolved'),
    clear: () => {
      messages.length = 0;
    },
  };
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** A node:http server on 127.0.0.1:0 that accepts Slack incoming-webhook POSTs. */
export async function startSlackSink(): Promise<SlackSink> {
  const recorder = makeRecorder<SlackMessage>();
  let status = 200;
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    void readBody(request).then((body) => {
      if (request.method !== 'POST') {
        response.writeHead(405).end();
        return;
      }
      if (status !== 200) {
        response.writeHead(status).end('sink configured to fail');
        return;
      }
      let payload: SlackPayload;
      try {
        payload = JSON.parse(body) as SlackPayload;
      } catch {
        response.writeHead(400).end('invalid_payload');
        return;
      }
      const attachment = payload.attachments?.[0] ?? {};
      const title = attachment.title ?? payload.text ?? '';
      recorder.push({ receivedAt: new Date(), payload, title, text: attachment.text ?? '', status: classify(title) });
      response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => done());
  });
  const { port } = server.address() as AddressInfo;
  return {
    ...recorder,
    url: `http://127.0.0.1:${port}/services/T000/B000/XXXX`,
    respondWith(code: number) {
      status = code;
    },
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

/** Unfold headers and decode the text part of a simple (possibly multipart) message. */
export function parseEmail(raw: string): { subject: string; text: string } {
  const [head = '', ...rest] = raw.split(/\r?\n\r?\n/);
  const headers = head.replace(/\r?\n[ \t]+/g, ' ');
  const subjectLine = /^subject:\s*(.*)$/im.exec(headers)?.[1] ?? '';
  const subject = decodeWords(subjectLine.trim());
  const body = rest.join('\n\n');
  const boundary = /boundary="?([^";\r\n]+)"?/i.exec(headers)?.[1];
  if (!boundary) return { subject, text: decodeBody(body, headers) };
  for (const part of body.split(`--${boundary}`)) {
    const [partHead = '', ...partBody] = part.replace(/^\r?\n/, '').split(/\r?\n\r?\n/);
    if (/content-type:\s*text\/plain/i.test(partHead)) {
      return { subject, text: decodeBody(partBody.join('\n\n'), partHead.replace(/\r?\n[ \t]+/g, ' ')) };
    }
  }
  return { subject, text: '' };
}

function decodeWords(value: string): string {
  return value.replace(/=\?([^?]+)\?([bBqQ])\?([^?]*)\?=\s*/g, (_all, _charset: string, encoding: string, data: string) =>
    encoding.toUpperCase() === 'B'
      ? Buffer.from(data, 'base64').toString('utf8')
      : decodeQuotedPrintable(data.replace(/_/g, ' ')),
  );
}

function decodeQuotedPrintable(value: string): string {
  const bytes: number[] = [];
  const text = value.replace(/=\r?\n/g, '');
  for (let i = 0; i < text.length; i++) {
    const hex = text.slice(i + 1, i + 3);
    if (text[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(text[i] ?? '', 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

function decodeBody(body: string, headers: string): string {
  const encoding = /content-transfer-encoding:\s*([\w-]+)/i.exec(headers)?.[1]?.toLowerCase();
  if (encoding === 'quoted-printable') return decodeQuotedPrintable(body).trim();
  if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8').trim();
  return body.trim();
}

/** An SMTP server on 127.0.0.1:0: no auth, no TLS, records every message. */
export async function startSmtpSink(): Promise<SmtpSink> {
  const recorder = makeRecorder<EmailMessage>();
  const server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    logger: false,
    // no reverse DNS of 127.0.0.1: the sink must not wait on a resolver (up to 1.5 s per message)
    disableReverseLookup: true,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const { subject, text } = parseEmail(raw);
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        const to = session.envelope.rcptTo.map((rcpt) => rcpt.address);
        recorder.push({ receivedAt: new Date(), from, to, subject, text, raw, status: classify(subject) });
        callback();
      });
    },
  });
  await new Promise<void>((done, fail) => {
    server.server.once('error', fail);
    server.listen(0, '127.0.0.1', () => done());
  });
  const { port } = server.server.address() as AddressInfo;
  return {
    ...recorder,
    smarthost: `127.0.0.1:${port}`,
    port,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}
