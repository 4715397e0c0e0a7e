// What a page gets from the app shell: where it is, and how to change its own
// query or link to another page. The shell provides it from the URL's hash
// (src/app/hashRoute.ts); render tests hand in a plain object.

export interface PageLocation {
  /** The route, e.g. '/objectives/decoder-only'; '/' is the contents. */
  path: string;
  query: URLSearchParams;
  /** Replaces the query of the current page without adding a history entry. */
  replaceQuery(query: URLSearchParams): void;
  /** A link to another page that keeps the app-wide keys (presenter mode). */
  hrefFor(path: string): string;
}

export interface PageProps {
  location: PageLocation;
}
