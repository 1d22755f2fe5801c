/**
 * The integration tests' allowance for Alertmanager's stale-snapshot pair (test/helpers/eventual-resolve.ts):
 * it must pass exactly the two sequences it documents and fail every other, or it would hide a flap.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { expectResolvedOnce } from '../helpers/eventual-resolve.js';
import { startSlackSink, type SlackMessage, type SlackSink } from '../helpers/sinks.js';

const mine = (m: SlackMessage) => m.title.includes('core/api');

async function send(sink: SlackSink, ...statuses: ('firing' | 'resolved')[]): Promise<void> {
  for (const status of statuses) {
    const title = status === 'firing' ? '[FIRING:1] core/api down' : '[RESOLVED] core/api down';
    const response = await fetch(sink.url, { method: 'POST', body: JSON.stringify({ attachments: [{ title }] }) });
    expect(response.status).toBe(200);
  }
}

describe('expectResolvedOnce', () => {
  let sink: SlackSink | undefined;
  afterEach(async () => sink?.close());

  it('passes one firing and one resolved message, and says no stale pair came', async () => {
    sink = await startSlackSink();
    await send(sink, 'firing', 'resolved');
    await send(sink); // nothing more
    expect(await expectResolvedOnce(sink, mine, 1_000, 'slack')).toBe(false);
  });

  it("passes Alertmanager's one stale pair after the resolve, waiting for its resolved message", async () => {
    sink = await startSlackSink();
    await send(sink, 'firing', 'resolved', 'firing');
    const late = sink;
    setTimeout(() => void send(late, 'resolved'), 50);
    expect(await expectResolvedOnce(sink, mine, 5_000, 'slack')).toBe(true);
  });

  it.each([
    [['firing', 'firing', 'resolved']],
    [['firing', 'resolved', 'resolved']],
    [['firing', 'resolved', 'firing', 'resolved', 'firing', 'resolved']],
    [['firing']],
    [['resolved']],
  ] as const)('fails %j', async (statuses) => {
    sink = await startSlackSink();
    await send(sink, ...statuses);
    await expect(expectResolvedOnce(sink, mine, 200, 'slack')).rejects.toThrow();
  });

  it('fails when the stale firing message is never resolved', async () => {
    sink = await startSlackSink();
    await send(sink, 'firing', 'resolved', 'firing');
    await expect(expectResolvedOnce(sink, mine, 200, 'slack')).rejects.toThrow(/expected 2 messages/);
  });
});
