import { describe, expect, it } from 'vitest';
import { REDACTED, redactHeaders, redactText, redactUrl } from '../src/redact.js';

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
