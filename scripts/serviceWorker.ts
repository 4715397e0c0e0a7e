// The build step behind the offline notebook (src/sw.js): after `vite build`
// has written dist/, list its files with their content hashes and write
// dist/sw.js, the service worker template with that list (its precache
// manifest) and a version filled in. The pure part, which files are cached
// and the version, is precacheManifest (tested in serviceWorker.test.ts).
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import type { Plugin } from 'vite';

export interface BuiltFile {
  /** Path relative to the build folder, with forward slashes. */
  path: string;
  bytes: Uint8Array;
}

/** The service worker itself, and what the notebook never needs offline. */
const SKIP: RegExp[] = [
  /^sw\.js$/,
  /\.map$/,
  // The README's screenshot, not part of the app.
  /^screenshot\.png$/,
  // KaTeX's CSS lists woff2 first, and every browser that runs the notebook reads woff2.
  /\.(woff|ttf)$/,
];

export const shouldPrecache = (path: string): boolean => !SKIP.some((re) => re.test(path));

const hash = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex').slice(0, 16);

/** The precache manifest: [path, content hash] pairs sorted by path, and a version that changes with any of them. */
export function precacheManifest(files: BuiltFile[]): { entries: [string, string][]; version: string } {
  const entries = files
    .filter((f) => shouldPrecache(f.path))
    .map((f): [string, string] => [f.path, hash(f.bytes)])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return { entries, version: hash(JSON.stringify(entries)) };
}

/** The service worker's source: the template with the manifest in place of its two placeholders. */
export function serviceWorkerSource(template: string, manifest: ReturnType<typeof precacheManifest>): string {
  if (!template.includes('__PRECACHE__') || !template.includes('__VERSION__'))
    throw new Error('the service worker template lacks __PRECACHE__ or __VERSION__');
  return template
    .replace('= __PRECACHE__;', `= ${JSON.stringify(manifest.entries)};`)
    .replace('= __VERSION__;', `= ${JSON.stringify(manifest.version)};`);
}

function listFiles(dir: string, root = dir): BuiltFile[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) return listFiles(full, root);
    return entry.isFile() ? [{ path: relative(root, full).split(sep).join('/'), bytes: readFileSync(full) }] : [];
  });
}

/** The Vite plugin: on a build (never in dev), writes <outDir>/sw.js from src/sw.js. */
export function serviceWorker(template = 'src/sw.js'): Plugin {
  let outDir = 'dist';
  let root = '.';
  return {
    name: 'notebook-service-worker',
    apply: 'build',
    configResolved: (config) => {
      root = config.root;
      outDir = resolve(config.root, config.build.outDir); // an absolute --outDir stays as it is
    },
    closeBundle: {
      order: 'post',
      sequential: true,
      handler: () => {
        const manifest = precacheManifest(listFiles(outDir));
        const source = serviceWorkerSource(readFileSync(join(root, template), 'utf8'), manifest);
        writeFileSync(join(outDir, 'sw.js'), source);
      },
    },
  };
}
