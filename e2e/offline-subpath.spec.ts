// The README's GitHub Pages deploy builds with the repository's name as the
// base (`vite build --base=/<repo>/`): the service worker's scope, its
// precache list, the workers, the wasm files and the corpus must all resolve
// under that sub-path. This spec builds such a build itself (into
// <E2E_DIST>-sub), serves it at /notebook/ and runs the same offline flow as
// offline.spec.ts against it.
import { spawnSync } from 'node:child_process';
import { withPreview } from '../scripts/preview.mjs';
import { test } from './fixtures';
import { trainsOfflineAfterOneVisit } from './offlineFlow';

const ROOT = new URL('..', import.meta.url).pathname;
const PORT = Number(process.env.E2E_PORT ?? 4173) + 7;
const BASE_PATH = '/notebook/';
const OUT = `${process.env.E2E_DIST ?? 'dist'}-sub`;

test.use({ baseURL: `http://127.0.0.1:${PORT}${BASE_PATH}` });

test('a sub-path build (GitHub Pages) reloads offline after one visit and trains', async ({ page, context }) => {
  test.setTimeout(420_000);
  const build = spawnSync('npx', ['vite', 'build', '--logLevel', 'error', `--base=${BASE_PATH}`, '--outDir', OUT], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 240_000,
  });
  if (build.status !== 0) throw new Error(`the sub-path build failed:\n${build.stdout}\n${build.stderr}`);
  await withPreview(PORT, () => trainsOfflineAfterOneVisit(page, context), OUT, BASE_PATH);
});
