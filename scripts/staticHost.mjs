// A static file server that sends a content type and nothing else: no
// Content-Security-Policy, no cross-origin isolation headers. It stands in
// for a host such as GitHub Pages, where the notebook relies on its service
// worker for isolation (e2e/isolation.spec.ts).
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.webmanifest': 'application/manifest+json',
};

/**
 * Calls fn with the base URL while `dir` (relative to the repository or absolute) is served on port.
 * @template T
 * @param {number} port
 * @param {(base: string) => Promise<T>} fn
 * @param {string} [dir]
 * @returns {Promise<T>}
 */
export async function withStaticHost(port, fn, dir = 'dist') {
  const root = resolve(new URL('..', import.meta.url).pathname, dir);
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://host').pathname);
    const file = normalize(join(root, path.endsWith('/') ? `${path}index.html` : path));
    if (!file.startsWith(root)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((done) => server.listen(port, '127.0.0.1', done));
  try {
    return await fn(`http://127.0.0.1:${port}/`);
  } finally {
    server.closeAllConnections();
    await new Promise((done) => server.close(done));
  }
}
