// `npm run export`: a page's link in, the exported files out, through the
// page's own builder and the button's generator; every generated script
// must at least compile.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultValues } from '../../src/core/params';
import { DECODER_PARAMS, toRunSpec } from '../../src/pages/tinyGpt';
import { findPython, requireTool, runPython } from '../../src/train/export/python.testing';
import { exportFromHash } from './cli';
import { ALL_SECTIONS } from '../../src/pages/sections';
import { corpusData, PAGE_EXPORTS, pageOfHash } from './pages';

const python = findPython();
const fresh = () => mkdtempSync(join(tmpdir(), 'export-cli-'));

describe('npm run export', () => {
  it('writes the script, the run spec of the page’s builder and the corpus for a link', () => {
    const dir = fresh();
    const r = spawnSync(
      process.execPath,
      ['scripts/export.mjs', '#/objectives/decoder-only?lr=0.01&seed=7&tok=word', '--out', dir],
      { encoding: 'utf8', timeout: 120_000 },
    );
    expect(r.stderr).not.toMatch(/Error/);
    expect(r.status).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['brown.json', 'decoder-only.py', 'decoder-only.run.json']);
    const expected = toRunSpec(
      { ...defaultValues(DECODER_PARAMS), lr: 0.01, seed: 7, tok: 'word' },
      corpusData('brown'),
    );
    expect(JSON.parse(readFileSync(join(dir, 'decoder-only.run.json'), 'utf8'))).toEqual(expected);
    expect(readFileSync(join(dir, 'decoder-only.py'), 'utf8')).toContain('RUN_SPEC = json.loads(');
  });

  it('reads the short and the full route, and refuses a page without a trainer', () => {
    expect(pageOfHash('#/decoder-only?seed=3').page).toBe(PAGE_EXPORTS['decoder-only']);
    expect(pageOfHash('#/optimization/mixed-precision').page).toBe(PAGE_EXPORTS['mixed-precision']);
    expect(() => pageOfHash('#/objectives/nowhere')).toThrow(/No exportable trainer/);
  });

  it('covers every section of the notebook (each has a trainer)', () => {
    for (const s of ALL_SECTIONS) expect(pageOfHash(`#${s.path}`).page, s.path).toBeDefined();
  });

  it('says which link values it ignored', () => {
    const { notices } = pageOfHash('#/decoder-only?lr=banana').page.build(new URLSearchParams('lr=banana'));
    expect(notices.join(' ')).toMatch(/lr/);
  });
});

describe.runIf(requireTool(python, 'python3'))('every exported script', () => {
  it.each(Object.keys(PAGE_EXPORTS))('compiles for the %s page (python3 -m py_compile)', (key) => {
    const dir = fresh();
    const files = exportFromHash(`#/${key}`, dir).filter((f) => f.endsWith('.py'));
    expect(files.length).toBe(1);
    runPython(python!, ['-m', 'py_compile', ...files]);
    expect(existsSync(files[0])).toBe(true);
  });
});
