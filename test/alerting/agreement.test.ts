import { describe, expect, it } from 'vitest';
import { copyIn, judge } from '../../src/alerting/agreement.js';
import type { PeerView } from '../../src/alerting/alertmanager.js';

const T = Date.parse('2024-05-01T00:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();
const view = (peerTime: number | undefined, alerts: { updatedAt: number; endsAt: number; replica?: string }[]): PeerView => ({
  receivedAt: T,
  ...(peerTime === undefined ? {} : { peerTime }),
  alerts: alerts.map((a) => ({
    fingerprint: 'fp',
    labels: { alertname: 'EndpointDown' },
    annotations: a.replica === undefined ? ({} as Record<string, string>) : { replica: a.replica },
    updatedAt: iso(a.updatedAt),
    endsAt: iso(a.endsAt),
  })),
});

describe('agreement (resolve: confirm)', () => {
  it('measures a copy\'s age on the peer\'s clock (Date header), not the replica\'s', () => {
    // the replica's clock (receivedAt) is 60 s behind the peer's: the age is still 4 s
    const copy = copyIn({ ...view(T + 60_000, [{ updatedAt: T + 56_000, endsAt: T + 300_000, replica: 'b' }]) }, 'fp');
    expect(copy).toEqual({ answered: true, firing: true, ageMs: 4_000, writer: 'b' });
  });

  it('falls back to the local clock without a Date header; a missing or resolved copy is not firing', () => {
    expect(copyIn(view(undefined, [{ updatedAt: T - 1_000, endsAt: T + 9_000 }]), 'fp')).toMatchObject({ firing: true, ageMs: 1_000 });
    expect(copyIn(view(T, [{ updatedAt: T - 1_000, endsAt: T - 500 }]), 'fp')).toMatchObject({ firing: false });
    expect(copyIn(view(T, []), 'fp')).toEqual({ answered: true, firing: false, ageMs: 0 });
    expect(copyIn(undefined, 'fp')).toMatchObject({ answered: false });
  });

  it('waits while any peer that answered got the alert within quietMs, until the youngest copy goes quiet', () => {
    const copies = [
      { answered: true, firing: true, ageMs: 9_000, writer: 'a' },
      { answered: true, firing: true, ageMs: 2_000, writer: 'b' },
      { answered: false, firing: false, ageMs: 0 },
    ];
    expect(judge(copies, 6_000)).toEqual({ kind: 'wait', retryInMs: 4_000, writer: 'b' });
  });

  it('resolves when every peer that answered has it quiet, resolved or unknown', () => {
    expect(judge([{ answered: true, firing: true, ageMs: 7_000 }, { answered: true, firing: false, ageMs: 0 }], 6_000)).toEqual({
      kind: 'resolve',
      lastWriteAgoMs: 7_000,
    });
    expect(judge([{ answered: true, firing: false, ageMs: 0 }, { answered: false, firing: false, ageMs: 0 }], 6_000)).toEqual({ kind: 'resolve' });
  });

  it('is undecided when no peer answered', () => {
    expect(judge([{ answered: false, firing: false, ageMs: 0 }], 6_000)).toEqual({ kind: 'unknown' });
    expect(judge([], 6_000)).toEqual({ kind: 'unknown' });
  });
});
