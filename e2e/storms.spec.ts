// Storms of Resets, Steps, a hyperparameter change and a backend switch, on
// each task's page, racing the views that ask the worker about the model
// (samples, scores, the heatmap, fill-in, examples, reconstructions). After
// each storm: Train trains from a fresh start, the step counter never went
// backwards within a run, and every view answers about the current run.
import type { Locator, Page } from '@playwright/test';
import { expect, readNumber, test, waitForStep } from './fixtures';

/** A view and the key its answer must have: "<generation>:<step>:…" for views refreshed per step. */
interface View {
  name: string;
  locator: (page: Page) => Locator;
  /** The answer's key must start with this, given the trainer's generation and step. */
  expected: (generation: string, step: number) => string;
}

const perStep = (name: string, testId: string): View => ({
  name,
  locator: (page) => page.getByTestId(testId),
  expected: (g, step) => `${g}:${step}:`,
});

/**
 * Records every (generation, step) the trainer card shows, from now on, so
 * a step counter that goes backwards within one run is caught however
 * briefly it showed.
 */
async function watchSteps(trainer: Locator) {
  await trainer.evaluate((el) => {
    const log: [string, number][] = [];
    (window as unknown as { __steps: [string, number][] }).__steps = log;
    const read = () => {
      const step = Number(el.querySelector('[data-testid="trainer-step"]')?.textContent ?? 'NaN');
      const last = log.at(-1);
      const generation = el.getAttribute('data-generation') ?? '';
      if (!last || last[0] !== generation || last[1] !== step) log.push([generation, step]);
    };
    new MutationObserver(read).observe(el, {
      subtree: true,
      childList: true,
      characterData: true,
      attributes: true,
      attributeFilter: ['data-generation'],
    });
    read();
  });
}

/** Every place the counter went backwards within one generation, as "generation: from -> to". */
async function stepsBackwards(page: Page): Promise<string[]> {
  const log = await page.evaluate(() => (window as unknown as { __steps: [string, number][] }).__steps);
  expect(log.length).toBeGreaterThan(1);
  const bad: string[] = [];
  for (let i = 1; i < log.length; i++)
    if (log[i][0] === log[i - 1][0] && log[i][1] < log[i - 1][1])
      bad.push(`${log[i][0]}: ${log[i - 1][1]} -> ${log[i][1]}`);
  return bad;
}

async function blur(page: Page) {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
}

/**
 * ~20 Resets racing the views' requests: R, then a Step once the new model
 * is there (the views ask about it at once), then R again while they are
 * asking; every few rounds R is held down (repeats) and Space starts training.
 */
async function resetStorm(page: Page, trainer: Locator, rounds = 20) {
  const stepButton = trainer.getByRole('button', { name: 'Step', exact: true });
  await blur(page);
  for (let i = 0; i < rounds; i++) {
    await page.keyboard.press('r');
    if (i % 5 === 4) for (let k = 0; k < 8; k++) await page.keyboard.press('r');
    await stepButton.click({ timeout: 30_000 });
    if (i % 4 === 1) await page.keyboard.press(' ');
    await page.waitForTimeout(i % 3 === 0 ? 0 : 40 * (i % 5));
  }
  await clickBurst(trainer);
  // R held down: key repeats while the model is being rebuilt.
  for (let k = 0; k < 40; k++) await page.keyboard.press('r');
}

/** Train, a few steps, Pause: the counter rises from `from`, and the card is ready again. */
/**
 * A frantic burst in the page itself: `clicks` rounds of Reset, Step and Train
 * (each only when enabled, as a person's click would), 10 ms apart, while the
 * model trains and the views ask about it.
 */
