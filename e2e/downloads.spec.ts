// Downloads and sharing on a trainer card: each file's content is checked
// against what the page shows (the chart's drawn points, the readouts), and
// the config's link is replayed in a second page.
import { readFile } from 'node:fs/promises';
import type { Download, Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures';

const PAGE = './#/objectives/decoder-only';
const SMALL = 'layers=1&width=32&heads=2&ctx=32&batch=8&lr=0.01&backend=wasm';
const STEPS = 10;

// A screen of two device pixels per CSS pixel: the PNG is drawn at that density.
test.use({ deviceScaleFactor: 2 });

interface CsvRow {
  step: number;
  run: string;
  arm: string;
  metric: string;
  value: number;
}

/** The CSV as rows; every field here is plain (no quotes), which the test checks rather than assumes. */
function parseCsv(text: string): CsvRow[] {
  const lines = text.split('\r\n');
  expect(lines.at(-1)).toBe('');
  expect(lines[0]).toBe('step,run,arm,metric,value');
  return lines.slice(1, -1).map((line) => {
    const f = line.split(',');
    expect(f, line).toHaveLength(5);
    return { step: Number(f[0]), run: f[1], arm: f[2], metric: f[3], value: Number(f[4]) };
  });
}

async function download(page: Page, button: Locator): Promise<{ name: string; body: Buffer }> {
  const [file]: [Download, void] = await Promise.all([page.waitForEvent('download'), button.click()]);
  return { name: file.suggestedFilename(), body: await readFile((await file.path())!) };
}

async function stepTimes(trainer: Locator, n: number) {
  const step = trainer.getByRole('button', { name: 'Step', exact: true });
  for (let i = 1; i <= n; i++) {
    await expect(step).toBeEnabled({ timeout: 60_000 });
    await step.click();
    await expect(trainer.getByTestId('trainer-step')).toHaveText(String(i));
  }
}

/** The current run's training losses in a CSV, by step. */
const trainLosses = (rows: CsvRow[]) =>
  rows.filter((r) => r.run === 'current' && r.metric === 'train.loss').map((r) => [r.step, r.value] as const);

test('a trained run downloads as CSV, PNG, SVG and config, and its link replays it', async ({ page, context }) => {
  test.setTimeout(180_000);
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto(`${PAGE}?${SMALL}&seed=7`);
  const trainer = page.getByTestId('trainer');
  const csvButton = trainer.getByRole('button', { name: 'Download CSV' });
  await stepTimes(trainer, STEPS);
  await expect(csvButton).toBeEnabled();

  // What the chart draws: the training line's vertices and the held-out dots.
  const figure = trainer.locator('figure.loss-chart').first();
  // The training line comes first; the held-out line, one point so far (step 0), is drawn as its dots alone.
  const line = figure.locator('path.recharts-line-curve').first();
  const drawnSteps = ((await line.getAttribute('d')) ?? '').match(/[ML]/g)?.length ?? 0;
  const drawnEvals = await figure.locator('.recharts-line-dots circle').count();
  expect(drawnEvals).toBeGreaterThan(0);
  expect(drawnSteps).toBe(STEPS);

  const csv = await download(page, csvButton);
  expect(csv.name).toBe(`decoder-only-tiny-gpt-seed7-step${STEPS}.csv`);
  const rows = parseCsv(csv.body.toString('utf8'));
  expect(new Set(rows.map((r) => r.run))).toEqual(new Set(['current']));
  const losses = trainLosses(rows);
  expect(losses).toHaveLength(drawnSteps);
  expect(losses.map(([s]) => s)).toEqual(Array.from({ length: STEPS }, (_, i) => i + 1));
  expect(losses.at(-1)![1].toFixed(4)).toBe(await trainer.getByTestId('trainer-loss').textContent());
  const held = rows.filter((r) => r.metric === 'heldout.loss');
  expect(held).toHaveLength(drawnEvals);
  expect(held.at(-1)!.value.toFixed(4)).toBe(await trainer.getByTestId('trainer-heldout').textContent());
  // Each arm's own numbers are there too, under the arm's name.
  expect(rows.filter((r) => r.metric === 'train.total' && r.arm === 'GPT')).toHaveLength(STEPS);

  // The PNG: decodable, of the chart's on-screen size at the screen's density, and not blank.
  const box = (await figure.boundingBox())!;
  const dpr = await page.evaluate(() => window.devicePixelRatio);
  expect(dpr).toBe(2);
  const png = await download(page, trainer.getByRole('button', { name: 'Download PNG' }));
  expect(png.name).toBe(`decoder-only-tiny-gpt-seed7-step${STEPS}.png`);
  expect(png.body.subarray(1, 4).toString('latin1')).toBe('PNG');
  const ihdr = { width: png.body.readUInt32BE(16), height: png.body.readUInt32BE(20) };
  expect(ihdr.width).toBe(Math.round(box.width) * dpr);
  expect(ihdr.height).toBe(Math.round(box.height) * dpr);
  const look = await page.evaluate(async (b64) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const ctx = canvas.getContext('2d')!;
    ctx.drawImage(bitmap, 0, 0);
    const data = ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
    // The training line's colour as the page resolves it (a CSS variable).
    const probe = document.createElement('span');
    probe.style.color = 'var(--series-1)';
    document.body.append(probe);
    const [r, g, b] = getComputedStyle(probe).color.match(/\d+/g)!.map(Number);
    probe.remove();
    let line = 0;
    let other = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (Math.abs(data[i] - r) + Math.abs(data[i + 1] - g) + Math.abs(data[i + 2] - b) < 40) line++;
      if (data[i] !== data[0] || data[i + 1] !== data[1] || data[i + 2] !== data[2]) other++;
    }
    return { width: bitmap.width, height: bitmap.height, line, other, pixels: data.length / 4 };
  }, png.body.toString('base64'));
  expect([look.width, look.height]).toEqual([ihdr.width, ihdr.height]);
  expect(look.line).toBeGreaterThan(100);
  expect(look.other / look.pixels).toBeGreaterThan(0.02);

  // The SVG parses, has the chart's size and draws the same line, with the legend as text.
  const svg = await download(page, trainer.getByRole('button', { name: 'Download SVG' }));
  expect(svg.name).toBe(`decoder-only-tiny-gpt-seed7-step${STEPS}.svg`);
  const parsed = await page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
    const root = doc.documentElement;
    const curve = doc.querySelector('path.recharts-line-curve, .recharts-line path');
    return {
      error: doc.querySelector('parsererror')?.textContent ?? null,
      root: root.localName,
      width: Number(root.getAttribute('width')),
      height: Number(root.getAttribute('height')),
      vertices: (curve?.getAttribute('d') ?? '').match(/[ML]/g)?.length ?? 0,
      text: [...doc.querySelectorAll('text')].map((t) => t.textContent).join(' '),
      html: doc.getElementsByTagNameNS('http://www.w3.org/1999/xhtml', '*').length,
    };
  }, svg.body.toString('utf8'));
  expect(parsed.error).toBeNull();
  expect(parsed).toMatchObject({ root: 'svg', width: Math.round(box.width), height: Math.round(box.height), html: 0 });
  expect(parsed.vertices).toBe(STEPS);
  expect(parsed.text).toContain('training loss');
  expect(parsed.text).toContain('held-out loss');

  // The config: the run spec the worker trains, with the link that replays it.
  const config = await download(page, trainer.getByRole('button', { name: 'Download config' }));
  expect(config.name).toBe(`decoder-only-tiny-gpt-seed7-step${STEPS}.json`);
  const spec = JSON.parse(config.body.toString('utf8'));
  expect(spec).toMatchObject({ format: 'llm-notebook-run', version: 1, page: 'decoder-only', steps: STEPS });
  expect(spec.run).toMatchObject({ task: 'gpt', seed: 7, batchSize: 8 });
  const link = new URL(spec.link);
  expect(link.origin).toBe(new URL(page.url()).origin);
  expect(link.hash).toMatch(/^#\/objectives\/decoder-only\?/);
  expect(new URLSearchParams(link.hash.split('?')[1]).get('seed')).toBe('7');

  // Copy link puts the same address on the clipboard and says so.
  await trainer.getByRole('button', { name: 'Copy link' }).click();
  await expect(trainer.getByTestId('run-downloads').getByRole('status')).toHaveText('Copied');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(spec.link);

  // The link replays the run: a fresh page, the same steps, the same losses to the last digit.
  const replay = await context.newPage();
  await replay.goto(spec.link);
  const again = replay.getByTestId('trainer');
  await stepTimes(again, STEPS);
  const replayed = parseCsv(
    (await download(replay, again.getByRole('button', { name: 'Download CSV' }))).body.toString('utf8'),
  );
  expect(trainLosses(replayed)).toEqual(losses);
  await replay.close();
});

