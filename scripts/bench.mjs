#!/usr/bin/env node
// npm run bench: builds and serves the notebook, opens the decoder-only page in
// headless Chromium, trains the default model a fixed number of steps on each
// backend that starts, and prints one JSON line per backend. Compare with
// scripts/bench_torch.py, which prints the same shape for PyTorch on the CPU.
//
//   node scripts/bench.mjs [--steps 60] [--warmup 10] [--backends wasm,webgl,cpu,webgpu] [--no-build]
//                          [--out-dir dist] [--port 4199]   build into / serve from that folder, on that port
//                          [--route objectives/decoder-only]   the page whose first trainer is timed
//                          [--params k=v&k2=v2]   that page's own settings (as in its link)
//                          [--workers N]   the page's ?workers=N: a multi-arm run spread over N workers
//                                          (default: one per arm, at most the cores minus one)
//                          [--threads 1]   the page's ?threads=1: kernels on one thread (default: two
//                                          where the page is cross-origin isolated, as vite preview makes it)
//                                          (e.g. optimization/mixed-precision: its five-arm race)
//                          [--soak 2000]   also train that many steps on wasm and report worker memory
//                          [--start 5]     open the page that many times in a fresh browser profile (cold)
//                                          and again in the same profile (warm): trainReadyMs, firstStepMs
//                                          (alone it runs only this; with --backends or --torch, those too)
//                          [--torch [--pairs 3] [--torch-threads 1,2] [--allow-slow-blas]]
//
// --torch runs the browser bench (wasm unless --backends says otherwise) and
// scripts/bench_torch.py in adjacent pairs: each pair is one browser run, then
// PyTorch at each --torch-threads count with OPENBLAS_CORETYPE and
// OPENBLAS_L2_SIZE removed from its environment, the best of those kept. The
// last line is the ratio: browser tokens/s over PyTorch tokens/s, the median
// of the pairs.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join, resolve } from 'node:path';
import { chromium } from '@playwright/test';
import { chromiumLaunchOptions } from './chromium.mjs';
import { buildUnlessSkipped, withPreview } from './preview.mjs';
import { benchQuery, lastJsonLine, wallMsPerStep, median, pairRatios, parseBenchArgs, torchEnv } from './benchArgs.mjs';

const args = process.argv.slice(2);
const opts = parseBenchArgs(args);
const { steps: STEPS, warmup: WARMUP, backends: BACKENDS, port: PORT, soak: SOAK, route: ROUTE } = opts;
/** Before the hash: `?threads=1` when --threads 1, `?workers=N` with --workers N. */
const QUERY = benchQuery(opts);
const ROOT = new URL('..', import.meta.url).pathname;

/** Gzipped bytes of the JavaScript the landing page loads before anything trains. */
function landingJsGzip() {
  const dist = resolve(ROOT, opts.outDir);
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const files = [...html.matchAll(/(?:src|href)="\.?\/?(assets\/[^"]+\.js)"/g)].map((m) => m[1]);
  const bytes = files.reduce((n, f) => n + gzipSync(readFileSync(join(dist, f)), { level: 9 }).length, 0);
  return { files, gzipBytes: bytes };
}

/**
 * Records, in the page, when the trainer's Train button is first enabled
 * (performance.now(): ms since navigation began), and training's long tasks and
 * progress points once Train has been clicked.
 */
function instrument() {
  const w = window;
  w.__bench = { steps: [], longTasks: [], trainingSince: null, clickAt: null, firstAt: null, readyAt: null };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      if (w.__bench.trainingSince !== null && e.startTime >= w.__bench.trainingSince)
        w.__bench.longTasks.push({ at: Math.round(e.startTime - w.__bench.clickAt), ms: Math.round(e.duration) });
    }
  }).observe({ type: 'longtask', buffered: false });
  window.addEventListener('trainer-progress', (e) => {
    if (w.__bench.firstAt === null) w.__bench.firstAt = performance.now();
    const at = performance.now();
    for (const p of e.detail) w.__bench.steps.push({ ...p, at });
  });
  const check = () => {
    const b = document.querySelector('[data-testid="trainer"] button.primary');
    if (w.__bench.readyAt === null && b && !b.disabled && b.textContent === 'Train') {
      w.__bench.readyAt = performance.now();
      observer.disconnect();
    }
  };
  const observer = new MutationObserver(check);
  const watch = () => observer.observe(document.documentElement, { subtree: true, childList: true, attributes: true });
  if (document.documentElement) watch();
  else document.addEventListener('readystatechange', watch, { once: true });
}

const trainEnabled = () => {
  const b = document.querySelector('[data-testid="trainer"] button.primary');
  return !!b && !b.disabled;
};