async function clickBurst(trainer: Locator, clicks = 60) {
  await trainer.evaluate(async (el, rounds) => {
    const button = (name: string) =>
      [...el.querySelectorAll<HTMLButtonElement>('.trainer-buttons button')].find((b) => b.textContent === name);
    for (let i = 0; i < rounds; i++) {
      for (const name of ['Reset', 'Step', 'Train']) {
        const b = button(name);
        if (b && !b.disabled) b.click();
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  }, clicks);
}

async function trainAFew(page: Page, trainer: Locator, steps = 3) {
  const from = await readNumber(page, 'trainer-step', trainer);
  await trainer.getByRole('button', { name: 'Train', exact: true }).click({ timeout: 30_000 });
  await waitForStep(page, from + steps, 30_000, trainer);
  await trainer.getByRole('button', { name: 'Pause', exact: true }).click();
  await expect(trainer.getByRole('button', { name: 'Train', exact: true })).toBeEnabled();
}

/** A fresh start trains, and every view answers about this run (at this step, for views refreshed per step). */
async function checkCurrent(page: Page, trainer: Locator, views: View[]) {
  const reset = trainer.getByRole('button', { name: 'Reset', exact: true });
  await reset.click({ timeout: 30_000 });
  await expect(trainer.getByTestId('trainer-step')).toHaveText('0');
  await trainAFew(page, trainer);
  const generation = (await trainer.getAttribute('data-generation')) ?? '';
  const step = await readNumber(page, 'trainer-step', trainer);
  for (const view of views)
    await expect(view.locator(page), view.name).toHaveAttribute(
      'data-answer',
      new RegExp(`^${view.expected(generation, step)}`),
      { timeout: 30_000 },
    );
  expect(await stepsBackwards(page)).toEqual([]);
}

/** The storm every page gets: Resets racing the views, a setting changed mid-run, and the checks. */
async function stormPage(
  page: Page,
  trainer: Locator,
  views: View[],
  setting: { label: string; value: string },
  midRun?: () => Promise<void>,
) {
  await expect(trainer.getByRole('button', { name: 'Train', exact: true })).toBeEnabled({ timeout: 60_000 });
  await watchSteps(trainer);
  await trainAFew(page, trainer);
  await resetStorm(page, trainer);
  // A hyperparameter changed while training: the run is rebuilt with it.
  await trainer.getByRole('button', { name: 'Train', exact: true }).click({ timeout: 30_000 });
  await waitForStep(page, 2, 30_000, trainer);
  await page.getByLabel(setting.label, { exact: true }).fill(setting.value);
  await expect(page).toHaveURL(new RegExp(`${setting.value.replace('.', '\\.')}`));
  await expect(trainer.getByTestId('trainer-step')).toHaveText('0');
  if (midRun) await midRun();
  await checkCurrent(page, trainer, views);
}

test('decoder-only: a GPT, its sample and its scores through Reset storms, a new rate and wasm → cpu', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await page.goto('./#/objectives/decoder-only?layers=1&width=32&heads=2&ctx=32&batch=8&lr=0.01&backend=wasm');
  const trainer = page.getByTestId('trainer');
  const views = [perStep('sample', 'sample-panel'), perStep('score', 'score-panel')];
  await stormPage(page, trainer, views, { label: 'Learning rate', value: '0.02' }, async () => {
    // Switch the backend while training, just after a Step, while the views are asking about it:
    // the new worker's run is the one every view then describes.
    await trainAFew(page, trainer);
    const before = await readNumber(page, 'trainer-step', trainer);
    await trainer.getByRole('button', { name: 'Step', exact: true }).click();
    await expect(trainer.getByTestId('trainer-step')).toHaveText(String(before + 1));
    await trainer.getByRole('button', { name: 'Train', exact: true }).click();
    await page.locator('#hp-backend').selectOption('cpu');
    await expect(trainer.getByTestId('trainer-backend')).toHaveText('cpu', { timeout: 30_000 });
  });
  // The sample says which step it was drawn after: this one.
  const step = await readNumber(page, 'trainer-step', trainer);
  await expect(page.getByText(`Sampled after step ${step}.`)).toBeVisible();
  await expect(page.getByTestId('score-total')).toBeAttached();
});

test('sgd-adam: a GPT race and its heatmap through Reset storms and a new Adam rate', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto('./#/optimization/sgd-adam?layers=1&width=32&batch=4&backend=wasm');
  const trainer = page.getByRole('region', { name: 'Optimiser race on a tiny GPT', exact: true });
  await stormPage(page, trainer, [perStep('heatmap', 'heatmap-panel')], {
    label: 'Adam learning rate',
    value: '0.004',
  });
  const step = await readNumber(page, 'trainer-step', trainer);
  await expect(page.getByTestId('heatmap')).toHaveAttribute('aria-label', new RegExp(`at step ${step}$`));
});

