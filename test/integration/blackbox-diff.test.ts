/**
 * Differential test: the real prometheus-blackbox-exporter and vigil's /probe, with the SAME
 * module file, against the same local targets. Both must agree on probe_success, and on the
 * name, TYPE, HELP and label names of every metric family; values that do not depend on timing
 * (status code, redirects, IP hash, certificate expiry, RR counts...) must be equal too.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAllowlist } from '../../src/blackbox/allowlist.js';
import { parseBlackboxConfig } from '../../src/blackbox/config.js';
import { silentLogger } from '../../src/log.js';
import { probers } from '../../src/probe/index.js';
import { createProbeRouter } from '../../src/web/probe-route.js';
import { createApp, listen as listenApp, type RunningServer } from '../../src/web/server.js';
import { requireBinary } from '../helpers/binaries.js';
import { startDnsServer, type DnsServer } from '../helpers/dns-server.js';
import { listen } from '../helpers/listen.js';
import { makeCertificate } from '../helpers/tls-cert.js';
import { parseExposition, labelNames, valueOf, type Family } from '../blackbox/exposition.js';

const binary = requireBinary('blackbox');
const MODULES_FILE = fileURLToPath(new URL('../fixtures/blackbox/diff.yml', import.meta.url));

/** blackbox families vigil does not produce (documented in README). */
const NOT_IMPLEMENTED = new Set([
  'probe_ssl_last_chain_expiry_timestamp_seconds',
  'probe_ssl_last_chain_info',
  'probe_http_last_modified_timestamp_seconds',
]);
/** Families whose value must be identical (no timing in them). */
const SAME_VALUE = [
  'probe_success', 'probe_http_status_code', 'probe_http_redirects', 'probe_http_ssl', 'probe_http_version',
  'probe_http_content_length', 'probe_http_uncompressed_body_length', 'probe_failed_due_to_regex',
  'probe_ip_protocol', 'probe_ip_addr_hash', 'probe_ssl_earliest_cert_expiry', 'probe_dns_answer_rrs',
  'probe_dns_authority_rrs', 'probe_dns_additional_rrs', 'probe_dns_query_succeeded',
];

async function freePort(): Promise<number> {
  const server = createNetServer();
  const { port, close } = await listen(server);
  await close();
  return port;
}

async function waitReady(url: string, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`blackbox_exporter exited (${child.exitCode}): ${stderr()}`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error(`blackbox_exporter not ready: ${stderr()}`);
}

function respond(req: IncomingMessage, res: ServerResponse): void {
  const send = (status: number, body: string, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'text/plain', 'content-length': String(Buffer.byteLength(body)), ...headers });
    res.end(body);
  };
  req.resume();
  switch (req.url) {
    case '/ok':
      return send(200, 'status: ok\n');
    case '/404':
      return send(404, 'not found\n');
    case '/500':
      return send(500, 'oops\n');
    case '/redirect':
      return send(302, '', { location: '/ok' });
    case '/error-body':
      return send(200, 'an Error happened\n');
    case '/hang':
      return; // never answers
    default:
      return send(200, 'status: fine\n');
  }
}

