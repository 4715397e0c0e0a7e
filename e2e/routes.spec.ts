import { ALL_SECTIONS } from '../src/pages/sections';
import { expect, test } from './fixtures';

const BACKENDS = /^(webgpu|webgl|wasm|cpu)$/;

test('the landing page lists every section and starts no training worker until one opens', async ({ page }) => {
  // Counts the training workers the page constructs (the pool names them 'trainer').
  await page.addInitScript(() => {
    const Native = window.Worker;
    const w = window as unknown as { trainerWorkers: number };
    w.trainerWorkers = 0;
    window.Worker = class extends Native {
      constructor(url: string | URL, options?: WorkerOptions) {
        super(url, options);
        if (options?.name === 'trainer') w.trainerWorkers += 1;
      }
    };
  });
  const trainerWorkers = () => page.evaluate(() => (window as unknown as { trainerWorkers: number }).trainerWorkers);
  await page.goto('./#/');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Training large language models');
  for (const s of ALL_SECTIONS) {
    await expect(
      page.getByRole('main').getByRole('link', { name: new RegExp(s.title.replace(/[()]/g, '\\$&')) }),
    ).toBeVisible();
  }
  await expect(page.getByTestId('backend-badge').first()).toHaveText('not started');
  await page.waitForTimeout(1000);
  expect(await trainerWorkers()).toBe(0);
  // A section opens: one worker, warmed for its trainer and taken by it.
  await page
    .getByRole('main')
    .getByRole('link', { name: /Decoder-only \(GPT\)/ })
    .click();
  await expect(page.getByTestId('backend-badge').first()).toHaveText(BACKENDS);
  await expect(page.getByTestId('trainer').first().getByTestId('trainer-backend')).toHaveText(BACKENDS);
  expect(await trainerWorkers()).toBe(1);
});

for (const s of ALL_SECTIONS) {
  test(`route ${s.path} opens with its KaTeX rendered and a backend badge`, async ({ page }) => {
    await page.goto(`./#${s.path}`);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await expect(page.getByTestId('backend-badge')).toHaveText(BACKENDS);
    if (s.built) {
      await expect(page.locator('.katex').first()).toBeVisible();
      await expect(page.getByTestId('trainer').first()).toBeVisible();
    } else {
      await expect(page.getByTestId('coming')).toBeVisible();
    }
    await expect(page.locator('.katex-error')).toHaveCount(0);
    // The sidebar marks where we are.
    await expect(page.getByRole('navigation').locator('[aria-current="page"]')).toHaveCount(1);
  });
}

test('the backend badge says why its backend runs, by mouse and by keyboard', async ({ page }) => {
  await page.goto('./#/objectives/decoder-only');
  const badge = page.getByRole('button', { name: /^Compute backend: (webgpu|webgl|wasm|cpu)\./ });
  const reason = page.getByTestId('backend-reason');
  await expect(reason).toBeHidden();
  await badge.click();
  await expect(badge).toHaveAttribute('aria-expanded', 'true');
  // "auto" explains its pick; on a machine without a GPU that is wasm because of the software adapters.
  await expect(reason).toBeVisible();
  await expect(reason).toContainText(/^auto: /);
  await page.keyboard.press('Escape');
  await expect(reason).toBeHidden();
  await badge.focus();
  await page.keyboard.press('Enter');
  await expect(reason).toBeVisible();
  // A press anywhere else on the page closes it.
  await page.mouse.click(640, 700);
  await expect(reason).toBeHidden();
  // A backend asked for in the link says so.
  await page.goto('./#/objectives/decoder-only?backend=cpu');
  await page.reload();
  await expect(page.getByTestId('backend-badge')).toHaveText('cpu');
  await badge.click();
  await expect(reason).toHaveText('requested cpu');
});

test('an unknown route says so instead of a blank page', async ({ page }) => {
  await page.goto('./#/no/such/page');
  await expect(page.getByTestId('not-found')).toBeVisible();
});

test('navigating away from a trainer stops its worker', async ({ page }) => {
  await page.goto('./#/objectives/decoder-only?backend=wasm&layers=1&width=32&ctx=32&batch=8');
  const trainer = page.getByTestId('trainer');
  await trainer.getByRole('button', { name: 'Train', exact: true }).click();
  await expect.poll(async () => Number(await trainer.getByTestId('trainer-step').textContent())).toBeGreaterThan(2);
  expect(page.workers().length).toBeGreaterThanOrEqual(1);
  await page.getByRole('link', { name: 'Training LLMs, live' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Training large language models');
  // The trainer's worker was terminated (the warm-up spare was consumed).
  await expect.poll(() => page.workers().length).toBe(0);
});
