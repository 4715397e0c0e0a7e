// A multi-arm run spread over workers (`?workers=N` forces it on this 2-core
// machine, where the core count allows one) trains every arm to the same
// numbers as one worker, pauses with every arm at the same step, and answers
// questions about an arm from the worker that trains it.
import type { Page } from '@playwright/test';
import { expect, readNumber, settledTensorCount, test, waitForStep } from './fixtures';

const MIXED = '#/optimization/mixed-precision?layers=1&width=32&batch=4&backend=wasm';
const TRAINER = 'FP32 against simulated FP16';

/** Every merged step the page got (the `trainer-progress` event), each arm's training loss. */
async function recordSteps(page: Page) {
  await page.addInitScript(() => {
    const w = window as unknown as { stepsSeen: { step: number; arms: number[] }[] };
    w.stepsSeen = [];
    window.addEventListener('trainer-progress', (e) => {
      for (const p of (e as CustomEvent<{ step: number; arms?: { total: number }[] }[]>).detail)
        w.stepsSeen.push({ step: p.step, arms: (p.arms ?? []).map((a) => a.total) });
    });
  });
}

const stepsSeen = (page: Page) =>
  page.evaluate(() => (window as unknown as { stepsSeen: { step: number; arms: number[] }[] }).stepsSeen);

test('five arms on 2 workers: the same numbers as one worker, paused at one step, the badge says so', async ({
  page,
}) => {
  test.setTimeout(240_000);
  await recordSteps(page);

  // One worker, four presses of Step: the reference.
  await page.goto(`./${MIXED}`);
  const trainer = page.getByRole('region', { name: TRAINER });
  const step = trainer.getByRole('button', { name: 'Step', exact: true });
  for (let i = 1; i <= 4; i++) {
    await expect(step).toBeEnabled({ timeout: 90_000 });
    await step.click();
    await waitForStep(page, i, 60_000, trainer);
  }
  const one = await stepsSeen(page);
  expect(one.map((p) => p.step)).toEqual([1, 2, 3, 4]);
  await expect(page.getByTestId('backend-spread')).toHaveCount(0);
  await expect(page.getByTestId('backend-kernels')).toHaveAttribute('data-threads', '2');

  // Two workers: Train, then Pause; the curve has every step once, all five arms in each.
  await page.goto(`./?workers=2${MIXED}`);
  await expect(trainer.getByRole('button', { name: 'Train', exact: true })).toBeEnabled({ timeout: 90_000 });
  await expect(page.getByTestId('backend-spread')).toHaveAttribute('data-workers', '2');
  await expect(page.getByTestId('backend-spread')).toHaveText(
    "This run's 5 models train at once on 2 workers, one thread each.",
  );
  // Each worker, the first too, runs its kernels on one thread while the run is spread.
  await expect(page.getByTestId('backend-kernels')).toHaveAttribute('data-threads', '1');
  await expect(page.getByTestId('backend-kernels')).toContainText("1 thread (the run's arms are spread over workers)");
  const tensorsBefore = await settledTensorCount(page, trainer);
  await trainer.getByRole('button', { name: 'Train', exact: true }).click();
  await waitForStep(page, 12, 120_000, trainer);
  await trainer.getByRole('button', { name: 'Pause', exact: true }).click();
  await expect(trainer.getByRole('button', { name: 'Train', exact: true })).toBeEnabled({ timeout: 30_000 });
  const shown = await readNumber(page, 'trainer-step', trainer);
  const two = await stepsSeen(page);
  expect(two.map((p) => p.step)).toEqual(Array.from({ length: shown }, (_, i) => i + 1));
  for (const p of two) {
    expect(p.arms).toHaveLength(5);
    for (const loss of p.arms) expect(Number.isFinite(loss)).toBe(true);
  }
  // Bit for bit the numbers one worker gave, every arm.
  expect(two.slice(0, 4)).toEqual(one);
  // Step after the pause moves every arm on by one.
  await trainer.getByRole('button', { name: 'Step', exact: true }).click();
  await waitForStep(page, shown + 1, 60_000, trainer);
  await expect.poll(async () => (await stepsSeen(page)).length).toBe(shown + 1);
  // Both workers' tensors, counted together, are as many as before training.
  expect(await settledTensorCount(page, trainer)).toBe(tensorsBefore);

  // A question about arm 4 (the second worker's) is answered: its gradient histogram.
  const grads = page.getByTestId('grad-panel');
  await grads.getByLabel('Arm').selectOption({ label: 'Mixed precision' });
  await expect(grads.getByTestId('grad-histogram')).toBeVisible({ timeout: 30_000 });
  await expect(grads.getByTestId('grad-scale')).toHaveText(/^2[⁰¹²³⁴⁵⁶⁷⁸⁹]+ = \d+$/, { timeout: 30_000 });
});

test('a run too small to spread stays on one worker', async ({ page }) => {
  // One arm switched on: nothing to spread, whatever ?workers says.
  await page.goto(`./?workers=3${MIXED}&g16=off&g16ls=off&w16=off&mixed=off`);
  const trainer = page.getByRole('region', { name: TRAINER });
  await expect(trainer.getByRole('button', { name: 'Train', exact: true })).toBeEnabled({ timeout: 90_000 });
  await trainer.getByRole('button', { name: 'Step', exact: true }).click();
  await waitForStep(page, 1, 60_000, trainer);
  await expect(page.getByTestId('backend-spread')).toHaveCount(0);
});

