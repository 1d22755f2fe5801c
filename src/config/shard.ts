/** `vigil.shard`: count, index, index-from-hostname, replication (see src/shard/settings.ts). */
import type { ShardInput } from '../shard/settings.js';
import type { Section } from './reader.js';

const UNSET = -1;

export function readShard(section: Section): ShardInput {
  section.checkKeys({ known: ['count', 'index', 'index-from-hostname', 'replication'] });
  const out: ShardInput = {};
  const count = section.int('count', UNSET, 1);
  const index = section.int('index', UNSET, 0);
  const replication = section.int('replication', UNSET, 1);
  if (count !== UNSET) out.count = count;
  if (index !== UNSET) out.index = index;
  if (replication !== UNSET) out.replication = replication;
  if (section.has('index-from-hostname')) out.indexFromHostname = section.bool('index-from-hostname', false);
  if (count !== UNSET && index >= count) section.error('index', `must be less than count (${count})`);
  if (count !== UNSET && replication > count) section.error('replication', `must not be more than count (${count})`);
  if (index !== UNSET && out.indexFromHostname === true) section.error('index', 'index and index-from-hostname are mutually exclusive');
  return out;
}
