// Where the pages' trainers read their text: the bundled corpus assets, by
// absolute same-origin URL (the worker resolves nothing relative).
import type { DataSource } from '../train/contract';

export function corpusSource(name: 'brown' | 'toy'): DataSource {
  return { kind: 'corpus', name, url: new URL(`corpus/${name}.json`, document.baseURI).href };
}
