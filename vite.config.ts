import { defineConfig, type Connect, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { serviceWorker } from './scripts/serviceWorker.ts';

// What the notebook may load, as a Content-Security-Policy: everything from
// its own origin and nothing else. 'wasm-unsafe-eval' lets tfjs's wasm
// backend and our GEMM kernels compile WebAssembly (no JavaScript eval);
// 'unsafe-inline' styles are needed for the style attributes React, KaTeX and
// Recharts write (no inline scripts are allowed); data: images and fonts are
// the favicon and any small KaTeX font Vite inlines. Workers (the trainer,
// the statistics and text-check workers) are files of the same origin.
const POLICY: Record<string, string[]> = {
  'default-src': ["'self'"],
  'script-src': ["'self'", "'wasm-unsafe-eval'"],
  'worker-src': ["'self'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
  'form-action': ["'self'"],
};

const policy = (p: Record<string, string[]>) =>
  Object.entries(p)
    .map(([k, v]) => `${k} ${v.join(' ')}`)
    .join('; ');

/** The policy a server sends: the page may not be framed by other sites. */
export const CSP = policy({ ...POLICY, 'frame-ancestors': ["'none'"] });
/**
 * The dev server's: Vite's React plugin injects its Fast Refresh preamble as
 * an inline module script, and the HMR client talks over a WebSocket.
 */
const DEV_CSP = policy({
  ...POLICY,
  'script-src': [...POLICY['script-src'], "'unsafe-inline'"],
  'connect-src': ["'self'", 'ws:'],
  'frame-ancestors': ["'none'"],
});

const HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  // Cross-origin isolation: SharedArrayBuffer, so the kernels may run on two
  // threads (src/models/kernels/threads.ts). Everything the notebook
  // loads is its own origin's, which require-corp allows. On a static host that
  // cannot send headers, the service worker adds these two (src/sw.js).
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * The corpus assets do not change between builds of one version: a browser
 * keeps them for a week without asking again (the worker also fetches them
 * with cache: 'force-cache'), so a visit downloads the 6 MB corpus once, not
 * once per page. Not a year: the file names carry no content hash.
 */
const CORPUS_CACHE = 'public, max-age=604800, immutable';

const corpusCache: Connect.NextHandleFunction = (req, res, next) => {
  if (/\/corpus\/[^/]+\.json(\?|$)/.test(req.url ?? '')) res.setHeader('Cache-Control', CORPUS_CACHE);
  next();
};

/**
 * Security headers for the dev and preview servers, long caching of the
 * corpus, and the same policy as a meta tag in the built index.html for
 * static hosts that send no headers. A meta tag cannot carry frame-ancestors
 * (browsers ignore it there, with a console error), so only a server's
 * header can forbid framing; the meta policy leaves it out.
 */
function securityHeaders(): Plugin {
  return {
    name: 'notebook-security-headers',
    config: () => ({
      server: { headers: { ...HEADERS, 'Content-Security-Policy': DEV_CSP } },
      preview: { headers: { ...HEADERS, 'Content-Security-Policy': CSP } },
    }),
    configureServer: (server) => void server.middlewares.use(corpusCache),
    configurePreviewServer: (server) => void server.middlewares.use(corpusCache),
    transformIndexHtml: {
      order: 'pre',
      handler: (html, ctx) =>
        ctx.server
          ? html
          : [
              {
                tag: 'meta',
                attrs: { 'http-equiv': 'Content-Security-Policy', content: policy(POLICY) },
                injectTo: 'head-prepend',
              },
            ],
    },
  };
}

// Relative base so the built notebook works from any static host or sub-path;
// routes are hash routes, so no server rewrite is needed.
export default defineConfig({
  base: './',
  plugins: [react(), securityHeaders(), serviceWorker()],
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 2000,
  },
  test: {
    // MEASURE=1 adds the measurement runs (npm run measure), which are not tests.
    include: [
      'src/**/*.test.ts',
      'scripts/**/*.test.ts',
      ...(process.env.MEASURE ? ['scripts/measure/*.measure.ts'] : []),
    ],
    environment: 'node',
    testTimeout: 60_000,
  },
});
