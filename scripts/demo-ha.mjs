#!/usr/bin/env node
// HA demo, all on 127.0.0.1: 2 Alertmanager peers (the repository's routing), 3 vigil
// replicas, a target that goes down and comes back every cycle, and local Slack/SMTP sinks
// that print every notification. Expect one Slack message and one email per state change,
// although 3 replicas × 2 peers send each alert 6 times. Ctrl-C stops everything.
//
//   npm run demo:ha            (builds first)
//   DOWN_SECONDS=20 UP_SECONDS=30 node scripts/demo-ha.mjs
import { spawn } from 'node:child_process';
import { accessSync, constants, readFileSync, existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SMTPServer } from 'smtp-server';
import { parseDocument } from 'yaml';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(ROOT, 'dist/cli.js');
const DOWN_MS = Number(process.env.DOWN_SECONDS ?? 20) * 1000;
const UP_MS = Number(process.env.UP_SECONDS ?? 30) * 1000;
const PEERS = 2;
const REPLICAS = 3;

const children = new Set();
const servers = [];
const timers = new Set();
let workDir = '';
let stopping = false;

const stamp = () => new Date().toISOString().slice(11, 19);
const say = (who, text) => process.stdout.write(`${stamp()} ${who.padEnd(8)} ${text}\n`);
const sleep = (ms) =>
  new Promise((done) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      done();
    }, ms);
    timers.add(timer);
  });

function which(names) {
  for (const name of names) {
    for (const dir of (process.env.PATH ?? '').split(delimiter)) {
      try {
        accessSync(join(dir, name), constants.X_OK);
        return join(dir, name);
      } catch {
        // keep looking
      }
    }
  }
  return undefined;
}

async function freePort() {
  const server = createNetServer();
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address();
  await new Promise((done) => server.close(done));
  return port;
}

function listen(server) {
  servers.push(server);
  return new Promise((done) => server.listen(0, '127.0.0.1', () => done(server.address().port)));
}

function decodeSubject(raw) {
  const head = raw.split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]+/g, ' ');
  const subject = /^subject:\s*(.*)$/im.exec(head)?.[1] ?? '';
  return subject.replace(/=\?[^?]+\?([bBqQ])\?([^?]*)\?=\s*/g, (_all, enc, data) =>
    enc.toUpperCase() === 'B'
      ? Buffer.from(data, 'base64').toString('utf8')
      : data.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_m, hex) => String.fromCharCode(parseInt(hex, 16))),
  );
}

async function startSinks() {
  const slackPort = await listen(
    createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        try {
          const payload = JSON.parse(body);
          const attachment = payload.attachments?.[0] ?? {};
          say('slack', `${attachment.title ?? payload.text ?? ''}`);
          for (const line of String(attachment.text ?? '').split('\n').filter(Boolean)) say('', `  ${line}`);
        } catch {
          say('slack', `unparsable payload: ${body.slice(0, 200)}`);
        }
        response.writeHead(200).end('ok');
      });
    }),
  );
  const smtp = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    logger: false,
    onData(stream, session, callback) {
      const chunks = [];
      stream.on('data', (chunk) => chunks.push(chunk));
      stream.on('end', () => {
        const to = session.envelope.rcptTo.map((rcpt) => rcpt.address).join(', ');
        say('email', `to ${to}: ${decodeSubject(Buffer.concat(chunks).toString('utf8'))}`);
        callback();
      });
    },
  });
  const smtpPort = await listen(smtp.server);
  return { slackUrl: `http://127.0.0.1:${slackPort}/services/demo`, smarthost: `127.0.0.1:${smtpPort}` };
}

function alertmanagerConfig({ slackUrl, smarthost }) {
  const source = join(ROOT, 'alertmanager/alertmanager.yml');
  const doc = parseDocument(readFileSync(source, 'utf8'));
  doc.deleteIn(['global', 'slack_api_url_file']);
  doc.setIn(['global', 'slack_api_url'], slackUrl);
  doc.setIn(['global', 'smtp_smarthost'], smarthost);
  doc.setIn(['global', 'smtp_require_tls'], false);
  doc.deleteIn(['global', 'smtp_auth_username']);
  doc.deleteIn(['global', 'smtp_auth_password_file']);
  doc.setIn(['templates'], (doc.toJS().templates ?? []).map((glob) => resolve(dirname(source), glob)));
  // demo timing; the HA rule still holds: group_interval 5s > (2 − 1) × peer-timeout 1s
  doc.setIn(['route', 'group_wait'], '2s');
  doc.setIn(['route', 'group_interval'], '5s');
  doc.setIn(['route', 'repeat_interval'], '1h');
  return doc.toString();
}

function run(who, command, args, { quiet = true } = {}) {
  const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', quiet ? 'ignore' : 'inherit', 'pipe'] });
  children.add(child);
  let tail = '';
  child.stderr.on('data', (chunk) => {
    tail = (tail + chunk).slice(-4000);
  });
  child.once('exit', (code, signal) => {
    children.delete(child);
    if (!stopping) say(who, `exited (${code ?? signal})\n${tail}`);
  });
  return child;
}

