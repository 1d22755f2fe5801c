import { describe, expect, it } from 'vitest';
import { buildAlert } from '../src/alerting/labels.js';
import { MAX_RENDERED_CONDITION_CHARS, truncateText } from '../src/truncate.js';
import { endpoint, rule } from './alerting/helpers.js';

describe('truncateText', () => {
  it('keeps text up to the cap and cuts longer text to exactly the cap, ending in …', () => {
    expect(truncateText('abc', 3)).toBe('abc');
    expect(truncateText('abcd', 3)).toBe('ab…');
    expect(truncateText('x'.repeat(5000), 1024)).toHaveLength(1024);
  });

  it('never splits a surrogate pair', () => {
    const cut = truncateText(`a${'😀'.repeat(10)}`, 3); // 'a' + high surrogate would be cut mid-pair
    expect(cut).toBe('a…');
    expect(truncateText('😀😀😀', 4)).toBe('😀…');
  });
});

describe('alert annotations', () => {
  it('carry each failing condition rendering capped at 1 KiB', () => {
    const rendered = `[BODY] (${'z'.repeat(100_000)}) == UP`;
    const { annotations } = buildAlert({
      endpoint: endpoint(),
      rule: rule(),
      externalLabels: {},
      conditionResults: [{ condition: '[BODY] == UP', success: false, rendered }],
      replica: 'r',
    });
    expect(annotations.failing_conditions).toHaveLength(MAX_RENDERED_CONDITION_CHARS);
    expect(annotations.failing_conditions?.endsWith('…')).toBe(true);
    expect((annotations.description ?? '').length).toBeLessThan(MAX_RENDERED_CONDITION_CHARS + 200);
  });
});
