import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../src/config/node.js';
import { envSecrets } from '../src/config/secrets.js';
import { createRedactor, REDACTED, redactHeaders, redactText, redactUrl, targetSecrets, URL_REDACTOR } from '../src/redact.js';

describe('redactUrl', () => {
  it.each([
    ['https://user:hunter22@example.org/x', `https://user:${REDACTED}@example.org/x`],
    ['https://example.org/x?token=abc123&page=2', `https://example.org/x?token=${REDACTED}&page=2`],
    ['https://hooks.slack.com/services/T000/B000/XXXX', `https://hooks.slack.com/${REDACTED}`],
    ['https://example.org/health', 'https://example.org/health'],
    ['not a url', 'not a url'],
  ])('%s -> %s', (input, expected) => {
    expect(redactUrl(input)).toBe(expected);
  });
});

describe('redactText', () => {
  it('redacts URLs and listed secrets inside free text', () => {
    const text = 'POST https://a:pw12345@am.local/api failed; bearer s3cr3t-token';
    const out = redactText(text, ['s3cr3t-token']);
    expect(out).not.toContain('pw12345');
    expect(out).not.toContain('s3cr3t-token');
    expect(out).toContain('am.local/api');
  });
});

describe('redactHeaders', () => {
  it('hides Authorization and API keys but keeps ordinary headers', () => {
    expect(redactHeaders({ Authorization: 'Bearer x', 'X-Api-Key': 'k', Accept: 'text/plain' })).toEqual({
      Authorization: REDACTED,
      'X-Api-Key': REDACTED,
      Accept: 'text/plain',
    });
  });
});

describe('Redactor (one per endpoint, built at config load)', () => {
  it('removes every form of each secret: plain, URL-encoded, JSON-escaped, base64 and the Basic pair', () => {
    const target = {
      url: new URL('https://bob:p%40ss-word@api.example/x?api_key=key-7777&page=2'),
      method: 'GET',
      headers: { Authorization: 'Bearer tok-abcdef', 'X-Session': 'sess"ion-1', Accept: 'text/plain' },
      body: '',
    };
    const redactor = createRedactor(targetSecrets(target, { proxyUrl: 'http://proxy:proxy-pw-99@127.0.0.1:3128' }));
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    const text = [
      'p@ss-word', 'p%40ss-word', b64('bob:p@ss-word'), 'key-7777', 'tok-abcdef', b64('tok-abcdef'), 'sess\\"ion-1', 'proxy-pw-99',
    ].join(' | ');
    const out = redactor.text(text);
    for (const leaked of ['ss-word', 'key-7777', 'tok-abcdef', b64('tok-abcdef'), 'ion-1', 'proxy-pw-99']) expect(out).not.toContain(leaked);
    expect(out).not.toContain(b64('bob:p@ss-word'));
    expect(redactor.text('Accept text/plain page=2')).toBe('Accept text/plain page=2');
  });

  it('decodes a Basic header so the password alone is redacted too', () => {
    const basic = Buffer.from('svc:basic-pw-42').toString('base64');
    const redactor = createRedactor(targetSecrets({ url: new URL('http://h/'), method: 'GET', headers: { Authorization: `Basic ${basic}` }, body: '' }, {}));
    expect(redactor.text(`echo: basic-pw-42 / ${basic}`)).toBe(`echo: ${REDACTED} / ${REDACTED}`);
  });

  it('still redacts URL credentials in text when the endpoint has no secrets of its own', () => {
    expect(URL_REDACTOR.text('GET https://a:pw12345@h/x')).toBe(`GET https://a:${REDACTED}@h/x`);
  });
});

describe('envSecrets', () => {
  it('takes ${VAR} values with secret-like names anywhere, and any variable inside headers, body, ssh or client', async () => {
    const yaml = [
      'name: x',
      'url: https://${HOST}/?q=${QUERY}',
      'headers: { X-Custom: "${PLAIN_HEADER}" }',
      'conditions: ["[BODY].t == ${API_TOKEN}"]',
      '',
    ].join('\n');
    const { root } = parseConfigText('f.yaml', yaml, { HOST: 'api.example', QUERY: 'page', PLAIN_HEADER: 'hdr-value', API_TOKEN: 'tok-env' });
    expect(envSecrets(root).sort()).toEqual(['hdr-value', 'tok-env']);
  });
});

describe('Redactor serialisation', () => {
  it('never prints its secrets through JSON.stringify or util.inspect', async () => {
    const { inspect } = await import('node:util');
    const redactor = createRedactor(['very-secret-value']);
    expect(JSON.stringify({ redactor })).not.toContain('very-secret');
    expect(inspect({ redactor }, { depth: 5 })).not.toContain('very-secret');
  });
});
