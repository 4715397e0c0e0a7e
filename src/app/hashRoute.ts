// Hash routes (#/section/page?query) so deep links work on any static host.
import { useCallback } from 'react';
import { useLocationHash } from '../components/locationHash';
import type { PageLocation } from '../pages/pageProps';

export interface HashLocation {
  path: string;
  query: URLSearchParams;
}

export function parseHash(hash: string): HashLocation {
  const body = hash.replace(/^#/, '');
  const q = body.indexOf('?');
  const rawPath = q === -1 ? body : body.slice(0, q);
  const path = rawPath === '' ? '/' : rawPath.startsWith('/') ? rawPath : `/${rawPath}`;
  return { path, query: new URLSearchParams(q === -1 ? '' : body.slice(q + 1)) };
}

export function formatHash(path: string, query: URLSearchParams): string {
  const qs = query.toString();
  return `#${path}${qs ? `?${qs}` : ''}`;
}

/** Keys that belong to the whole app and survive navigation between pages. */
export const GLOBAL_KEYS = ['present'] as const;

/** The page's location from the hash: what App hands every page (PageProps). */
export function useHashLocation(): PageLocation {
  const hash = useLocationHash();
  const loc = parseHash(hash);
  const replaceQuery = useCallback((query: URLSearchParams) => {
    const next = formatHash(parseHash(window.location.hash).path, query);
    if (next !== window.location.hash) {
      history.replaceState(history.state, '', next);
      window.dispatchEvent(new PopStateEvent('popstate'));
    }
  }, []);
  const hrefFor = (path: string) => {
    const keep = new URLSearchParams();
    for (const key of GLOBAL_KEYS) {
      const v = loc.query.get(key);
      if (v !== null) keep.set(key, v);
    }
    return formatHash(path, keep);
  };
  return { ...loc, replaceQuery, hrefFor };
}
