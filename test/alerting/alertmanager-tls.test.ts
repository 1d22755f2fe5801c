import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertmanagerError, createAlertmanagerClient } from '../../src/alerting/alertmanager.js';
import { listen } from '../helpers/listen.js';
import { makeCertificate } from '../helpers/tls-cert.js';

const alerts = [{ labels: { alertname: 'X' }, annotations: {} }];
let url: string;
let dir: string;
let caFile: string;
let bodies: string[];
let close: () => Promise<void>;

beforeAll(async () => {
  const cert = await makeCertificate();
  dir = await mkdtemp(join(tmpdir(), 'vigil-am-tls-'));
  caFile = join(dir, 'ca.pem');
  await writeFile(caFile, cert.cert);
  bodies = [];
  const server = createServer({ key: cert.key, cert: cert.cert }, (req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      bodies.push(`${req.method} ${req.url} ${req.headers['content-type']} ${body}`);
      res.writeHead(200).end();
    });
  });
  const listening = await listen(server);
  url = `https://127.0.0.1:${listening.port}`;
  close = listening.close;
});

afterAll(async () => {
  await close();
  await rm(dir, { recursive: true, force: true });
});

describe('Alertmanager client with custom TLS (undici Agent, real HTTPS server)', () => {
  it('trusts the CA file it is given', async () => {
    const client = createAlertmanagerClient({ url, timeoutMs: 5_000, tls: { insecure: false, caFile } });
    await client.send(alerts);
    await client.close();
    expect(bodies.at(-1)).toBe(`POST /api/v2/alerts application/json ${JSON.stringify(alerts)}`);
  });

  it('accepts any certificate when insecure', async () => {
    const client = createAlertmanagerClient({ url, timeoutMs: 5_000, tls: { insecure: true } });
    await expect(client.send(alerts)).resolves.toMatchObject({ receivedAt: expect.any(Number) as number });
    await client.close();
  });

  it('rejects an untrusted certificate as a retryable error', async () => {
    const client = createAlertmanagerClient({ url, timeoutMs: 5_000, tls: { insecure: false } });
    const err = await client.send(alerts).catch((e: unknown) => e);
    await client.close();
    expect(err).toBeInstanceOf(AlertmanagerError);
    expect(err).toMatchObject({ code: 'VIGIL_ALERTMANAGER_UNAVAILABLE', retryable: true });
  });

  it('reports a missing CA file as a configuration error', async () => {
    const client = createAlertmanagerClient({ url, timeoutMs: 5_000, tls: { insecure: false, caFile: join(dir, 'missing.pem') } });
    await expect(client.send(alerts)).rejects.toMatchObject({ code: 'VIGIL_ALERTMANAGER_TLS_CONFIG', retryable: false });
  });
});
