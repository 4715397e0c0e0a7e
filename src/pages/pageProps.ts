import type { HashLocation } from '../app/hashRoute';

export interface PageProps {
  location: HashLocation & { replaceQuery(q: URLSearchParams): void; hrefFor(path: string): string };
}