test('without a clipboard, Copy link shows the link in a field to copy by hand', async ({ page }) => {
  await page.addInitScript(() => Object.defineProperty(navigator, 'clipboard', { value: undefined }));
  await page.goto(`${PAGE}?${SMALL}&seed=4&present=1`);
  const trainer = page.getByTestId('trainer');
  const copy = trainer.getByRole('button', { name: 'Copy link' });
  await expect(copy).toBeEnabled({ timeout: 60_000 });
  await copy.click();
  const field = trainer.getByRole('textbox', { name: 'Link to this run' });
  await expect(field).toBeVisible();
  const value = new URL(await field.inputValue());
  const query = new URLSearchParams(value.hash.split('?')[1]);
  expect(query.get('seed')).toBe('4');
  expect(query.get('width')).toBe('32');
  // Presenter mode is how this screen shows the page, not part of the run.
  expect(query.has('present')).toBe(false);
});

test('with no run to train, the downloads are disabled and say why', async ({ page }) => {
  // A custom corpus with no text pasted yet: no run is built, so nothing is measured and nothing can be shared.
  await page.goto(`${PAGE}?${SMALL}&corpus=custom`);
  const trainer = page.getByTestId('trainer');
  await expect(trainer.getByTestId('trainer-backend')).toHaveText('wasm', { timeout: 60_000 });
  for (const name of ['Download PNG', 'Download SVG', 'Download CSV', 'Download config', 'Copy link'])
    await expect(trainer.getByRole('button', { name })).toBeDisabled();
  await expect(trainer.getByTestId('run-downloads')).toContainText('Nothing measured yet');
});

