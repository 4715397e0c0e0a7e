#!/usr/bin/env node
// npm run bench: builds and serves the notebook, opens the decoder-only page in
// headless Chromium, trains the default model a fixed number of steps on each
// backend that starts, and prints one JSON line per backend. Compare with
// scripts/bench_torch.py, which prints the same shape for PyTorch on the CPU.
//
//   node scripts/bench.mjs [--steps 60] [--warmup 10] [--backends wasm,webgl,cpu,webgpu] [--no-build]
//                          [--soak 2000]   also train that many steps on wasm and report worker memory
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { chromiumLaunchOptions } from './chromium.mjs';
import { buildUnlessSkipped, withPreview } from './preview.mjs';

const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? fallback : args[i + 1];
};
const STEPS = Number(flag('steps', 60));
const WARMUP = Number(flag('warmup', 10));
const BACKENDS = flag('backends', 'wasm,webgl,cpu,webgpu').split(',');
const PORT = Number(flag('port', 4199));
const SOAK = Number(flag('soak', 0));
const ROOT = new URL('..', import.meta.url).pathname;

/** Gzipped bytes of the JavaScript the landing page loads before anything trains. */
function landingJsGzip() {
  const dist = join(ROOT, 'dist');
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const files = [...html.matchAll(/(?:src|href)="\.?\/?(assets\/[^"]+\.js)"/g)].map((m) => m[1]);
  const bytes = files.reduce((n, f) => n + gzipSync(readFileSync(join(dist, f)), { level: 9 }).length, 0);
  return { files, gzipBytes: bytes };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

async function benchBackend(browser, base, backend) {
  const page = await browser.newPage();
  await page.addInitScript(() => {
    const w = window;
    w.__bench = { steps: [], longTasks: [], trainingSince: null, clickAt: null, firstAt: null };
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        if (w.__bench.trainingSince !== null && e.startTime >= w.__bench.trainingSince)
          w.__bench.longTasks.push({ at: Math.round(e.startTime - w.__bench.clickAt), ms: Math.round(e.duration) });
      }
    }).observe({ type: 'longtask', buffered: false });
    window.addEventListener('trainer-progress', (e) => {
      if (w.__bench.firstAt === null) w.__bench.firstAt = performance.now();
      for (const p of e.detail) w.__bench.steps.push(p);
    });
  });
  await page.goto(`${base}#/objectives/decoder-only?backend=${backend}`);
  const trainer = page.getByTestId('trainer');
  const active = (await trainer.getByTestId('trainer-backend').textContent({ timeout: 120_000 })) ?? '';
  await trainer.getByRole('button', { name: 'Train', exact: true }).waitFor({ state: 'visible' });
  await page.waitForFunction(
    () => {
      const b = document.querySelector('[data-testid="trainer"] button.primary');
      return !!b && !b.disabled;
    },
    null,
    {
      timeout: 180_000,
    },
  );
  const name = await trainer.getByTestId('trainer-backend').textContent();
  if (name !== backend) {
    await page.close();
    return { backend, skipped: `did not start (running ${name || active})` };
  }
  await page.evaluate(() => {
    window.__bench.clickAt = performance.now();
    window.__bench.trainingSince = performance.now();
    document.querySelector('[data-testid="trainer"] button.primary').click();
  });
  const total = WARMUP + STEPS;
  await page.waitForFunction((n) => window.__bench.steps.length >= n, total, { timeout: 600_000, polling: 200 });
  await trainer.getByRole('button', { name: 'Pause' }).click();
  const b = await page.evaluate(() => window.__bench);
  const params = Number(await trainer.getByTestId('trainer-params').getAttribute('data-value'));
  await page.close();
  const timed = b.steps.slice(WARMUP, total);
  const msPerStep = median(timed.map((p) => p.stepMs));
  const batchTokens = timed[0].tokensSeen / timed[0].step;
  return {
    backend,
    params,
    batchTokens,
    msPerStep: Number(msPerStep.toFixed(2)),
    tokensPerSecond: Math.round((batchTokens * 1000) / msPerStep),
    firstStepMs: Math.round(b.firstAt - b.clickAt),
    longTasks: b.longTasks.length,
    // When each long task began (ms after the Train click) and how long it took.
    longTaskDetail: b.longTasks,
  };
}

/** Trains SOAK steps on wasm and reads the worker's tensor count and bytes along the way. */
async function soak(browser, base) {
  const page = await browser.newPage();
  await page.goto(`${base}#/objectives/decoder-only?backend=wasm`);
  const trainer = page.getByTestId('trainer');
  await page.waitForFunction(
    () => {
      const b = document.querySelector('[data-testid="trainer"] button.primary');
      return !!b && !b.disabled;
    },
    null,
    {
      timeout: 180_000,
    },
  );
  const readings = [];
  const readAt = async (step) => {
    await page.waitForFunction(
      (n) => Number(document.querySelector('[data-testid="trainer-step"]')?.textContent) >= n,
      step,
      {
        timeout: 1_800_000,
        polling: 500,
      },
    );
    await trainer.getByRole('button', { name: 'Pause' }).click();
    await trainer.getByRole('button', { name: 'Train', exact: true }).waitFor();
    await page.waitForTimeout(2300); // the readout polls every 2 s
    const text = (await page.locator('.memory-readout').textContent()) ?? '';
    const at = Number(await trainer.getByTestId('trainer-step').textContent());
    readings.push({
      step: at,
      tensors: Number(text.match(/(\d+) tensors/)?.[1]),
      megabytes: Number(text.match(/([\d.]+) MB/)?.[1]),
      wasmHeapMegabytes: Number(text.match(/wasm heap ([\d.]+) MB/)?.[1]),
    });
    await trainer.getByRole('button', { name: 'Train', exact: true }).click();
  };
  await trainer.getByRole('button', { name: 'Train', exact: true }).click();
  for (const step of [100, Math.round(SOAK / 2), SOAK]) await readAt(step);
  await trainer.getByRole('button', { name: 'Pause' }).click();
  await page.close();
  return { soak: SOAK, backend: 'wasm', readings };
}

async function main() {
  buildUnlessSkipped(args);
  await withPreview(PORT, async (base) => {
    console.log(JSON.stringify({ landingJs: landingJsGzip() }));
    const browser = await chromium.launch(chromiumLaunchOptions());
    try {
      for (const backend of BACKENDS) {
        try {
          console.log(JSON.stringify(await benchBackend(browser, base, backend)));
        } catch (err) {
          console.log(JSON.stringify({ backend, skipped: String(err).split('\n')[0] }));
        }
      }
      if (SOAK > 0) console.log(JSON.stringify(await soak(browser, base)));
    } finally {
      await browser.close();
    }
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
