// Every comparison demo's "what to look for" line: the page's own claim
// (scripts/measure/claimedDemos.ts, the list `npm run claims` measures) sits
// above the chart of its trainer, the claim's two arms are emphasised in the
// legend, and after a couple of steps the tooltip lists values measured at
// the hovered step. Small models, so a step is quick on two cores; the claim
// line does not depend on the model's size.
import type { Locator, Page } from '@playwright/test';
import { defaultValues, parseParams } from '../src/core/params';
import type { DataSource } from '../src/train/contract';
import { CLAIMED_DEMOS } from '../scripts/measure/claimedDemos';
import { expect, test, waitForStep } from './fixtures';

const DATA: DataSource = { kind: 'corpus', name: 'brown', url: 'file:brown.json' };

/** Per demo: the small settings the test trains with. */
const CASES: Record<string, string> = {
  'sgd-adam': 'layers=1&width=32&batch=4',
  warmup: 'layers=1&width=32&batch=4',
  init: 'layers=2&width=16&batch=4',
  recipe: 'layers=1&width=32&batch=4',
  decay: 'wd_layers=1&wd_width=32&wd_batch=4',
  fp16: 'layers=1&width=32&batch=4',
  'bert-shift': 'layers=1&width=32&len=16&batch=4',
  roberta: 'layers=1&width=32&len=16&batch=4',
  encdec: 'layers=1&width=32&words=8&batch=4',
};

async function hoverLastStep(page: Page, figure: Locator) {
  await figure.scrollIntoViewIfNeeded();
  const plot = (await figure.locator('.recharts-cartesian-grid').boundingBox())!;
  await page.mouse.move(plot.x + plot.width - 1, plot.y + plot.height / 2);
}

test('every claimed demo has a case here', () => {
  expect(Object.keys(CASES).sort()).toEqual(CLAIMED_DEMOS.map((d) => d.id).sort());
});

for (const demo of CLAIMED_DEMOS) {
  test(`${demo.id}: the claim's line above the chart, its arms emphasised, a tooltip of measured values`, async ({
    page,
  }) => {
    const query = CASES[demo.id];
    const values = { ...defaultValues(demo.params), ...parseParams(demo.params, new URLSearchParams(query)).values };
    const run = demo.build(values, DATA);
    const claim = demo.claim(run)!;
    const labels = 'arms' in run ? run.arms.map((a) => a.label) : [];

    await page.goto(`./${demo.page}?${query}&backend=wasm`);
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
    const line = trainer.getByTestId('claim-line');
    await expect(line).toContainText(`What to look for: ${claim.lookFor}`, { timeout: 30_000 });
    await expect(line).toHaveAttribute('data-state', 'waiting');
    await expect(line.getByTestId('claim-status')).toContainText(
      `Watch ${labels[claim.winner]} against ${labels[claim.loser]}`,
    );
    // The line comes before the chart it is about.
    const figure = trainer.getByRole('figure').first();
    const lineBox = (await line.boundingBox())!;
    expect((await figure.boundingBox())!.y).toBeGreaterThan(lineBox.y);

    const step = trainer.getByRole('button', { name: 'Step', exact: true });
    await expect(step).toBeEnabled({ timeout: 60_000 });
    await step.click();
    await waitForStep(page, 1, 60_000, trainer);
    await step.click();
    await waitForStep(page, 2, 60_000, trainer);

    // The claim's two arms lead the legend, drawn bold; every entry is a show/hide toggle.
    const legend = figure.locator('figcaption');
    const emphasised = legend.locator('.legend-emphasis');
    expect(await emphasised.count()).toBeGreaterThanOrEqual(2);
    for (const arm of [claim.winner, claim.loser])
      await expect(emphasised.filter({ hasText: labels[arm] }).first()).toBeVisible();
    await expect(legend.getByRole('button').first()).toHaveAttribute('aria-pressed', /true|false/);

    // Hovering the right edge: the tooltip names the last step the chart has (2; 0 on a chart of held-out
    // evaluations only, which come every 25 steps) and lists only numbers.
    await hoverLastStep(page, figure);
    const tooltip = figure.getByTestId('chart-tooltip');
    await expect(tooltip.locator('.chart-tooltip-x')).toHaveText(/^step (0|2)$/);
    const rows = tooltip.locator('tr');
    expect(await rows.count()).toBeGreaterThanOrEqual(2);
    await expect(tooltip).not.toContainText('NaN');
  });
}
