// Shared by the pages' static-render tests: every trainer page, rendered to
// static markup (effects do not run, so no worker starts), with the document
// the trainers resolve their corpus URL against.
import { createElement, type ComponentType } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterAll, beforeAll } from 'vitest';
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

/** Every page with a trainer, by route, in the lecture's order. */
export const TRAINER_PAGES: [string, ComponentType<PageProps>][] = [
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

/** The page at `path` with no query, as markup. */
export function renderPage(path: string, Page: ComponentType<PageProps>): string {
  const location: PageProps['location'] = {
    path,
    query: new URLSearchParams(''),
    replaceQuery: () => undefined,
    hrefFor: (p) => `#${p}`,
  };
  return renderToStaticMarkup(createElement(Page, { location }));
}

/** Gives the test file a minimal `document` (its baseURI) where Node has none. */
export function withDocument(): void {
  const hadDocument = 'document' in globalThis;
  beforeAll(() => {
    if (!hadDocument) Object.assign(globalThis, { document: { baseURI: 'http://127.0.0.1/' } });
  });
  afterAll(() => {
    if (!hadDocument) delete (globalThis as { document?: unknown }).document;
  });
}
