import { describe, expect, it } from 'vitest';
import { describeToken } from './TokenStrip';

describe('describeToken', () => {
  it('gives -log p and p = exp(-(-log p)) for a scored token', () => {
    expect(describeToken({ text: 'm', nll: Math.log(4) }, 4)).toBe('Token 5, “m”: −log p = 1.386 nats (p = 25.0%).');
    expect(describeToken({ text: 'q', nll: 10 }, 0)).toBe('Token 1, “q”: −log p = 10.000 nats (p = 4.5e-5).');
  });

  it('names spaces and newlines, and says when a token was given', () => {
    expect(describeToken({ text: ' ', nll: 0.5 }, 1)).toMatch(/^Token 2, space: /);
    expect(describeToken({ text: '\n', nll: 0.5 }, 1)).toMatch(/^Token 2, newline: /);
    expect(describeToken({ text: 'T', nll: null }, 0)).toBe('Token 1, “T”: given (no prefix to predict it from).');
  });
});
