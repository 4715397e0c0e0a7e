// `npm run export -- '<page URL hash>' [--out DIR]`: the exported PyTorch files
// for the run a page's link describes, through the same generator as the
// page's Export to PyTorch button. Loaded by scripts/export.mjs through Vite,
// which inlines the Python fragments (?raw) as it does for the app.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateScript } from '../../src/train/export/generate';
import { pageOfHash } from './pages';

export function exportFromHash(hash: string, outDir: string): string[] {
  const { page, query } = pageOfHash(hash);
  const { run, notices } = page.build(query);
  for (const n of notices) console.warn(`notice: ${n}`);
  const corpusJson =
    run.data.kind === 'corpus'
      ? readFileSync(new URL(`../../public/corpus/${run.data.name}.json`, import.meta.url), 'utf8')
      : undefined;
  mkdirSync(outDir, { recursive: true });
  return generateScript(run, { stem: page.stem, corpusJson }).files.map((f) => {
    const path = join(outDir, f.name);
    writeFileSync(path, f.text);
    return path;
  });
}

/** argv: the hash, then optionally --out DIR (default: the current directory). */
export function main(argv: string[]): number {
  const hash = argv.find((a, i) => !a.startsWith('--') && argv[i - 1] !== '--out');
  const at = argv.indexOf('--out');
  const outDir = at >= 0 ? argv[at + 1] : '.';
  if (!hash || (at >= 0 && !outDir)) {
    console.error("usage: npm run export -- '#/objectives/decoder-only?lr=0.003&seed=7' [--out DIR]");
    return 2;
  }
  try {
    for (const path of exportFromHash(hash, outDir)) console.log(path);
    return 0;
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    return 1;
  }
}
