import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Server } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDomainExpiryLookup, expirationFromRdap, registrableDomain } from '../../src/probe/domain-expiry.js';
import type { Clock } from '../../src/clock.js';
import { createHostResolver } from '../../src/probe/resolve.js';
import { listen } from '../helpers/listen.js';

const EXPIRES = '2031-08-13T04:00:00Z';

/** A fake clock the test moves by hand. */
function manualClock(start = Date.parse('2026-01-01T00:00:00Z')): Clock & { advance(ms: number): void } {
  let now = start;
  return { now: () => now, advance: (ms) => { now += ms; } };
}

describe('registrableDomain', () => {
  it('keeps the last two labels, lower-cased, without a trailing dot', () => {
    expect(registrableDomain('API.eu.Example.com.')).toBe('example.com');
    expect(registrableDomain('example.com')).toBe('example.com');
  });
  it('skips IP addresses and single labels', () => {
    expect(registrableDomain('127.0.0.1')).toBeUndefined();
    expect(registrableDomain('[::1]')).toBeUndefined();
    expect(registrableDomain('localhost')).toBeUndefined();
  });
});

describe('expirationFromRdap', () => {
  it('reads the expiration event and ignores the others', () => {
    const doc = { events: [{ eventAction: 'registration', eventDate: '1995-08-14T04:00:00Z' }, { eventAction: 'expiration', eventDate: EXPIRES }] };
    expect(expirationFromRdap(doc)).toBe(Date.parse(EXPIRES));
    expect(expirationFromRdap({ events: [{ eventAction: 'last changed', eventDate: EXPIRES }] })).toBeUndefined();
    expect(expirationFromRdap({})).toBeUndefined();
    expect(expirationFromRdap(null)).toBeUndefined();
  });
});

