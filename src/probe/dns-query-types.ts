/**
 * The DNS query types the dns prober sends, in a module of its own so that config checks (the
 * blackbox module reader) can ask without loading the prober and its packet library.
 */
import type { RecordType } from 'dns-packet';

/** Query types vigil can send (the ones Gatus renders, plus a few it answers with "not supported yet"). */
export const DNS_QUERY_TYPES: readonly RecordType[] = ['A', 'AAAA', 'CNAME', 'MX', 'NS', 'TXT', 'SRV', 'PTR', 'SOA', 'CAA', 'DS', 'DNSKEY'];

export function isDnsQueryType(value: string): value is RecordType {
  return (DNS_QUERY_TYPES as readonly string[]).includes(value);
}