test('encoder-only: BERT, fill in the blank and the example pairs through Reset storms and a new rate', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await page.goto('./#/objectives/encoder-only?layers=1&width=32&heads=2&len=32&batch=8&lr=0.005&backend=wasm');
  const trainer = page.getByRole('region', { name: 'Tiny BERT: MLM + NSP', exact: true });
  const views: View[] = [
    perStep('fill in the blank', 'fill-panel'),
    { name: 'example pairs', locator: (p) => p.getByTestId('examples-panel'), expected: (g) => `${g}:` },
  ];
  await stormPage(page, trainer, views, { label: 'Learning rate', value: '0.004' });
  await expect(page.getByTestId('fill-results').locator('table')).toHaveCount(2);
});

test('encoder-decoder: reconstructions through Reset storms and a new rate', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto('./#/objectives/encoder-decoder?layers=1&width=32&heads=2&words=12&batch=8&lr=0.005&backend=wasm');
  const trainer = page.getByRole('region', { name: 'Tiny encoder-decoder', exact: true });
  // Reconstructions are refreshed per held-out evaluation, every 25 steps (the
  // page's evalEvery): the latest one at or before the step shown. With the own
  // wasm kernels, training passed step 25 between the third step and the Pause.
  const views: View[] = [0, 1].map((arm) => ({
    name: `reconstructions ${arm}`,
    locator: (p) => p.getByTestId(`recon-${arm}`),
    expected: (g, step) => `${g}:${step - (step % 25)}:${arm}`,
  }));
  await stormPage(page, trainer, views, { label: 'Learning rate', value: '0.004' });
  await expect(page.getByTestId('recon-0').getByTestId('recon-output')).toHaveCount(2);
});

test('an invalid form: Space, S and R neither train nor rebuild, and the form says why', async ({ page }) => {
  await page.goto(
    './#/objectives/decoder-only?layers=1&width=32&heads=2&ctx=32&batch=8&lr=0.01&backend=wasm&present=1',
  );
  const trainer = page.getByTestId('trainer');
  const train = trainer.getByRole('button', { name: 'Train', exact: true });
  await expect(train).toBeEnabled({ timeout: 60_000 });
  const generation = await trainer.getAttribute('data-generation');
  await page.getByLabel('Learning rate', { exact: true }).fill('fast');
  await blur(page);
  for (const key of [' ', 's', 'r', 'r', ' ']) await page.keyboard.press(key);
  await page.waitForTimeout(500);
  await expect(trainer.getByTestId('trainer-step')).toHaveText('0');
  await expect(trainer).toHaveAttribute('data-generation', generation!);
  await expect(trainer.getByText('Fix the highlighted hyperparameter to train.')).toBeVisible();
  await expect(train).toBeDisabled();
  // Fixed, the keys drive the trainer again.
  await page.getByLabel('Learning rate', { exact: true }).fill('0.02');
  await expect(train).toBeEnabled({ timeout: 30_000 });
  await blur(page);
  await page.keyboard.press(' ');
  await waitForStep(page, 2, 30_000, trainer);
  await page.keyboard.press(' ');
  await expect(train).toBeVisible();
});
