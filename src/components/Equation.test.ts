import { describe, expect, it } from 'vitest';
import { renderTex, wrappableDisplayTex } from './Equation';

/** The pieces a browser may break a line between: KaTeX's top-level boxes. */
const breakableParts = (html: string) => (html.match(/class="katex-base"/g) ?? []).length;

describe('display equations that wrap on a narrow screen', () => {
  it('typeset under \\displaystyle, so sums keep their limits above and below', () => {
    const html = renderTex('\\sum_{i=1}^{L} x_i', true);
    expect(html).not.toContain('katex-error');
    // Limits stacked over and under the sum (display style), not beside it.
    expect(html).toContain('op-limits');
    expect(renderTex('\\sum_{i=1}^{L} x_i', false)).not.toContain('op-limits');
  });

  it('may break after relations, operators, \\qquad and the commas of a token list', () => {
    expect(breakableParts(renderTex('a = b + c', true))).toBe(3);
    expect(breakableParts(renderTex('a \\qquad b', true))).toBe(2);
    expect(breakableParts(renderTex('[\\nl{the}, \\nl{mouse}, \\nl{ate}]', true))).toBe(3);
    // \qquad followed by letters is a different command and is left alone.
    expect(wrappableDisplayTex('\\qquadx')).toBe('\\displaystyle \\qquadx');
  });

  it('leaves environments whole and error-free', () => {
    const html = renderTex('\\begin{aligned} a &= b \\qquad c \\\\ d &= e \\end{aligned}', true);
    expect(html).not.toContain('katex-error');
    expect(breakableParts(html)).toBe(1);
  });
});
