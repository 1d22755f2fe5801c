import { delay, http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { AlertmanagerError, createAlertmanagerClient } from '../../src/alerting/alertmanager.js';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  server.resetHandlers();
  vi.useRealTimers();
});
afterAll(() => server.close());

const alerts = [{ labels: { alertname: 'X' }, annotations: {}, startsAt: '2024-05-01T00:00:00.000Z' }];

async function failure(p: Promise<unknown>): Promise<AlertmanagerError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AlertmanagerError);
  return err as AlertmanagerError;
}

describe('Alertmanager client', () => {
  it('POSTs the alerts as a JSON array to <url>/api/v2/alerts, keeping a path prefix', async () => {
    let seen: { url: string; method: string; type: string | null; body: unknown } | undefined;
    server.use(
      http.post('http://am.test:9093/prefix/api/v2/alerts', async ({ request }) => {
        seen = { url: request.url, method: request.method, type: request.headers.get('content-type'), body: await request.json() };
        return new HttpResponse(null, { status: 200 });
      }),
    );
    await createAlertmanagerClient({ url: 'http://am.test:9093/prefix/', timeoutMs: 1000 }).send(alerts);
    expect(seen).toEqual({ url: 'http://am.test:9093/prefix/api/v2/alerts', method: 'POST', type: 'application/json', body: alerts });
  });

  it('reads the peer\'s alerts back (GET) with the peer\'s clock from the Date header; POST replies carry it too', async () => {
    const date = 'Wed, 01 May 2024 00:01:00 GMT';
    const stored = { fingerprint: 'f', labels: { alertname: 'X' }, annotations: { replica: 'b' }, endsAt: 'e', updatedAt: 'u', status: {} };
    server.use(
      http.get('http://am.test:9093/api/v2/alerts', () => HttpResponse.json([stored, { junk: true }], { headers: { date } })),
      http.post('http://am.test:9093/api/v2/alerts', () => new HttpResponse(null, { status: 200, headers: { date } })),
    );
    const client = createAlertmanagerClient({ url: 'http://am.test:9093', timeoutMs: 1000 }, { clock: { now: () => 42 } });
    expect(await client.alerts()).toEqual({ peerTime: Date.parse(date), receivedAt: 42, alerts: [stored] });
    expect(await client.send(alerts)).toEqual({ peerTime: Date.parse(date), receivedAt: 42 });
  });

  it('sends basic auth from the target (or the URL userinfo) and bearer tokens', async () => {
    const auth: (string | null)[] = [];
    server.use(
      http.post('http://am.test:9093/api/v2/alerts', ({ request }) => {
        auth.push(request.headers.get('authorization'));
        return new HttpResponse(null, { status: 200 });
      }),
    );
    await createAlertmanagerClient({ url: 'http://am.test:9093', timeoutMs: 1000, basicAuth: { username: 'u', password: 'p' } }).send(alerts);
    await createAlertmanagerClient({ url: 'http://u2:p%402@am.test:9093', timeoutMs: 1000 }).send(alerts);
    await createAlertmanagerClient({ url: 'http://am.test:9093', timeoutMs: 1000, bearerToken: 'tkn' }).send(alerts);
    expect(auth).toEqual([`Basic ${btoa('u:p')}`, `Basic ${btoa('u2:p@2')}`, 'Bearer tkn']);
  });

  it('names the peer by its redacted URL', () => {
    expect(createAlertmanagerClient({ url: 'http://u:secret@am.test:9093', timeoutMs: 1 }).name).toBe('http://u:<redacted>@am.test:9093/');
  });

  it('a 4xx is a permanent error carrying the peer\'s message', async () => {
    server.use(http.post('http://am.test:9093/api/v2/alerts', () => HttpResponse.json('maximum number of alerts exceeded', { status: 400 })));
    const err = await failure(createAlertmanagerClient({ url: 'http://am.test:9093', timeoutMs: 1000 }).send(alerts));
    expect(err).toMatchObject({ code: 'VIGIL_ALERTMANAGER_REJECTED', retryable: false, status: 400 });
    expect(err.message).toBe('http://am.test:9093/ answered 400: maximum number of alerts exceeded');
  });

  it.each([500, 503, 429])('a %i is a retryable error', async (status) => {
    server.use(http.post('http://am.test:9093/api/v2/alerts', () => new HttpResponse('try later', { status })));
    const err = await failure(createAlertmanagerClient({ url: 'http://am.test:9093', timeoutMs: 1000 }).send(alerts));
    expect(err).toMatchObject({ code: 'VIGIL_ALERTMANAGER_UNAVAILABLE', retryable: true, status });
  });

  it('a network error is retryable', async () => {
    server.use(http.post('http://am.test:9093/api/v2/alerts', () => HttpResponse.error()));
    const err = await failure(createAlertmanagerClient({ url: 'http://am.test:9093', timeoutMs: 1000 }).send(alerts));
    expect(err).toMatchObject({ code: 'VIGIL_ALERTMANAGER_UNAVAILABLE', retryable: true, status: undefined });
  });

  it('gives up after the per-request timeout, retryably', async () => {
    vi.useFakeTimers();
    server.use(http.post('http://am.test:9093/api/v2/alerts', async () => {
      await delay('infinite');
      return new HttpResponse(null, { status: 200 });
    }));
    const pending = failure(createAlertmanagerClient({ url: 'http://am.test:9093', timeoutMs: 2_000 }).send(alerts));
    await vi.advanceTimersByTimeAsync(2_000);
    expect(await pending).toMatchObject({ code: 'VIGIL_ALERTMANAGER_TIMEOUT', retryable: true });
  });

  it('never puts credentials into error messages', async () => {
    server.use(http.post('http://am.test:9093/api/v2/alerts', () => new HttpResponse('token tkn-secret-1 is wrong', { status: 401 })));
    const err = await failure(createAlertmanagerClient({ url: 'http://am.test:9093', timeoutMs: 1000, bearerToken: 'tkn-secret-1' }).send(alerts));
    expect(err.message).not.toContain('tkn-secret-1');
    expect(err).toMatchObject({ code: 'VIGIL_ALERTMANAGER_REJECTED', status: 401 });
  });
});
