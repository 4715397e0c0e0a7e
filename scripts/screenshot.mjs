#!/usr/bin/env node
// Regenerates the README's screenshot (public/screenshot.png): the decoder-only
// page after training the default model on wasm with seed 7.
//
//   node scripts/screenshot.mjs [--steps 300] [--no-build]
import { chromium } from '@playwright/test';
import { chromiumLaunchOptions } from './chromium.mjs';
import { buildUnlessSkipped, withPreview } from './preview.mjs';

const args = process.argv.slice(2);
const at = args.indexOf('--steps');
const STEPS = at === -1 ? 300 : Number(args[at + 1]);
const OUT = new URL('../public/screenshot.png', import.meta.url).pathname;

buildUnlessSkipped(args);
await withPreview(4198, async (base) => {
  const browser = await chromium.launch(chromiumLaunchOptions());
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1480 } });
    await page.goto(`${base}#/objectives/decoder-only?seed=7&backend=wasm`);
    const trainer = page.getByTestId('trainer');
    await trainer.getByRole('button', { name: 'Train' }).click();
    const step = async () => Number(await trainer.getByTestId('trainer-step').textContent());
    while ((await step()) < STEPS) await page.waitForTimeout(250);
    await trainer.getByRole('button', { name: 'Pause' }).click();
    // Let the sample, the scored sentence and the chart catch up with the last step.
    await page.waitForTimeout(3000);
    await page.getByRole('heading', { name: 'Train a tiny GPT' }).evaluate((h) => h.scrollIntoView());
    await page.screenshot({ path: OUT });
    console.log(`wrote ${OUT} at step ${await step()}`);
  } finally {
    await browser.close();
  }
});