describe.skipIf(!binary)('blackbox_exporter vs vigil /probe (same modules, same targets)', () => {
  let blackbox: ChildProcess | undefined;
  let blackboxUrl = '';
  let vigil: RunningServer | undefined;
  let vigilUrl = '';
  const closers: Array<() => Promise<void>> = [];
  let http = '';
  let httpHostPort = '';
  let closedPort = 0;
  let httpsSelfSigned = '';
  let httpsExpired = '';
  let tlsHostPort = '';
  let dns: DnsServer | undefined;

  beforeAll(async () => {
    const plain = await listen(createHttpServer(respond));
    closers.push(plain.close);
    http = `http://127.0.0.1:${plain.port}`;
    httpHostPort = `127.0.0.1:${plain.port}`;
    closedPort = await freePort();
    const valid = await makeCertificate();
    const secure = await listen(createHttpsServer({ key: valid.key, cert: valid.cert }, respond));
    closers.push(secure.close);
    httpsSelfSigned = `https://127.0.0.1:${secure.port}/ok`;
    tlsHostPort = `127.0.0.1:${secure.port}`;
    const old = await makeCertificate({ notBefore: new Date('2020-01-01T00:00:00Z'), notAfter: new Date('2021-01-01T00:00:00Z') });
    const expired = await listen(createHttpsServer({ key: old.key, cert: old.cert }, respond));
    closers.push(expired.close);
    httpsExpired = `https://127.0.0.1:${expired.port}/ok`;
    dns = await startDnsServer();

    const { config } = parseBlackboxConfig(MODULES_FILE, readFileSync(MODULES_FILE, 'utf8'));
    const router = createProbeRouter({ config: () => config, allowlist: () => createAllowlist(undefined), probers, logger: silentLogger });
    const app = createApp({ registry: new Registry(), logger: silentLogger, ready: () => true, reload: async () => ({ ok: true, errors: [] }), open: [router] });
    vigil = await listenApp(app, '127.0.0.1:0');
    vigilUrl = `http://127.0.0.1:${vigil.port}`;

    const port = await freePort();
    blackboxUrl = `http://127.0.0.1:${port}`;
    let stderr = '';
    blackbox = spawn(binary ?? '', [`--web.listen-address=127.0.0.1:${port}`, `--config.file=${MODULES_FILE}`], { stdio: ['ignore', 'ignore', 'pipe'] });
    blackbox.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-4000);
    });
    await waitReady(`${blackboxUrl}/-/healthy`, blackbox, () => stderr);
  });

  afterAll(async () => {
    if (blackbox && blackbox.exitCode === null) {
      const exited = new Promise((done) => blackbox?.once('exit', done));
      blackbox.kill('SIGKILL');
      await exited;
    }
    await vigil?.close();
    await dns?.close();
    for (const close of closers) await close();
  });

  async function probe(base: string, module: string, target: string): Promise<{ text: string; families: Map<string, Family> }> {
    const query = new URLSearchParams({ module, target });
    const response = await fetch(`${base}/probe?${query.toString()}`, { headers: { 'X-Prometheus-Scrape-Timeout-Seconds': '10' } });
    const text = await response.text();
    expect(response.status, text).toBe(200);
    return { text, families: parseExposition(text) };
  }

  const cases: Array<{ name: string; module: string; target: () => string; success: 0 | 1; present?: string[] }> = [
    { name: '200', module: 'http_2xx', target: () => `${http}/ok`, success: 1, present: ['probe_http_duration_seconds', 'probe_ip_addr_hash'] },
    { name: 'host:port target gets http://', module: 'http_2xx', target: () => `${httpHostPort}/ok`, success: 1 },
    { name: '404', module: 'http_2xx', target: () => `${http}/404`, success: 0 },
    { name: '500', module: 'http_2xx', target: () => `${http}/500`, success: 0 },
    { name: 'closed port', module: 'http_2xx', target: () => `http://127.0.0.1:${closedPort}/`, success: 0 },
    { name: 'timeout (server never answers)', module: 'http_short', target: () => `${http}/hang`, success: 0 },
    { name: 'redirect followed', module: 'http_2xx', target: () => `${http}/redirect`, success: 1 },
    { name: 'redirect not followed, 302 valid', module: 'http_no_redirect', target: () => `${http}/redirect`, success: 1 },
    { name: 'self-signed, verified', module: 'http_2xx', target: () => httpsSelfSigned, success: 0 },
    { name: 'self-signed, insecure_skip_verify', module: 'http_insecure', target: () => httpsSelfSigned, success: 1, present: ['probe_ssl_earliest_cert_expiry', 'probe_tls_version_info'] },
    { name: 'expired certificate, verified', module: 'http_2xx', target: () => httpsExpired, success: 0 },
    { name: 'expired certificate, insecure_skip_verify', module: 'http_insecure', target: () => httpsExpired, success: 1 },
    { name: 'body matches required regexp', module: 'http_body_ok', target: () => `${http}/ok`, success: 1 },
    { name: 'body misses required regexp', module: 'http_body_ok', target: () => `${http}/error-body`, success: 0 },
    { name: 'body matches forbidden (?i) regexp', module: 'http_body_no_error', target: () => `${http}/error-body`, success: 0 },
    { name: 'body free of forbidden regexp (POST)', module: 'http_body_no_error', target: () => `${http}/ok`, success: 1 },
    { name: 'fail_if_not_ssl over http', module: 'http_not_ssl', target: () => `${http}/ok`, success: 0 },
    { name: 'tcp open port', module: 'tcp_connect', target: () => httpHostPort, success: 1 },
    { name: 'tcp closed port', module: 'tcp_connect', target: () => `127.0.0.1:${closedPort}`, success: 0 },
    { name: 'tcp + tls, insecure', module: 'tcp_tls', target: () => tlsHostPort, success: 1, present: ['probe_ssl_earliest_cert_expiry'] },
    { name: 'dns A answer', module: 'dns_a', target: () => `127.0.0.1:${dns?.port ?? 0}`, success: 1, present: ['probe_dns_answer_rrs', 'probe_dns_duration_seconds'] },
    { name: 'dns NXDOMAIN', module: 'dns_missing', target: () => `127.0.0.1:${dns?.port ?? 0}`, success: 0 },
  ];

  it.each(cases)('$name ($module): same probe_success, families, types, labels and stable values', async ({ module, target, success, present }) => {
    const expected = await probe(blackboxUrl, module, target());
    const actual = await probe(vigilUrl, module, target());
    const context = `blackbox:\n${expected.text}\nvigil:\n${actual.text}`;
    expect(valueOf(expected.families, 'probe_success'), context).toBe(success);
    expect(valueOf(actual.families, 'probe_success'), context).toBe(success);

    const wanted = [...expected.families.keys()].filter((name) => !NOT_IMPLEMENTED.has(name)).sort();
    expect(wanted.length).toBeGreaterThan(3);
    for (const name of present ?? []) expect(wanted, context).toContain(name);
    expect([...actual.families.keys()].sort(), context).toEqual(wanted);
    for (const name of wanted) {
      const ours = actual.families.get(name);
      const theirs = expected.families.get(name);
      if (!ours || !theirs) continue;
      expect({ name, type: ours.type, help: ours.help, labels: labelNames(ours) }, context).toEqual({
        name,
        type: theirs.type,
        help: theirs.help,
        labels: labelNames(theirs),
      });
      const labelValues = (f: Family) => f.samples.map((s) => JSON.stringify(s.labels)).sort();
      expect(labelValues(ours), `${name}\n${context}`).toEqual(labelValues(theirs));
    }
    for (const name of SAME_VALUE) {
      if (!expected.families.has(name)) continue;
      expect(valueOf(actual.families, name), `${name}\n${context}`).toBe(valueOf(expected.families, name));
    }
  });
});
