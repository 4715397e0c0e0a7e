// Serves the production build (dist/, or another folder) with `vite preview` for a script that
// drives Chromium against it (bench.mjs, screenshot.mjs), and stops it after.
import { spawn, spawnSync } from 'node:child_process';

const ROOT = new URL('..', import.meta.url).pathname;

/** Runs `vite build` (into outDir, relative to the repository) unless the command line says --no-build. */
export function buildUnlessSkipped(args, outDir = 'dist') {
  if (args.includes('--no-build')) return;
  const build = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn', '--outDir', outDir], {
    cwd: ROOT,
    stdio: 'inherit',
  });
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

/**
 * Calls fn with the server's base URL while `vite preview` serves outDir (default dist/) on port,
 * under the path `basePath` (a sub-path build is served where it was built for: `--base=/notebook/`).
 */
export async function withPreview(port, fn, outDir = 'dist', basePath = '/') {
  const server = spawn(
    'npx',
    [
      ...['vite', 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort'],
      ...['--outDir', outDir, '--base', basePath],
    ],
    { cwd: ROOT, stdio: 'ignore', detached: true },
  );
  const base = `http://127.0.0.1:${port}${basePath}`;
  try {
    await waitForServer(base);
    return await fn(base);
  } finally {
    process.kill(-server.pid);
  }
}