test('a run on a GPU backend stays on one worker: the workers would share the GPU', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto(`./?workers=2${MIXED.replace('backend=wasm', 'backend=webgl')}`);
  const trainer = page.getByRole('region', { name: TRAINER });
  await expect(trainer.getByTestId('trainer-backend')).toHaveText('webgl', { timeout: 60_000 });
  await expect(trainer.getByRole('button', { name: 'Train', exact: true })).toBeEnabled({ timeout: 90_000 });
  await expect(page.getByTestId('backend-spread')).toHaveCount(0);
});

test('encoder-decoder on 2 workers: each objective trains, and each worker answers for its own arm', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await page.goto(
    './?workers=2#/objectives/encoder-decoder?layers=1&width=32&heads=2&words=12&batch=8&lr=0.005&backend=wasm&seed=2',
  );
  const trainer = page.getByRole('region', { name: 'Tiny encoder-decoder' });
  await expect(trainer.getByRole('button', { name: 'Train', exact: true })).toBeEnabled({ timeout: 90_000 });
  await expect(page.getByTestId('backend-spread')).toHaveAttribute('data-workers', '2');
  const initial = await readNumber(page, 'trainer-heldout', trainer);
  await trainer.getByRole('button', { name: 'Train', exact: true }).click();
  await waitForStep(page, 20, 120_000, trainer);
  await trainer.getByRole('button', { name: 'Pause', exact: true }).click();
  await expect(trainer.getByRole('button', { name: 'Train', exact: true })).toBeEnabled({ timeout: 30_000 });
  expect(await readNumber(page, 'trainer-heldout', trainer)).toBeLessThan(initial);
  await expect(trainer.locator('.legend-item')).toHaveCount(4);
  for (const arm of [0, 1])
    await expect(page.getByTestId(`recon-${arm}`).getByTestId('recon-output')).toHaveCount(2, { timeout: 60_000 });
});

test('an optimiser race with one arm per worker: the blown-up SGD arm leaves, the others go on, Adam is tracked', async ({
  page,
}) => {
  test.setTimeout(180_000);
  // Adam (arm 2) is the reference and has worker 0 to itself; SGD (arm 0) trains alone in worker 1.
  await page.goto('./?workers=8#/optimization/sgd-adam?layers=1&width=32&batch=4&backend=wasm&sgd=100');
  const trainer = page.getByRole('region', { name: 'Optimiser race on a tiny GPT' });
  await expect(trainer.getByRole('button', { name: 'Train', exact: true })).toBeEnabled({ timeout: 120_000 });
  const spread = Number(await page.getByTestId('backend-spread').getAttribute('data-workers'));
  expect(spread).toBeGreaterThanOrEqual(4);
  await trainer.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByTestId('race-dropped')).toContainText('SGD', { timeout: 60_000 });
  await waitForStep(page, 15, 90_000, trainer);
  await trainer.getByRole('button', { name: 'Pause', exact: true }).click();
  await expect(trainer.getByRole('button', { name: 'Train', exact: true })).toBeEnabled({ timeout: 30_000 });
  await expect(trainer.getByTestId('trainer-diverged')).toHaveCount(0);
  // The tracked element's moments come from the reference arm's worker, at the step shown.
  const shown = await trainer.getByTestId('trainer-step').textContent();
  await expect(page.getByTestId('moments-step')).toHaveText(shown ?? '');
});

test('BERT vs RoBERTa on 2 workers at a rate that blows up: the run stops at one step, says so, keeps its curve', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await recordSteps(page);
  await page.goto('./?workers=2#/objectives/encoder-only?layers=1&width=32&heads=2&len=32&batch=8&rlr=10&backend=wasm');
  await page.getByRole('heading', { name: /RoBERTa: drop NSP/ }).scrollIntoViewIfNeeded();
  const trainer = page.getByRole('region', { name: 'BERT vs RoBERTa' });
  await expect(trainer.getByRole('button', { name: 'Train', exact: true })).toBeEnabled({ timeout: 90_000 });
  await trainer.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(trainer.getByTestId('trainer-diverged')).toContainText('diverged', { timeout: 90_000 });
  await expect(trainer.getByRole('button', { name: 'Train', exact: true })).toBeVisible();
  // The message names the step the curve ends at (or the one after, when that step's loss was not finite).
  const shown = Number(await trainer.getByTestId('trainer-step').textContent());
  const said = Number((await trainer.getByTestId('trainer-diverged').textContent())?.match(/step (\d+)/)?.[1]);
  expect(said - shown).toBeGreaterThanOrEqual(0);
  expect(said - shown).toBeLessThanOrEqual(1);
  // Every step up to there came once, with both arms, from this trainer's two workers.
  const steps = (await stepsSeen(page)).filter((p) => p.arms.length === 2).map((p) => p.step);
  expect(steps).toEqual(Array.from({ length: shown }, (_, i) => i + 1));
  await expect(trainer).not.toContainText('NaN');
});
