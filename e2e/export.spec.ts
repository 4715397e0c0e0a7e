// "Export to PyTorch" on every trainer page: the downloaded script carries
// exactly the run the page trains (its embedded spec equals the config
// download's), compiles with python3, and on the decoder-only page, run on
// the CPU, reproduces the page's first training losses.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Download, Locator, Page } from '@playwright/test';
import { ALL_SECTIONS } from '../src/pages/sections';
import { expect, test } from './fixtures';

const PYTHON = '/usr/bin/python3';

async function download(page: Page, button: Locator): Promise<{ name: string; text: string }> {
  const [file]: [Download, void] = await Promise.all([page.waitForEvent('download'), button.click()]);
  return { name: file.suggestedFilename(), text: readFileSync((await file.path())!, 'utf8') };
}

/** The run spec the script embeds (generate.ts writes it as `RUN_SPEC = json.loads(r"""<json>""")`). */
function embeddedSpec(script: string): unknown {
  const m = /RUN_SPEC = json\.loads\(r"""\n([\s\S]*?)\n"""\)/.exec(script);
  expect(m, 'the script embeds its run spec').not.toBeNull();
  return JSON.parse(m![1]);
}

async function stepTo(trainer: Locator, n: number) {
  const step = trainer.getByRole('button', { name: 'Step', exact: true });
  for (let i = 1; i <= n; i++) {
    await expect(step).toBeEnabled({ timeout: 90_000 });
    await step.click();
    await expect(trainer.getByTestId('trainer-step')).toHaveText(String(i), { timeout: 60_000 });
  }
}

const TRAINER_PAGES = ALL_SECTIONS.map((s) => s.path).filter((p) => p !== '/');

for (const path of TRAINER_PAGES) {
  test(`${path}: Export to PyTorch downloads a script of the page's run that compiles`, async ({ page }) => {
    test.setTimeout(180_000);
    await page.goto(`./#${path}?backend=wasm`);
    const trainer = page.getByTestId('trainer').first();
    await stepTo(trainer, 1);
    const config = JSON.parse((await download(page, trainer.getByRole('button', { name: 'Download config' }))).text);
    const exportButton = trainer.getByRole('button', { name: 'Export to PyTorch' });
    await expect(exportButton).toBeEnabled();
    const script = await download(page, exportButton);
    expect(script.name).toMatch(/\.py$/);
    expect(embeddedSpec(script.text)).toEqual(config.run);
    const dir = mkdtempSync(join(tmpdir(), 'export-'));
    const file = join(dir, script.name);
    writeFileSync(file, script.text);
    const compiled = spawnSync(PYTHON, ['-m', 'py_compile', file], { encoding: 'utf8' });
    expect(compiled.status, compiled.stderr).toBe(0);
  });
}

test('the exported decoder-only script, run on the CPU with the trainer’s config, gives the page’s first training losses', async ({
  page,
}) => {
  test.setTimeout(240_000);
  const hasTorch = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' }).status === 0;
  test.skip(!hasTorch && !process.env.CI, 'python3-torch is not installed (CI installs it)');
  await page.goto('./#/objectives/decoder-only?backend=wasm&layers=1&width=32&ctx=32&batch=8&seed=3');
  const trainer = page.getByTestId('trainer').first();
  await stepTo(trainer, 3);
  const csv = (await download(page, trainer.getByRole('button', { name: 'Download CSV' }))).text;
  const pageLosses = csv
    .split('\r\n')
    .map((l) => l.split(','))
    .filter((f) => f[1] === 'current' && f[3] === 'train.loss')
    .map((f) => Number(f[4]));
  expect(pageLosses).toHaveLength(3);
  const script = await download(page, trainer.getByRole('button', { name: 'Export to PyTorch' }));
  const config = await download(page, trainer.getByRole('button', { name: 'Download config' }));
  const dir = mkdtempSync(join(tmpdir(), 'export-'));
  const file = join(dir, script.name);
  writeFileSync(file, script.text);
  writeFileSync(join(dir, 'config.json'), config.text);
  // The run comes from the trainer's config download (--config); the corpus is not beside the
  // script, so it fetches it once from this server (the run's URL).
  const run = spawnSync(PYTHON, [file, '--config', join(dir, 'config.json'), '--steps', '3', '--device', 'cpu'], {
    encoding: 'utf8',
    timeout: 180_000,
  });
  expect(run.status, run.stderr).toBe(0);
  const steps = run.stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l))
    .filter((p) => p.kind === 'step');
  expect(steps.map((p) => p.step)).toEqual([1, 2, 3]);
  steps.forEach((p, i) => expect(Math.abs(p.loss - pageLosses[i]), `step ${i + 1}`).toBeLessThan(1e-3));
});
