/**
 * DNS prober, like Gatus `client.QueryDNS`: one query over UDP to the server in `target.url`
 * (`8.8.8.8`, `dns://127.0.0.1:5353`, `udp://[::1]:53`; port 53 by default) for `target.dns`.
 *
 * - [DNS_RCODE] is the response code name (NOERROR, NXDOMAIN, SERVFAIL, REFUSED, ...), [CONNECTED] is true
 *   once a matching response arrived, [IP] is the server's address.
 * - [BODY] renders the answer section as Gatus does: for each answer in order, A/AAAA → the address,
 *   CNAME/NS/PTR/MX → the target name, fully qualified with a trailing dot, SRV → `target.:port`,
 *   each replacing the previous one (the last answer wins); TXT strings of one record are concatenated
 *   and several TXT records are joined by `\n`; any other record type → `query type is not supported yet`.
 * - The query name is made fully qualified; a PTR query for a plain IP asks for its in-addr.arpa/ip6.arpa name.
 * - No response before the timeout: connected=false with error `timeout after 2s`.
 */
import { randomInt } from 'node:crypto';
import { isIP } from 'node:net';
import * as dnsPacket from 'dns-packet';
import type { Answer, DecodedPacket, RecordType } from 'dns-packet';
import { VigilError } from '../errors.js';
import { describeError } from './error-message.js';
import { isDnsQueryType } from './dns-query-types.js';
import { resolveInto } from './result.js';
import { addPhase, createDeadline, elapsedMs, monotonicMs } from './timing.js';
import type { ProbeResult, Prober } from './types.js';
import { exchangeDatagram } from './udp.js';

const DEFAULT_DNS_PORT = 53;

/** Response code names as miekg/dns (and so Gatus) spells them. */
const RCODE_NAMES: readonly string[] = [
  'NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED', 'YXDOMAIN', 'YXRRSET',
  'NXRRSET', 'NOTAUTH', 'NOTZONE',
];

export function rcodeName(rcode: number): string {
  return RCODE_NAMES[rcode] ?? `RCODE${rcode}`;
}

function fqdn(name: string): string {
  return name.endsWith('.') ? name : `${name}.`;
}

/** `4.3.2.1.in-addr.arpa.` for 1.2.3.4, nibbles + `ip6.arpa.` for IPv6; undefined for a non-IP. */
export function reverseName(ip: string): string | undefined {
  const family = isIP(ip);
  if (family === 4) return `${ip.split('.').reverse().join('.')}.in-addr.arpa.`;
  if (family !== 6) return undefined;
  const [head = '', tail = ''] = ip.includes('::') ? ip.split('::') : [ip, ''];
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === '' ? [] : tail.split(':');
  // an embedded IPv4 tail (::ffff:1.2.3.4) counts as two groups
  const expand = (groups: string[]) =>
    groups.flatMap((g) => {
      if (!g.includes('.')) return [g];
      const bytes = g.split('.').map(Number);
      return [(((bytes[0] ?? 0) << 8) | (bytes[1] ?? 0)).toString(16), (((bytes[2] ?? 0) << 8) | (bytes[3] ?? 0)).toString(16)];
    });
  const h = expand(headGroups);
  const t = expand(tailGroups);
  const groups = [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  const hex = groups.map((g) => g.padStart(4, '0')).join('');
  return `${[...hex].reverse().join('.')}.ip6.arpa.`;
}

function txtText(data: unknown): string {
  const parts = Array.isArray(data) ? data : [data];
  return parts.map((p) => (Buffer.isBuffer(p) ? p.toString('utf8') : String(p))).join('');
}

/** [BODY] for a DNS response, rendered like Gatus (see the file comment). */
export function renderAnswers(answers: readonly Answer[]): string {
  let body = '';
  for (const answer of answers) {
    switch (answer.type) {
      case 'A':
      case 'AAAA':
        body = answer.data;
        break;
      case 'CNAME':
      case 'NS':
      case 'PTR':
        body = fqdn(answer.data);
        break;
      case 'MX':
        body = fqdn(answer.data.exchange);
        break;
      case 'SRV':
        body = `${fqdn(answer.data.target)}:${answer.data.port}`;
        break;
      case 'TXT':
        body = body === '' ? txtText(answer.data) : `${body}\n${txtText(answer.data)}`;
        break;
      default:
        body = 'query type is not supported yet';
    }
  }
  return body;
}

/** The question to ask for `target.dns`, Gatus-style: fully qualified, PTR of a plain IP reversed. */
function buildQuestion(dns: { queryType: string; queryName: string } | undefined): { type: RecordType; name: string } {
  if (!dns) throw new VigilError('VIGIL_PROBE_DNS_QUERY', 'missing dns query-type and query-name');
  const { queryType, queryName } = dns;
  if (!isDnsQueryType(queryType)) throw new VigilError('VIGIL_PROBE_DNS_QUERY', `unsupported dns query type ${JSON.stringify(queryType)}`);
  const name = fqdn(queryName);
  if (queryType !== 'PTR' || /\.(in-addr|ip6)\.arpa\.$/i.test(name)) return { type: queryType, name };
  const reversed = reverseName(queryName.replace(/\.$/, ''));
  if (!reversed) throw new VigilError('VIGIL_PROBE_DNS_QUERY', `invalid IP for PTR query: ${queryName}`);
  return { type: queryType, name: reversed };
}

export const probeDns: Prober = async (target, options, signal) => {
  const start = monotonicMs();
  const deadline = createDeadline(options.timeoutMs, signal);
  const result: ProbeResult = { connected: false, responseTimeMs: 0, phasesMs: {} };
  try {
    const question = buildQuestion(target.dns);
    if (!target.url.hostname) throw new VigilError('VIGIL_PROBE_DNS_SERVER', 'missing dns server host');
    const address = await resolveInto(result, target.url.hostname, options, deadline.signal);
    const id = randomInt(0, 0x10000);
    const query = dnsPacket.encode({ type: 'query', id, flags: dnsPacket.RECURSION_DESIRED, questions: [{ ...question, class: 'IN' }] });
    let response: DecodedPacket | undefined;
    const sentAt = monotonicMs();
    await exchangeDatagram({
      address: address.address,
      port: target.url.port ? Number(target.url.port) : DEFAULT_DNS_PORT,
      payload: () => query,
      // ignore stray datagrams: only the response to our id counts
      accept: (message) => {
        try {
          const decoded = dnsPacket.decode(message);
          if (decoded.type !== 'response' || decoded.id !== id) return false;
          response = decoded;
          return true;
        } catch {
          return false;
        }
      },
      signal: deadline.signal,
    });
    addPhase(result.phasesMs, 'processing', elapsedMs(sentAt));
    if (response) {
      result.connected = true;
      result.dnsRcode = rcodeName((response.flags ?? 0) & 0xf);
      result.body = renderAnswers(response.answers ?? []);
      result.dnsRecordCounts = {
        answer: response.answers?.length ?? 0,
        authority: response.authorities?.length ?? 0,
        additional: response.additionals?.length ?? 0,
      };
    }
  } catch (error) {
    result.error = deadline.reason?.message ?? describeError(error);
  } finally {
    deadline.dispose();
    result.responseTimeMs = elapsedMs(start);
  }
  return result;
};
