// What an error boundary says when the part it guards fails: a code chunk that
// did not load (the notebook was redeployed, so the old chunk names are gone,
// or the reader is offline and has not opened this part before), or an error
// while drawing. Pure, so the wording is tested without a browser.

/** Errors Vite reported through its `vite:preloadError` event: a chunk or its CSS did not load. */
const preloadFailures = new WeakSet<object>();

/**
 * Listens for Vite's `vite:preloadError` (fired when a lazily loaded chunk or
 * one of its dependencies fails to load), so the error that reaches a
 * boundary is known to be a chunk failure whatever its message. The event is
 * not cancelled: the import still rejects, and the boundary shows why.
 */
export function watchChunkErrors(target: Pick<Window, 'addEventListener'>): void {
  target.addEventListener('vite:preloadError', (event) => {
    const payload = (event as Event & { payload?: unknown }).payload;
    if (typeof payload === 'object' && payload !== null) preloadFailures.add(payload);
  });
}

/** Marks an error as a failed chunk load (what the `vite:preloadError` listener does). */
export function markChunkError(error: object): void {
  preloadFailures.add(error);
}

// What each browser says when a dynamic import or a chunk's CSS fails to load.
const CHUNK_MESSAGES = [
  /Failed to fetch dynamically imported module/i, // Chromium
  /error loading dynamically imported module/i, // Firefox
  /Importing a module script failed/i, // Safari
  /Unable to preload CSS/i, // Vite's preload helper
  /ChunkLoadError|Loading chunk [\w-]+ failed/i,
];

/** Whether `error` says a code chunk did not load, rather than that code failed while running. */
export function isChunkError(error: unknown): boolean {
  if (typeof error === 'object' && error !== null && preloadFailures.has(error)) return true;
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return CHUNK_MESSAGES.some((re) => re.test(message));
}

/** Where a boundary sits: around the whole app, one routed page, or one demo on a page. */
export type BoundaryScope = 'app' | 'page' | 'demo';

export interface Failure {
  kind: 'stale' | 'offline' | 'error';
  /** One sentence: what failed. */
  title: string;
  /** What else to know: the error's own message, or what still works. */
  detail: string;
  /** The button's words. */
  action: string;
  /** The button reloads the whole notebook (a newer build) rather than remounting the failed part. */
  reloadsApp: boolean;
}

/** The error's own message, one line and not too long, for the reader (the console has the stack). */
export function errorText(error: unknown): string {
  const raw = error instanceof Error ? error.message : typeof error === 'string' ? error : String(error);
  const line = raw.replace(/\s+/g, ' ').trim() || 'no message';
  return line.length > 300 ? `${line.slice(0, 299)}…` : line;
}

const RELOAD_LABEL: Record<BoundaryScope, string> = {
  app: 'Reload the notebook',
  page: 'Reload this section',
  demo: 'Reload this demo',
};

/**
 * What to tell the reader about `error`, caught by a boundary around `name`
 * (a demo's title, a section's title). `online` is navigator.onLine.
 */
export function describeFailure(error: unknown, scope: BoundaryScope, name: string, online: boolean): Failure {
  if (isChunkError(error)) {
    if (!online)
      return {
        kind: 'offline',
        title: `You are offline, and ${scope === 'demo' ? `“${name}”` : `the section “${name}”`} has not been loaded yet.`,
        detail: 'Sections you have already opened still work. Reconnect, then try again.',
        action: 'Try again',
        reloadsApp: false,
      };
    return {
      kind: 'stale',
      title: 'A newer version of the notebook is available — reload',
      detail: `The part of the old version that “${name}” needs is no longer on the server.`,
      action: 'Reload',
      reloadsApp: true,
    };
  }
  const what = scope === 'demo' ? `The demo “${name}”` : scope === 'page' ? `The section “${name}”` : 'The notebook';
  const rest =
    scope === 'demo'
      ? 'The rest of the page still works.'
      : scope === 'page'
        ? 'The other sections still work: pick one from the contents.'
        : '';
  return {
    kind: 'error',
    title: `${what} stopped with an error: ${errorText(error)}`,
    detail: rest,
    action: RELOAD_LABEL[scope],
    reloadsApp: scope === 'app',
  };
}