/** Trains on `backend` in a new page of `host` (the browser, or one fresh context of it). */
async function benchBackend(host, base, backend) {
  const page = await host.newPage();
  await page.addInitScript(instrument);
  await page.goto(`${base}${QUERY}#/${ROUTE}?${opts.params ? `${opts.params}&` : ''}backend=${backend}`);
  const trainer = page.getByTestId('trainer');
  const active = (await trainer.getByTestId('trainer-backend').textContent({ timeout: 120_000 })) ?? '';
  await trainer.getByRole('button', { name: 'Train', exact: true }).waitFor({ state: 'visible' });
  await page.waitForFunction(trainEnabled, null, { timeout: 180_000 });
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
  const isolated = await page.evaluate(() => crossOriginIsolated);
  await page.close();
  const timed = b.steps.slice(WARMUP, total);
  const msPerStep = median(timed.map((p) => p.stepMs));
  const batchTokens = timed[0].tokensSeen / timed[0].step;
  return {
    backend,
    params,
    batchTokens,
    // Two kernel threads need a cross-origin isolated page and no --threads 1.
    isolated,
    threadsCap: opts.threads,
    msPerStep: Number(msPerStep.toFixed(2)),
    // The page's pace: wall-clock between the timed steps' arrival. A run spread
    // over workers moves at its slowest worker's pace plus their merging, which
    // msPerStep (each worker's own step time, the slowest taken) does not show.
    wallMsPerStep: Number(
      wallMsPerStep(
        b.steps.map((p) => p.at),
        WARMUP,
        STEPS,
      ).toFixed(2),
    ),
    workersCap: opts.workers,
    tokensPerSecond: Math.round((batchTokens * 1000) / msPerStep),
    firstStepMs: Math.round(b.firstAt - b.clickAt),
    // From navigation to the Train button first enabled (the first page of the run: a cold HTTP cache).
    trainReadyMs: Math.round(b.readyAt),
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
  await page.waitForFunction(trainEnabled, null, { timeout: 180_000 });
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

/** Opens the decoder-only page, waits for Train, trains until the first loss point; the page's timings. */
async function openAndTrain(context, base) {
  const page = await context.newPage();
  await page.addInitScript(instrument);
  await page.goto(`${base}#/objectives/decoder-only?backend=wasm`);
  await page.waitForFunction(trainEnabled, null, { timeout: 180_000 });
  await page.evaluate(() => {
    window.__bench.clickAt = performance.now();
    window.__bench.trainingSince = performance.now();
    document.querySelector('[data-testid="trainer"] button.primary').click();
  });
  await page.waitForFunction(() => window.__bench.steps.length >= 20, null, { timeout: 120_000, polling: 50 });
  const b = await page.evaluate(() => window.__bench);
  await page.close();
  return {
    trainReadyMs: Math.round(b.readyAt),
    firstStepMs: Math.round(b.firstAt - b.clickAt),
    longTasks: b.longTasks.length,
    longTaskDetail: b.longTasks,
  };
}

/** --start N: N fresh profiles, each opened twice (cold, then warm: the HTTP cache and the service worker's). */
async function startTimes(browser, base, n) {
  const runs = { cold: [], warm: [] };
  for (let i = 0; i < n; i++) {
    const context = await browser.newContext();
    try {
      runs.cold.push(await openAndTrain(context, base));
      runs.warm.push(await openAndTrain(context, base));
    } finally {
      await context.close();
    }
  }
  const summary = (rs) => ({
    trainReadyMs: rs.map((r) => r.trainReadyMs),
    firstStepMs: rs.map((r) => r.firstStepMs),
    longTasks: rs.map((r) => r.longTasks),
    // When each long task began (ms after the Train click) and how long it took.
    longTaskDetail: rs.map((r) => r.longTaskDetail),
    medianTrainReadyMs: median(rs.map((r) => r.trainReadyMs)),
    medianFirstStepMs: median(rs.map((r) => r.firstStepMs)),
  });
  return { start: n, cold: summary(runs.cold), warm: summary(runs.warm) };
}

const PYTHON = process.env.PYTHON || '/usr/bin/python3';

/** One bench_torch.py run at `threads`, without the OpenBLAS pinning variables; throws if it refuses or fails. */
function torchRun(threads) {
  const argv = [join(ROOT, 'scripts/bench_torch.py'), '--threads', String(threads)];
  if (opts.allowSlowBlas) argv.push('--allow-slow-blas');
  const r = spawnSync(PYTHON, argv, { cwd: ROOT, env: torchEnv(process.env), encoding: 'utf8' });
  if (r.stderr) process.stderr.write(r.stderr);
  // Thrown, not exited: the preview server is stopped on the way out.
  if (r.status !== 0)
    throw new Error(`bench_torch.py --threads ${threads} failed (exit ${r.status ?? r.signal}); see above`);
  return lastJsonLine(r.stdout);
}

/** --torch: adjacent pairs of one browser run and PyTorch at each thread count; the ratio line last. */
async function torchPairs(browser, base) {
  const pairs = [];
  for (let i = 0; i < opts.pairs; i++) {
    const context = await browser.newContext();
    let browserRun;
    try {
      browserRun = await benchBackend(context, base, BACKENDS[0]);
    } finally {
      await context.close();
    }
    console.log(JSON.stringify({ pair: i + 1, ...browserRun }));
    if (browserRun.skipped) throw new Error(`${BACKENDS[0]} did not run: ${browserRun.skipped}`);
    const torch = opts.torchThreads.map((threads) => torchRun(threads));
    for (const t of torch) console.log(JSON.stringify({ pair: i + 1, ...t }));
    pairs.push({ browser: browserRun, torch });
  }
  console.log(JSON.stringify({ backend: BACKENDS[0], pairs: opts.pairs, ...pairRatios(pairs) }));
}

async function main() {
  buildUnlessSkipped(args, opts.outDir);
  await withPreview(
    PORT,
    async (base) => {
      console.log(JSON.stringify({ landingJs: landingJsGzip() }));
      const browser = await chromium.launch(chromiumLaunchOptions());
      try {
        if (opts.start > 0) console.log(JSON.stringify(await startTimes(browser, base, opts.start)));
        if (opts.torch) return await torchPairs(browser, base);
        if (opts.start > 0 && !args.includes('--backends')) return;
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
    },
    opts.outDir,
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
