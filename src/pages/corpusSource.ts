// Where the pages' trainers read their text: the bundled corpus assets, by
// absolute same-origin URL (the worker resolves nothing relative). Under the
// build's base (import.meta.env.BASE_URL: './' by default, '/<repo>/' for a
// sub-path build such as GitHub Pages), resolved against the page's address.
import type { DataSource } from '../train/contract';

export function corpusSource(name: 'brown' | 'toy'): DataSource {
  const url = new URL(`${import.meta.env.BASE_URL}corpus/${name}.json`, document.baseURI).href;
  return { kind: 'corpus', name, url };
}
