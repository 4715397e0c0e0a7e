// The page rendered to static markup (effects do not run on the server, so no
// worker starts): every equation renders, no NaN reaches the page, and a bad
// link value is reported instead of crashing.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PageProps } from '../pageProps';
import InitializationPage from './InitializationPage';

function render(query: string): string {
  const location: PageProps['location'] = {
    path: '/optimization/initialization',
    query: new URLSearchParams(query),
    replaceQuery: () => undefined,
    hrefFor: (p) => `#${p}`,
  };
  return renderToStaticMarkup(createElement(InitializationPage, { location }));
}

const hadDocument = 'document' in globalThis;
beforeAll(() => {
  // The trainer's corpus URL is resolved against the document.
  if (!hadDocument) Object.assign(globalThis, { document: { baseURI: 'http://127.0.0.1/' } });
});
afterAll(() => {
  if (!hadDocument) delete (globalThis as { document?: unknown }).document;
});

describe('InitializationPage markup', () => {
  it('renders its equations and live numbers without NaN', () => {
    const html = render('');
    expect(html).toContain('class="katex');
    expect(html).not.toContain('katex-error');
    expect(html).not.toMatch(/NaN|undefined|Infinity/);
    // g = 2 * 0.02^4 * 768^2 at GPT-2 width, computed in the page
    expect(html).toContain('it is 0.189, and over');
    // both tables, distinct field ids
    expect(html).toContain('id="hp-depth"');
    expect(html).toContain('id="hp-width"');
    expect(html.match(/id="hp-seed"/g)).toHaveLength(1);
  });

  it('a malformed link value becomes a notice and the default', () => {
    const html = render('depth=0&width=abc');
    expect(html).toContain('Ignored depth=&quot;0&quot; from the link');
    expect(html).toContain('Ignored width=&quot;abc&quot; from the link');
    expect(html).not.toMatch(/NaN/);
  });
});
