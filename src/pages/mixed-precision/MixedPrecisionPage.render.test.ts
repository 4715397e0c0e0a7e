// The page rendered to static markup (effects do not run, so no worker starts):
// it renders for default and edited links, shows no NaN, and its TeX compiles.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PageProps } from '../pageProps';
import MixedPrecisionPage from './MixedPrecisionPage';

function render(query: string): string {
  const location: PageProps['location'] = {
    path: '/optimization/mixed-precision',
    query: new URLSearchParams(query),
    replaceQuery: () => undefined,
    hrefFor: (p) => `#${p}`,
  };
  return renderToStaticMarkup(createElement(MixedPrecisionPage, { location }));
}

const hadDocument = 'document' in globalThis;
beforeAll(() => {
  if (!hadDocument) Object.assign(globalThis, { document: { baseURI: 'http://127.0.0.1/' } });
});
afterAll(() => {
  if (!hadDocument) delete (globalThis as { document?: unknown }).document;
});

describe('MixedPrecisionPage markup', () => {
  it.each([[''], ['lr=0.0003&ls0=0&grow=5&g16=off'], ['lr=0.01&fp32=off&w16=off']])(
    '%s renders without NaN or TeX errors',
    (q) => {
      const html = render(q);
      // "NaN" is named in the format's equation and the explorer's hint; nowhere else may it appear.
      expect(html.replace(/or\sNaN/g, '')).not.toMatch(/NaN|undefined/);
      expect(html).toContain('class="katex');
      expect(html).not.toContain('katex-error');
    },
  );

  it('the explorer starts on 0.1: FP16 holds 0.0999755859375 (pattern 0x2e66), a normal number', () => {
    const html = render('');
    expect(html).toContain('0x2e66');
    expect(html).toContain('0x3dcccccd'); // FP32 pattern of 0.1
    expect(html).toContain('data-region="normal"');
    expect(html).toContain('0.099975586');
  });

  it('explains the shrink and the SGD case without quoting measured losses, and writes powers of two as superscripts', () => {
    const html = render('');
    expect(html).toContain('What to look for: with the gradients shrunk');
    expect(html).toContain('set the optimiser to');
    expect(html).not.toMatch(/npm run|RACE=|we measured|Measured with/);
    expect(html).toContain('Everything at or below 2⁻²⁵ rounds to 0');
    expect(html).toContain('relative error at most 2⁻¹¹');
    expect(html).toContain('Static loss scale S = 2¹⁰ = 1024');
  });

  it('a link with every arm off, or a bad value, says so instead of training', () => {
    const none = render('fp32=off&g16=off&g16ls=off&w16=off&mixed=off');
    expect(none).toContain('Switch on at least one arm.');
    const bad = render('lr=banana');
    expect(bad).toContain('data-testid="url-notice"');
  });
});