describe('createDomainExpiryLookup against a local RDAP server', () => {
  const requests: string[] = [];
  let failing = false;
  let delayMs = 0;
  let server: { port: number; close: () => Promise<void> };
  let base: string;

  beforeAll(async () => {
    const http = createServer((req, res) => {
      requests.push(req.url ?? '');
      const reply = () => {
        if (failing) {
          res.writeHead(503).end();
          return;
        }
        const match = /^\/rdap\/domain\/([^/]+)$/.exec(req.url ?? '');
        const name = match?.[1];
        if (name === 'example.com') {
          res.writeHead(200, { 'content-type': 'application/rdap+json' });
          res.end(JSON.stringify({
            objectClassName: 'domain',
            ldhName: 'EXAMPLE.COM',
            events: [
              { eventAction: 'registration', eventDate: '1995-08-14T04:00:00Z' },
              { eventAction: 'expiration', eventDate: EXPIRES },
            ],
          }));
        } else if (name === 'noexpiry.org') {
          res.writeHead(200, { 'content-type': 'application/rdap+json' });
          res.end(JSON.stringify({ objectClassName: 'domain', events: [] }));
        } else if (name === 'garbage.net') {
          res.writeHead(200, { 'content-type': 'application/rdap+json' });
          res.end('{not json');
        } else {
          res.writeHead(404, { 'content-type': 'application/rdap+json' }).end('{"errorCode":404}');
        }
      };
      if (delayMs > 0) setTimeout(reply, delayMs);
      else reply();
    });
    server = await listen(http as unknown as Server);
    base = `http://127.0.0.1:${server.port}/rdap/`;
  });
  afterAll(() => server.close());
  beforeEach(() => {
    requests.length = 0;
    failing = false;
    delayMs = 0;
  });

  it('returns the expiration event of the registrable domain', async () => {
    const lookup = createDomainExpiryLookup({ rdapBaseUrl: base, clock: manualClock() });
    await expect(lookup('status.api.example.com', new AbortController().signal)).resolves.toBe(Date.parse(EXPIRES));
    expect(requests).toEqual(['/rdap/domain/example.com']);
  });

  it('caches the answer per domain for ttlMs, then asks again', async () => {
    const clock = manualClock();
    const lookup = createDomainExpiryLookup({ rdapBaseUrl: base, clock, ttlMs: 60_000 });
    const signal = new AbortController().signal;
    await lookup('a.example.com', signal);
    await lookup('b.example.com', signal);
    clock.advance(59_000);
    await expect(lookup('example.com', signal)).resolves.toBe(Date.parse(EXPIRES));
    expect(requests).toHaveLength(1);
    clock.advance(2_000);
    await lookup('example.com', signal);
    expect(requests).toHaveLength(2);
  });

  it('defaults the cache to 6 hours', async () => {
    const clock = manualClock();
    const lookup = createDomainExpiryLookup({ rdapBaseUrl: base, clock });
    const signal = new AbortController().signal;
    await lookup('example.com', signal);
    clock.advance(6 * 3600_000 - 1);
    await lookup('example.com', signal);
    expect(requests).toHaveLength(1);
    clock.advance(2);
    await lookup('example.com', signal);
    expect(requests).toHaveLength(2);
  });

  it('resolves undefined for unknown domains, missing events and bad JSON, and caches failures briefly', async () => {
    const clock = manualClock();
    const lookup = createDomainExpiryLookup({ rdapBaseUrl: base, clock, failureTtlMs: 1_000 });
    const signal = new AbortController().signal;
    await expect(lookup('nope.invalid', signal)).resolves.toBeUndefined();
    await expect(lookup('www.noexpiry.org', signal)).resolves.toBeUndefined();
    await expect(lookup('garbage.net', signal)).resolves.toBeUndefined();
    await lookup('nope.invalid', signal);
    await lookup('garbage.net', signal);
    expect(requests).toHaveLength(3);
    clock.advance(1_001);
    await lookup('nope.invalid', signal);
    expect(requests).toHaveLength(4);
  });

  it('keeps the last known date when a refresh fails, and retries after the failure TTL', async () => {
    const clock = manualClock();
    const lookup = createDomainExpiryLookup({ rdapBaseUrl: base, clock, ttlMs: 10_000, failureTtlMs: 1_000 });
    const signal = new AbortController().signal;
    await lookup('example.com', signal);
    clock.advance(10_001);
    failing = true;
    await expect(lookup('example.com', signal)).resolves.toBe(Date.parse(EXPIRES));
    expect(requests).toHaveLength(2);
    await lookup('example.com', signal);
    expect(requests).toHaveLength(2);
    clock.advance(1_001);
    failing = false;
    await expect(lookup('example.com', signal)).resolves.toBe(Date.parse(EXPIRES));
    expect(requests).toHaveLength(3);
  });

  it('does not query IP addresses or single-label hosts', async () => {
    const lookup = createDomainExpiryLookup({ rdapBaseUrl: base, clock: manualClock() });
    await expect(lookup('127.0.0.1', new AbortController().signal)).resolves.toBeUndefined();
    await expect(lookup('localhost', new AbortController().signal)).resolves.toBeUndefined();
    expect(requests).toHaveLength(0);
  });

  it('shares one request between concurrent lookups of a domain', async () => {
    delayMs = 50;
    const lookup = createDomainExpiryLookup({ rdapBaseUrl: base, clock: manualClock() });
    const signal = new AbortController().signal;
    const answers = await Promise.all([lookup('a.example.com', signal), lookup('b.example.com', signal), lookup('example.com', signal)]);
    expect(answers).toEqual([Date.parse(EXPIRES), Date.parse(EXPIRES), Date.parse(EXPIRES)]);
    expect(requests).toHaveLength(1);
  });

  it('rejects when the caller aborts, without spoiling the shared request for others', async () => {
    delayMs = 100;
    const lookup = createDomainExpiryLookup({ rdapBaseUrl: base, clock: manualClock() });
    const controller = new AbortController();
    const aborted = lookup('example.com', controller.signal);
    const other = lookup('example.com', new AbortController().signal);
    controller.abort(new Error('caller gone'));
    await expect(aborted).rejects.toThrow('caller gone');
    await expect(other).resolves.toBe(Date.parse(EXPIRES));
  });

  it('resolves the RDAP host with the probes\' resolver (a name only its hosts file knows)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-rdap-'));
    try {
      writeFileSync(join(dir, 'hosts'), '127.0.0.1 rdap.vigil.test\n');
      writeFileSync(join(dir, 'resolv.conf'), '');
      const resolver = createHostResolver({ hostsFile: join(dir, 'hosts'), resolvConfFile: join(dir, 'resolv.conf') });
      const lookup = createDomainExpiryLookup({ rdapBaseUrl: `http://rdap.vigil.test:${server.port}/rdap/`, clock: manualClock(), resolver });
      await expect(lookup('www.example.com', new AbortController().signal)).resolves.toBe(Date.parse(EXPIRES));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('uses the injected fetch', async () => {
    const seen: string[] = [];
    const fakeFetch: typeof fetch = async (input) => {
      seen.push(String(input));
      return new Response(JSON.stringify({ events: [{ eventAction: 'expiration', eventDate: EXPIRES }] }), { status: 200 });
    };
    const lookup = createDomainExpiryLookup({ rdapBaseUrl: 'https://rdap.example', clock: manualClock(), fetch: fakeFetch });
    await expect(lookup('www.example.org', new AbortController().signal)).resolves.toBe(Date.parse(EXPIRES));
    expect(seen).toEqual(['https://rdap.example/domain/example.org']);
  });
});
