// The address's hash (the route and its query) as React state, shared by the
// shell's router (app/hashRoute.ts) and the trainer cards' run history, which
// keys and labels pinned runs by it. A query replaced without navigation
// (history.replaceState) is announced with a popstate event, so both are heard.
import { useSyncExternalStore } from 'react';

function subscribe(listener: () => void) {
  window.addEventListener('hashchange', listener);
  window.addEventListener('popstate', listener);
  return () => {
    window.removeEventListener('hashchange', listener);
    window.removeEventListener('popstate', listener);
  };
}

/** `window.location.hash`, re-read whenever it changes. */
export function useLocationHash(): string {
  return useSyncExternalStore(
    subscribe,
    () => window.location.hash,
    () => '',
  );
}