async function waitFor(url, accept, what, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (!stopping) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
      if (await accept(response)) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`${what} not ready after ${timeoutMs / 1000} s`);
    await sleep(250);
  }
}

async function startAlertmanagers(binary, configFile) {
  const ports = [];
  for (let i = 0; i < PEERS; i++) ports.push({ web: await freePort(), cluster: await freePort() });
  const urls = ports.map(({ web }) => `http://127.0.0.1:${web}`);
  ports.forEach(({ web, cluster }, i) => {
    const peers = ports.filter((_p, j) => j !== i).map((p) => `--cluster.peer=127.0.0.1:${p.cluster}`);
    run(`am-${i + 1}`, binary, [
      `--config.file=${configFile}`,
      `--storage.path=${join(workDir, `am-${i + 1}`)}`,
      `--web.listen-address=127.0.0.1:${web}`,
      `--web.external-url=${urls[i]}`,
      `--cluster.listen-address=127.0.0.1:${cluster}`,
      `--cluster.advertise-address=127.0.0.1:${cluster}`,
      '--cluster.peer-timeout=1s',
      ...peers,
    ]);
  });
  say('demo', `waiting for the Alertmanager cluster to settle (about 10 s): ${urls.join(' ')}`);
  for (const url of urls) {
    await waitFor(
      `${url}/api/v2/status`,
      async (response) => response.ok && (await response.json()).cluster?.status === 'ready',
      `Alertmanager ${url}`,
    );
  }
  return urls;
}

async function main() {
  const binary = which(['prometheus-alertmanager', 'alertmanager']);
  if (!binary) throw new Error('Alertmanager is not installed (apt-get install prometheus-alertmanager)');
  if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: run `npm run build` (or use `npm run demo:ha`)');
  workDir = await mkdtemp(join(tmpdir(), 'vigil-demo-ha-'));

  const sinks = await startSinks();
  const amConfig = join(workDir, 'alertmanager.yml');
  await writeFile(amConfig, alertmanagerConfig(sinks));
  const alertmanagers = await startAlertmanagers(binary, amConfig);

  let status = 200;
  const targetPort = await listen(
    createServer((_request, response) => response.writeHead(status).end(status === 200 ? 'ok' : 'down')),
  );
  const vigilConfig = join(workDir, 'vigil.yaml');
  await writeFile(
    vigilConfig,
    [
      'vigil:',
      '  resend-interval: 5s',
      'endpoints:',
      '  - name: api',
      '    group: demo',
      `    url: http://127.0.0.1:${targetPort}/health`,
      '    interval: 2s',
      '    conditions:',
      "      - '[STATUS] == 200'",
      '    alerts:',
      '      - type: slack',
      '        failure-threshold: 2',
      '        success-threshold: 2',
      '        send-on-resolved: true',
      '',
    ].join('\n'),
  );

  const replicas = [];
  for (let i = 1; i <= REPLICAS; i++) {
    const port = await freePort();
    replicas.push(`http://127.0.0.1:${port}`);
    run(`vigil-${i}`, process.execPath, [
      CLI,
      `--config.file=${vigilConfig}`,
      `--web.listen-address=127.0.0.1:${port}`,
      ...alertmanagers.map((url) => `--alertmanager.url=${url}`),
      '--log.format=json',
      '--log.level=warn',
      `--replica=vigil-${i}`,
    ]);
  }
  for (const url of replicas) await waitFor(`${url}/-/ready`, (response) => response.ok, `vigil ${url}`);
  say('demo', `3 vigil replicas: ${replicas.join(' ')}`);
  say('demo', `each sends every alert to both peers; watch for ONE Slack message and ONE email per change. Ctrl-C to stop.`);

  let upMs = 5_000; // a short first healthy phase, then the configured cycle
  while (!stopping) {
    await sleep(upMs);
    upMs = UP_MS;
    if (stopping) break;
    status = 500;
    say('target', `DOWN (answers 500 for ${DOWN_MS / 1000} s)`);
    await sleep(DOWN_MS);
    if (stopping) break;
    status = 200;
    say('target', `UP again (for ${UP_MS / 1000} s)`);
  }
}

async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  for (const timer of timers) clearTimeout(timer);
  say('demo', 'stopping');
  const exits = [...children].map((child) => new Promise((done) => child.once('exit', done)));
  for (const child of children) child.kill('SIGTERM');
  const forced = setTimeout(() => {
    for (const child of children) child.kill('SIGKILL');
  }, 5_000);
  await Promise.all(exits);
  clearTimeout(forced);
  for (const server of servers) {
    server.closeAllConnections?.();
    server.close();
  }
  if (workDir) await rm(workDir, { recursive: true, force: true });
  process.exit(code);
}

process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));
main().catch((error) => {
  process.stderr.write(`demo-ha: ${error instanceof Error ? error.message : String(error)}\n`);
  void shutdown(1);
});
