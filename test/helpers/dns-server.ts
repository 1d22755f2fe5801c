import { createSocket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import * as dnsPacket from 'dns-packet';
import type { Answer, DecodedPacket } from 'dns-packet';

/** Records by lower-case name (no trailing dot). */
export type Zone = Readonly<Record<string, readonly Answer[]>>;

const RCODE = { NOERROR: 0, SERVFAIL: 2, NXDOMAIN: 3, REFUSED: 5 } as const;

/** The fixed zone the DNS probe tests query. */
export const TEST_ZONE: Zone = {
  'example.test': [
    { type: 'A', name: 'example.test', ttl: 60, data: '192.0.2.1' },
    { type: 'AAAA', name: 'example.test', ttl: 60, data: '2001:db8::1' },
    { type: 'MX', name: 'example.test', ttl: 60, data: { preference: 10, exchange: 'mail.example.test' } },
    { type: 'NS', name: 'example.test', ttl: 60, data: 'ns1.example.test' },
    { type: 'TXT', name: 'example.test', ttl: 60, data: ['v=spf1 ', '-all'] },
    { type: 'TXT', name: 'example.test', ttl: 60, data: 'hello=world' },
  ],
  'multi.example.test': [
    { type: 'A', name: 'multi.example.test', ttl: 60, data: '192.0.2.10' },
    { type: 'A', name: 'multi.example.test', ttl: 60, data: '192.0.2.11' },
  ],
  'www.example.test': [{ type: 'CNAME', name: 'www.example.test', ttl: 60, data: 'example.test' }],
  '_sip._tcp.example.test': [
    { type: 'SRV', name: '_sip._tcp.example.test', ttl: 60, data: { priority: 0, weight: 5, port: 5060, target: 'sip.example.test' } },
  ],
  '1.2.0.192.in-addr.arpa': [{ type: 'PTR', name: '1.2.0.192.in-addr.arpa', ttl: 60, data: 'example.test' }],
};

export interface DnsServer {
  port: number;
  /** Questions received, as `TYPE name`. */
  readonly questions: string[];
  close(): Promise<void>;
}

function answersFor(zone: Zone, name: string, type: string): Answer[] {
  const records = zone[name] ?? [];
  const direct = records.filter((r) => r.type === type);
  if (direct.length > 0 || type === 'CNAME') return [...direct];
  const cname = records.find((r) => r.type === 'CNAME');
  if (cname && 'data' in cname && typeof cname.data === 'string') return [cname, ...answersFor(zone, cname.data, type)];
  return [];
}

function respond(zone: Zone, query: DecodedPacket): Buffer {
  const question = query.questions?.[0];
  const name = (question?.name ?? '').toLowerCase();
  let rcode: number = RCODE.NOERROR;
  let answers: Answer[] = [];
  if (name === 'servfail.example.test') rcode = RCODE.SERVFAIL;
  else if (name === 'refused.example.test') rcode = RCODE.REFUSED;
  else if (!(name in zone)) rcode = RCODE.NXDOMAIN;
  else if (question) answers = answersFor(zone, name, question.type);
  return dnsPacket.encode({
    type: 'response',
    id: query.id ?? 0,
    flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE | rcode,
    questions: query.questions ?? [],
    answers,
  });
}

/** A tiny UDP DNS responder on 127.0.0.1 port 0, answering from `zone` (NXDOMAIN for unknown names). */
export async function startDnsServer(zone: Zone = TEST_ZONE): Promise<DnsServer> {
  const socket = createSocket('udp4');
  const questions: string[] = [];
  socket.on('message', (message, remote) => {
    let query: DecodedPacket;
    try {
      query = dnsPacket.decode(message);
    } catch {
      return;
    }
    const q = query.questions?.[0];
    if (q) questions.push(`${q.type} ${q.name}`);
    socket.send(respond(zone, query), remote.port, remote.address);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => resolve());
  });
  const { port } = socket.address() as AddressInfo;
  return { port, questions, close: () => new Promise<void>((resolve) => socket.close(() => resolve())) };
}

/** A UDP socket (default 127.0.0.1, port 0) that receives datagrams and never answers (for timeouts). */
export async function startSilentUdpServer(host = '127.0.0.1', bindPort = 0): Promise<{ port: number; received: Buffer[]; close(): Promise<void> }> {
  const socket = createSocket('udp4');
  const received: Buffer[] = [];
  socket.on('message', (message) => received.push(message));
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(bindPort, host, () => resolve());
  });
  const { port } = socket.address() as AddressInfo;
  return { port, received, close: () => new Promise<void>((resolve) => socket.close(() => resolve())) };
}
