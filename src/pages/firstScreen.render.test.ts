// Every trainer page rendered to static markup (effects do not run, so no
// worker starts): the page opens with its what-to-try sentence right under
// the title, and its first trainer sits inside the one main demo, before any
// section of prose. e2e/first-screen.spec.ts checks the same in a browser,
// by where the Train button lands.
import { createElement, type ComponentType } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import DecoderOnlyPage from './decoder-only/DecoderOnlyPage';
import EncoderDecoderPage from './encoder-decoder/EncoderDecoderPage';
import EncoderOnlyPage from './encoder-only/EncoderOnlyPage';
import Gpt3RecipePage from './gpt3-recipe/Gpt3RecipePage';
import InitializationPage from './initialization/InitializationPage';
import LearningRatesPage from './learning-rates/LearningRatesPage';
import MemoryPage from './memory/MemoryPage';
import MixedPrecisionPage from './mixed-precision/MixedPrecisionPage';
import type { PageProps } from './pageProps';
import SgdAdamPage from './sgd-adam/SgdAdamPage';

const PAGES: [string, ComponentType<PageProps>][] = [
  ['/objectives/decoder-only', DecoderOnlyPage],
  ['/objectives/encoder-only', EncoderOnlyPage],
  ['/objectives/encoder-decoder', EncoderDecoderPage],
  ['/optimization/sgd-adam', SgdAdamPage],
  ['/optimization/memory', MemoryPage],
  ['/optimization/mixed-precision', MixedPrecisionPage],
  ['/optimization/learning-rates', LearningRatesPage],
  ['/optimization/initialization', InitializationPage],
  ['/optimization/gpt3-recipe', Gpt3RecipePage],
];

const hadDocument = 'document' in globalThis;
beforeAll(() => {
  // The trainers' corpus URL is resolved against the document.
  if (!hadDocument) Object.assign(globalThis, { document: { baseURI: 'http://127.0.0.1/' } });
});
afterAll(() => {
  if (!hadDocument) delete (globalThis as { document?: unknown }).document;
});

describe('the top of every trainer page', () => {
  it.each(PAGES)('%s: what to try under the title, then the main demo with its trainer', (path, Page) => {
    const location: PageProps['location'] = { path, query: new URLSearchParams(''), replaceQuery: () => undefined, hrefFor: (p) => `#${p}` };
    const html = renderToStaticMarkup(createElement(Page, { location }));
    const afterTitle = html.slice(html.indexOf('</h1>'));
    // The first paragraph after the title is the sentence of what to try.
    expect(afterTitle.match(/<p[^>]*>/)?.[0]).toContain('data-testid="try-this"');
    expect(afterTitle).toMatch(/data-testid="try-this">Press Train\b/);
    // One main demo; the page's first trainer is in it, before the next section's heading.
    expect(html.split('data-main-demo').length - 1).toBe(1);
    const demo = html.indexOf('data-main-demo');
    const trainer = html.indexOf('data-testid="trainer"');
    const nextHeading = html.indexOf('<h2', html.indexOf('<h2', demo) + 1);
    expect(trainer).toBeGreaterThan(demo);
    expect(nextHeading === -1 || trainer < nextHeading).toBe(true);
  });
});