test('a race’s CSV has one arm per label on its chart', async ({ page }) => {
  await page.goto('./#/optimization/sgd-adam?layers=1&width=32&batch=4&backend=wasm&seed=2');
  const trainer = page.getByRole('region', { name: 'Optimiser race on a tiny GPT' });
  await stepTimes(trainer, 2);
  const labels = await trainer
    .locator('figure.loss-chart')
    .first()
    .locator('[data-series^="train"]')
    .evaluateAll((els) => els.map((e) => e.textContent ?? ''));
  expect(labels.length).toBeGreaterThan(1);
  const { name, body } = await download(page, trainer.getByRole('button', { name: 'Download CSV' }));
  expect(name).toMatch(/^sgd-adam-optimiser-race-on-a-tiny-gpt-seed2-step2\.csv$/);
  const rows = parseCsv(body.toString('utf8'));
  const arms = [...new Set(rows.map((r) => r.arm).filter(Boolean))];
  expect(arms).toEqual(labels);
  for (const arm of labels) {
    expect(rows.filter((r) => r.arm === arm && r.metric === 'train.total').map((r) => r.step)).toEqual([1, 2]);
    expect(rows.filter((r) => r.arm === arm && r.metric === 'heldout.total').map((r) => r.step)).toEqual([0]);
  }
});

test('the CSV and the config carry the pinned runs after the current one', async ({ page }) => {
  await page.goto(`${PAGE}?${SMALL}&seed=5`);
  const trainer = page.getByTestId('trainer');
  await stepTimes(trainer, 3);
  // A new learning rate replaces the run: the one trained so far is pinned beside the new one.
  await page.getByLabel('Learning rate').fill('0.02');
  await expect(trainer.getByTestId('trainer-step')).toHaveText('0');
  await stepTimes(trainer, 2);
  const rows = parseCsv((await download(page, trainer.getByRole('button', { name: 'Download CSV' }))).body.toString());
  const runs = [...new Set(rows.map((r) => r.run))];
  expect(runs).toHaveLength(2);
  expect(runs[0]).toBe('current');
  const losses = (run: string) => rows.filter((r) => r.run === run && r.metric === 'train.loss').map((r) => r.step);
  expect(losses('current')).toEqual([1, 2]);
  expect(losses(runs[1])).toEqual([1, 2, 3]);
  const config = JSON.parse(
    (await download(page, trainer.getByRole('button', { name: 'Download config' }))).body.toString(),
  );
  expect(config.run.arms[0].schedule.lr).toBe(0.02);
  expect(config.pinned).toHaveLength(1);
  expect(config.pinned[0].run.arms[0].schedule.lr).toBe(0.01);
  expect(new URL(config.pinned[0].link).hash).toContain('lr=0.01');
});
