// A link's notices ("Ignored … from the link") show at the top of the page,
// above the main demo, for every table the page binds to the URL: the GPT-3
// page's second experiment used to announce its bad values only in a section
// about 5,000 px down that renders when scrolled to.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { PageProps } from './pageProps';
import { TRAINER_PAGES, withDocument } from './pageRender.testing';
import { TABLE_CASES } from './paramTables.testing';

withDocument();

function render(route: string, query: string): string {
  const Page = TRAINER_PAGES.find(([p]) => p === route)![1];
  const location: PageProps['location'] = {
    path: route,
    query: new URLSearchParams(query),
    replaceQuery: () => undefined,
    hrefFor: (p) => `#${p}`,
  };
  return renderToStaticMarkup(createElement(Page, { location }));
}

/** Where the page's main demo starts in the markup. */
const demoAt = (html: string) => html.indexOf('class="main-demo"');

describe('link notices at the top of the page', () => {
  it('the GPT-3 page: the decay comparison’s bad values, above the main demo', () => {
    const html = render('/optimization/gpt3-recipe', 'wd_layers=41&wd_width=7&wd_batch=641');
    for (const key of ['wd_layers=&quot;41&quot;', 'wd_width=&quot;7&quot;', 'wd_batch=&quot;641&quot;']) {
      const at = html.indexOf(`Ignored ${key} from the link`);
      expect(at, key).toBeGreaterThan(0);
      expect(at, key).toBeLessThan(demoAt(html));
    }
  });

  const cases = TABLE_CASES.filter((c) => TRAINER_PAGES.some(([route]) => route === c.route));
  it.each(cases.map((c) => [c.name, c] as const))('%s: its page shows a bad value’s notice above the demo', (_n, c) => {
    const key = c.table[0].key;
    const html = render(c.route, `${key}=bogus`);
    const at = html.indexOf(`Ignored ${key}=&quot;bogus&quot; from the link`);
    expect(at).toBeGreaterThan(0);
    expect(at).toBeLessThan(demoAt(html));
  });
});
