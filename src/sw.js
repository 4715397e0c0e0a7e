// The notebook's service worker: after one visit it serves the app shell (the
// built index.html, its JS and CSS chunks, the workers, the wasm binaries,
// the corpus, the KaTeX fonts, the icons) from a cache, so the notebook opens
// and trains with the network down.
//
// This file is a template: the build (scripts/serviceWorker.ts, a Vite plugin)
// writes it to dist/sw.js with __PRECACHE__ replaced by the list of the
// build's files and their content hashes, and __VERSION__ by a hash of that
// list. Each version has its own cache; files whose hash did not change are
// copied from the previous version's cache instead of downloaded again.
//
// A new version installs in the background and then waits: it takes over only
// once every tab of the old one is closed, or when the page asks it to
// (the reader clicked "reload" on the page's "A new version is available"
// line, src/app/serviceWorker.ts). Code is never swapped under a running page.
/* global __PRECACHE__, __VERSION__ -- filled in by the build */

/** @type {[string, string][]} [path relative to this file, content hash] */
const PRECACHE = __PRECACHE__;
const VERSION = __VERSION__;
const PREFIX = 'notebook-';
const CACHE = `${PREFIX}${VERSION}`;
/** Where the previous versions' hashes are kept, inside each version's cache. */
const HASHES = '__precache-hashes__';

const url = (path) => new URL(path, self.location.href).href;
const INDEX = url('index.html');
const SCOPE = url('./');
const PRECACHED = new Set(PRECACHE.map(([path]) => url(path)));

/** Earlier versions' caches, with the hashes of what they hold. */
async function earlier() {
  const names = (await caches.keys()).filter((n) => n.startsWith(PREFIX) && n !== CACHE);
  const found = [];
  for (const name of names) {
    const cache = await caches.open(name);
    const record = await cache.match(url(HASHES));
    if (record) found.push({ cache, hashes: await record.json() });
  }
  return found;
}

async function install() {
  const cache = await caches.open(CACHE);
  const old = await earlier();
  await Promise.all(
    PRECACHE.map(async ([path, hash]) => {
      const key = url(path);
      for (const o of old) {
        if (o.hashes[path] !== hash) continue;
        const kept = await o.cache.match(key);
        if (kept) return cache.put(key, kept);
      }
      // 'no-cache': revalidate with the server, so an unhashed file (the corpus, index.html) is this version's.
      const response = await fetch(new Request(key, { cache: 'no-cache' }));
      if (!response.ok) throw new Error(`precache: ${path} answered ${response.status}`);
      return cache.put(key, response);
    }),
  );
  await cache.put(
    url(HASHES),
    new Response(JSON.stringify(Object.fromEntries(PRECACHE)), { headers: { 'Content-Type': 'application/json' } }),
  );
}

/**
 * Cross-origin isolation for hosts that cannot send headers (GitHub Pages):
 * what this worker serves carries COOP and COEP, so a page it controls
 * (from the load after its install) is cross-origin isolated and the
 * kernels may run on two threads. Servers that send them already
 * (`vite preview`, `vite`) are unaffected: the same values.
 */
const ISOLATION = [
  ['Cross-Origin-Opener-Policy', 'same-origin'],
  ['Cross-Origin-Embedder-Policy', 'require-corp'],
];

function withIsolation(response) {
  // An opaque or error response has no headers to add to.
  if (response.type === 'opaque' || response.type === 'error') return response;
  const headers = new Headers(response.headers);
  for (const [name, value] of ISOLATION) headers.set(name, value);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

self.addEventListener('install', (event) => event.waitUntil(install()));

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      await Promise.all(names.filter((n) => n.startsWith(PREFIX) && n !== CACHE).map((n) => caches.delete(n)));
      // On a first install this makes the open page (and the workers it starts next) use the cache
      // at once; on an update the page asked for it (below) and reloads.
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('message', (event) => {
  if (event.data && event.data.type === 'skip-waiting') self.skipWaiting();
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const target = new URL(request.url);
  if (target.origin !== self.location.origin) return;
  target.search = '';
  target.hash = '';
  let key = null;
  // Routes are hash routes: every navigation inside the scope is the one page.
  if (request.mode === 'navigate') key = target.href === SCOPE || target.href === INDEX ? INDEX : null;
  else if (PRECACHED.has(target.href)) key = target.href;
  if (key === null) return;
  event.respondWith(
    (async () => {
      const cache = await caches.open(CACHE);
      return withIsolation((await cache.match(key)) ?? (await fetch(request)));
    })(),
  );
});
