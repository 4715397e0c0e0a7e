// Serves the production build (dist/) with `vite preview` for a script that
// drives Chromium against it (bench.mjs, screenshot.mjs), and stops it after.
import { spawn, spawnSync } from 'node:child_process';

const ROOT = new URL('..', import.meta.url).pathname;

/** Runs `vite build` unless the command line says --no-build. */
export function buildUnlessSkipped(args) {
  if (args.includes('--no-build')) return;
  const build = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

async function waitForServer(url, ms = 30_000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`server at ${url} did not start`);
}

/** Calls fn with the server's base URL while `vite preview` serves dist/ on port. */
export async function withPreview(port, fn) {
  const server = spawn('npx', ['vite', 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort'], {
    cwd: ROOT,
    stdio: 'ignore',
    detached: true,
  });
  const base = `http://127.0.0.1:${port}/`;
  try {
    await waitForServer(base);
    return await fn(base);
  } finally {
    process.kill(-server.pid);
  }
}
