import { describe, expect, it } from 'vitest';
import { peerWarnings } from '../../src/alerting/peer-check.js';

const yml = (groupInterval: string, child = '') =>
  `route:\n  receiver: r\n  group_interval: ${groupInterval}\n  routes:\n    - receiver: r\n${child}`;
const status = (peers: number, original: string, state = 'ready') => ({
  cluster: { status: state, peers: Array.from({ length: peers }, (_v, i) => ({ name: `p${i}` })) },
  config: { original },
});

describe('Alertmanager peer settings check', () => {
  it('accepts the shipped timing: 3 clustered peers, identical config, group_interval 5m', () => {
    const s = status(3, yml('5m'));
    expect(peerWarnings([1, 2, 3].map((i) => ({ alertmanager: `am-${i}`, status: s })))).toEqual([]);
  });

  it('warns when group_interval (inherited or a child\'s own) does not exceed (peers − 1) × 15 s', () => {
    const s = status(3, yml('30s', '      group_interval: 1m\n'));
    expect(peerWarnings([{ alertmanager: 'am-1', status: s }, { alertmanager: 'am-2', status: s }, { alertmanager: 'am-3', status: s }])).toEqual([
      'route: group_interval 30s must exceed (peers − 1) × --cluster.peer-timeout = 2 × 15s (the default) for 3 peers, or resolved notifications are sent by several peers (docs/ha.md)',
    ]);
    expect(peerWarnings([{ alertmanager: 'am-1', status: status(2, yml('1d')) }, { alertmanager: 'am-2', status: status(2, yml('1d')) }])).toEqual([]);
  });

  it('warns about peers that are not clustered with each other, and about differing configurations', () => {
    const warnings = peerWarnings([
      { alertmanager: 'am-1', status: status(1, yml('5m'), 'disabled') },
      { alertmanager: 'am-2', status: status(1, yml('10m')) },
    ]);
    expect(warnings).toEqual([
      'am-1 is in a cluster of 1 peer(s) but vigil sends to 2: peers that do not gossip with each other each notify (duplicates); list every peer with --cluster.peer',
      'am-2 is in a cluster of 1 peer(s) but vigil sends to 2: peers that do not gossip with each other each notify (duplicates); list every peer with --cluster.peer',
      'the Alertmanager peers run different configurations: every peer needs the same alertmanager.yml, or they notify differently',
    ]);
  });

  it('says nothing about peers that did not answer, or a single Alertmanager', () => {
    expect(peerWarnings([{ alertmanager: 'am-1', status: undefined }])).toEqual([]);
    expect(peerWarnings([{ alertmanager: 'am-1', status: status(0, yml('1s'), 'disabled') }])).toEqual([]);
  });
});
