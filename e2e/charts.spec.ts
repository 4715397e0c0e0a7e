// The charts that compare arms: a tooltip that lists only what each line
// measured at the hovered step, at most five lines drawn at first, and a
// legend whose entries show and hide their lines.
import type { Locator, Page } from '@playwright/test';
import { expect, readNumber, test } from './fixtures';

const SMALL = 'layers=1&width=32&batch=4&backend=wasm';
const CHART = 'Training loss per optimiser';

/** Moves the mouse over the chart at `step` of an x axis from 0 to `lastStep`, half-way up the plot. */
async function hover(page: Page, figure: Locator, step: number, lastStep: number) {
  const plot = (await figure.locator('.recharts-cartesian-grid').boundingBox())!;
  await page.mouse.move(plot.x + (plot.width * step) / lastStep - 0.5, plot.y + plot.height / 2);
}

test('the learning-rates race: the tooltip lists held-out losses only where they were measured', async ({ page }) => {
  await page.goto(`./#/optimization/learning-rates?${SMALL}`);
  const trainer = page.getByRole('region', { name: 'Warmup against no warmup' });
  const step = trainer.getByRole('button', { name: 'Step', exact: true });
  await expect(step).toBeEnabled({ timeout: 60_000 });
  // One step at a time, so the run stays well under the 150 points a chart draws before it averages steps
  // in buckets (Train then Pause can overshoot by a hundred steps of this small model). Held out every 25
  // steps: go past the first evaluation, to more than half that (12.5) beyond it, so no held-out point is near.
  let last = await readNumber(page, 'trainer-step', trainer);
  while (last < 25 || last % 25 < 13) {
    await step.click();
    await expect(trainer.getByTestId('trainer-step')).toHaveText(String(last + 1));
    last += 1;
  }
  const figure = trainer.getByRole('figure', { name: CHART });
  await expect(figure.locator('.axis-title')).toHaveText(['step', 'loss (nats/token)']);
  // The loss readout names its arm, the run's reference arm (warmup).
  await expect(trainer.getByTestId('trainer-loss-label')).toHaveText(/^train loss \(warmup over \d+ steps\)$/);

  const tooltip = figure.getByTestId('chart-tooltip');
  // The chart redraws once per animation frame, so on a busy machine the last step's point can land a frame
  // after the step counter; hover again (from outside the plot) until the tooltip was drawn with it.
  await expect
    .poll(async () => {
      await page.mouse.move(0, 0);
      await hover(page, figure, last, last);
      const x = await tooltip.locator('.chart-tooltip-x').textContent();
      const at = await tooltip.locator('.chart-tooltip-at').allTextContents();
      return `${x}; near: ${at.join(', ')}`;
    })
    .toBe(`step ${last}; near: `);
  await expect(tooltip.locator('.chart-tooltip-x')).toHaveText(`step ${last}`);
  const rows = tooltip.locator('tr');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toHaveAttribute('data-series', 'train0');
  await expect(rows.nth(1)).toHaveAttribute('data-series', 'train1');
  await expect(rows.filter({ hasText: 'held out' })).toHaveCount(0);
  // Both values measured at this step, not at a neighbour.
  await expect(tooltip.locator('.chart-tooltip-at')).toHaveCount(0);

  // At an evaluation step: the held-out losses too, measured there.
  await hover(page, figure, 25, last);
  await expect(tooltip.locator('.chart-tooltip-x')).toHaveText('step 25');
  await expect(rows).toHaveCount(4);
  for (const key of ['held0', 'held1'])
    await expect(tooltip.locator(`tr[data-series="${key}"] td`).first()).toHaveText(/^\d+\.\d{4}$/);
  await expect(tooltip.locator('.chart-tooltip-at')).toHaveCount(0);
});

test('the SGD/Adam race: five of its ten lines drawn at first, and the legend shows the others', async ({ page }) => {
  await page.goto(`./#/optimization/sgd-adam?${SMALL}`);
  const trainer = page.getByRole('region', { name: 'Optimiser race on a tiny GPT' });
  const step = trainer.getByRole('button', { name: 'Step', exact: true });
  await expect(step).toBeEnabled({ timeout: 60_000 });
  for (const n of [1, 2]) {
    await step.click();
    await expect(trainer.getByTestId('trainer-step')).toHaveText(String(n));
  }
  await expect(trainer.getByTestId('trainer-loss-label')).toHaveText('train loss (Adam)');
  const figure = trainer.getByRole('figure', { name: CHART });
  const lines = figure.locator('.recharts-line');
  await expect(figure.locator('button.legend-item')).toHaveCount(10);
  await expect(lines).toHaveCount(5);
  await expect(figure.locator('.end-labels text')).toHaveCount(5);
  // The page's claim is about Adam against SGD: their four curves are drawn first, then the next arm in order;
  // the others wait in the legend.
  await expect(figure.locator('button[aria-pressed="true"]')).toHaveText([
    'SGD',
    'SGD + momentum',
    'Adam',
    'SGD (held out)',
    'Adam (held out)',
  ]);

  const adamw = figure.getByRole('button', { name: 'AdamW', exact: true });
  await expect(adamw).toHaveAttribute('aria-pressed', 'false');
  await adamw.click();
  await expect(adamw).toHaveAttribute('aria-pressed', 'true');
  await expect(lines).toHaveCount(6);
  // From the keyboard: Space on a focused entry hides its line (and does not start training).
  const sgd = figure.getByRole('button', { name: 'SGD', exact: true });
  await sgd.focus();
  await page.keyboard.press('Space');
  await expect(sgd).toHaveAttribute('aria-pressed', 'false');
  await expect(lines).toHaveCount(5);
  await expect(trainer.getByRole('button', { name: 'Train', exact: true })).toBeVisible();

  // New points keep the reader's choices.
  await step.click();
  await expect(trainer.getByTestId('trainer-step')).toHaveText('3');
  await expect(adamw).toHaveAttribute('aria-pressed', 'true');
  await expect(sgd).toHaveAttribute('aria-pressed', 'false');
  await expect(lines).toHaveCount(5);
});
