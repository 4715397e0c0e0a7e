#!/usr/bin/env node
// npm run claims:browser: what a student sees. Builds and serves the notebook,
// opens each comparison demo at its page's default settings in headless
// Chromium on wasm, presses its Train button and watches its "what to look
// for" line for up to --seconds (default 60), then prints one JSON line per
// demo: the step reached, the line's state ('shown', 'not-shown', 'waiting'),
// and the step and seconds after the click at which the page marked it shown.
// The demos and their trainers are those `npm run claims` measures in Node.
//
//   node scripts/claims_browser.mjs [--seconds 60] [--only init,warmup] [--no-build] [--port 4198]
import { spawnSync } from 'node:child_process';
import { chromium } from '@playwright/test';
import { chromiumLaunchOptions } from './chromium.mjs';
import { buildUnlessSkipped, withPreview } from './preview.mjs';

const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? fallback : args[i + 1];
};
const SECONDS = Number(flag('seconds', 60));
const PORT = Number(flag('port', 4198));
const ONLY = flag('only', '').split(',').filter(Boolean);
const ROOT = new URL('..', import.meta.url).pathname;

/** The demo list, from the TypeScript registry (scripts/measure/claimedDemos.ts). */
function demos() {
  // The registry is TypeScript; vitest (already a dependency) runs a one-line printer of it.
  const out = spawnSync('npx', ['vitest', 'run', '--silent=false', 'scripts/measure/listDemos'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, MEASURE: '1' },
  });
  const line = out.stdout.split('\n').find((l) => l.includes('DEMOS ['));
  if (!line) throw new Error(`could not list the demos:\n${out.stdout}\n${out.stderr}`);
  return JSON.parse(line.slice(line.indexOf('DEMOS [') + 'DEMOS '.length));
}

async function watch(browser, base, demo) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(`${base}${demo.page}?backend=wasm`);
  const trainer = page.getByRole('region', { name: demo.trainer, exact: true });
  if (demo.lazyHeading) {
    // From the section's heading, scroll on until the trainer mounts (its placeholder comes after the prose).
    await page.getByRole('heading', { name: demo.lazyHeading }).scrollIntoViewIfNeeded();
    for (let i = 0; i < 12 && (await trainer.count()) === 0; i++) {
      await page.mouse.wheel(0, 300);
      await page.waitForTimeout(200);
    }
  }
  await trainer.scrollIntoViewIfNeeded();
  const train = trainer.getByRole('button', { name: 'Train', exact: true });
  await train.waitFor({ state: 'visible', timeout: 120_000 });
  await page.waitForFunction((el) => el && !el.disabled, await train.elementHandle(), { timeout: 180_000 });
  const line = trainer.getByTestId('claim-line');
  const clickAt = Date.now();
  await train.click();
  let shownAfter = null;
  while (Date.now() - clickAt < SECONDS * 1000) {
    if ((await line.getAttribute('data-state')) === 'shown') {
      shownAfter = (Date.now() - clickAt) / 1000;
      break;
    }
    await page.waitForTimeout(250);
  }
  const state = await line.getAttribute('data-state');
  const status = (await line.getByTestId('claim-status').textContent()) ?? '';
  const step = Number((await trainer.getByTestId('trainer-step').textContent()) ?? 0);
  await page.close();
  return {
    demo: demo.id,
    state,
    step,
    shownAfterSeconds: shownAfter === null ? null : Number(shownAfter.toFixed(1)),
    status,
  };
}

buildUnlessSkipped(args);
const list = demos().filter((d) => ONLY.length === 0 || ONLY.includes(d.id));
await withPreview(PORT, async (base) => {
  const browser = await chromium.launch(chromiumLaunchOptions());
  let shown = 0;
  try {
    for (const demo of list) {
      const r = await watch(browser, base, demo);
      if (r.state === 'shown') shown++;
      console.log(JSON.stringify(r));
    }
  } finally {
    await browser.close();
  }
  console.log(`${shown} of ${list.length} demos marked their claim shown within ${SECONDS} s of pressing Train`);
});
