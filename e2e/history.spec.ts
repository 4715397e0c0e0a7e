// Run history: a run replaced by a new setting stays on the chart as a pinned,
// labelled, dashed overlay, survives a reload (IndexedDB), and can be removed.
import type { Locator, Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from './fixtures';

const DECODER = './#/objectives/decoder-only';
const SMALL_GPT = 'layers=1&width=32&heads=2&ctx=32&batch=8&backend=wasm';

/** Presses Step `n` times, each time waiting for the counter to move. */
async function steps(trainer: Locator, n: number) {
  const step = trainer.getByRole('button', { name: 'Step', exact: true });
  for (let i = 1; i <= n; i++) {
    await expect(step).toBeEnabled({ timeout: 60_000 });
    await step.click();
    await expect(trainer.getByTestId('trainer-step')).toHaveText(String(i));
  }
}

/** The dash patterns of the first pinned runs (PINNED_DASHES in src/components/PinnedRuns.tsx). */
const PINNED_DASHES = ['5 5', '1 4'];

/** The chart's drawn lines in pinned run i's dash pattern. */
const pinnedPaths = (scope: Locator, i: number) =>
  scope.locator(`path.recharts-line-curve[stroke-dasharray="${PINNED_DASHES[i]}"]`);

async function setField(page: Page, label: string, value: string) {
  const field = page.getByLabel(label, { exact: true });
  await field.fill(value);
  await expect(field).toHaveValue(value);
}

test('the decoder trainer pins replaced runs, labels them by the setting that changed, keeps them across a reload', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await page.goto(`${DECODER}?${SMALL_GPT}&lr=0.01`);
  const trainer = page.getByTestId('trainer');
  await steps(trainer, 3);
  // A new learning rate replaces the run: the one that trained is pinned.
  await setField(page, 'Learning rate', '0.02');
  await expect(trainer.getByTestId('trainer-step')).toHaveText('0');
  const pinned = trainer.getByTestId('pinned-run');
  await expect(pinned).toHaveCount(1);
  await expect(pinned.first()).toContainText('Learning rate 0.01 → 0.02');
  await steps(trainer, 3);
  await setField(page, 'Learning rate', '0.05');
  await expect(pinned).toHaveCount(2);
  // Each named against the settings now, oldest first.
  await expect(trainer.getByTestId('pinned-label')).toHaveText([
    'Learning rate 0.01 → 0.05',
    'Learning rate 0.02 → 0.05',
  ]);
  // Two pinned runs, a dashed training curve each, drawn before the new run has trained (their held-out
  // curves are one evaluation so far: a dot, no line).
  await expect(pinnedPaths(trainer, 0)).toHaveCount(1);
  await expect(pinnedPaths(trainer, 1)).toHaveCount(1);
  // The chart's own legend is unchanged: training and held-out loss of the run on screen.
  await expect(trainer.locator('.legend-item')).toHaveCount(2);
  // The chart and its pinned runs' legend pass axe's WCAG 2.2 AA checks, in both themes.
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    const audit = await new AxeBuilder({ page })
      .include('figure.loss-chart')
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
      .analyze();
    expect(audit.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`)).toEqual([]);
  }

  await page.reload();
  await expect(trainer.getByTestId('pinned-label')).toHaveText([
    'Learning rate 0.01 → 0.05',
    'Learning rate 0.02 → 0.05',
  ]);
  await expect(pinnedPaths(trainer, 0)).toHaveCount(1);
  await expect(pinnedPaths(trainer, 1)).toHaveCount(1);

  // Hidden and shown again from its legend entry; then removed with its own button, by keyboard.
  const toggle = pinned.first().getByRole('button', { name: 'Learning rate 0.01 → 0.05', exact: true });
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
  await expect(pinnedPaths(trainer, 0)).toHaveCount(0);
  await toggle.click();
  await expect(pinnedPaths(trainer, 0)).toHaveCount(1);
  const remove = trainer.getByRole('button', { name: 'Remove pinned run Learning rate 0.01 → 0.05' });
  await remove.focus();
  await page.keyboard.press('Enter');
  await expect(trainer.getByTestId('pinned-label')).toHaveText(['Learning rate 0.02 → 0.05']);
  // Focus stays in the list, on the remaining run's remove button.
  await expect(trainer.getByRole('button', { name: 'Remove pinned run Learning rate 0.02 → 0.05' })).toBeFocused();
  await page.reload();
  await expect(trainer.getByTestId('pinned-label')).toHaveText(['Learning rate 0.02 → 0.05']);
  await trainer.getByRole('button', { name: 'Clear pinned runs' }).focus();
  await page.keyboard.press('Enter');
  await expect(pinned).toHaveCount(0);
  // Focus stays on the chart: its own legend's last entry, not lost to the page.
  await expect(trainer.locator('figure.loss-chart button.legend-toggle').last()).toBeFocused();
  await page.reload();
  await expect(pinned).toHaveCount(0);
  // Reset replaces the run too: it is pinned, named for what did not change.
  await steps(trainer, 2);
  await trainer.getByRole('button', { name: 'Reset', exact: true }).click();
  await expect(trainer.getByTestId('pinned-label')).toHaveText(['same settings']);
});

test('a race pins all its arms as one run', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto('./#/optimization/sgd-adam?layers=1&width=32&batch=4&backend=wasm');
  const trainer = page.getByRole('region', { name: 'Optimiser race on a tiny GPT' });
  await steps(trainer, 3);
  await setField(page, 'Adam learning rate', '0.01');
  await expect(trainer.getByTestId('trainer-step')).toHaveText('0');
  // One entry for the whole race; the race's own legend still has its ten entries.
  await expect(trainer.getByTestId('pinned-label')).toHaveText(['Adam learning rate 0.003 → 0.01']);
  const legend = trainer.locator('.legend-item');
  await expect(legend).toHaveCount(10);
  // The pinned run draws a dashed training curve for each arm whose training curve is shown now...
  const trainCurves = legend.filter({ hasNotText: 'held out' });
  const shown = trainCurves.and(trainer.locator('[aria-pressed="true"]'));
  const n = await shown.count();
  expect(n).toBeGreaterThan(0);
  await expect(pinnedPaths(trainer, 0)).toHaveCount(n);
  // ...so with every arm's training curve shown, all five arms, each in its arm's colour.
  const off = trainCurves.and(trainer.locator('[aria-pressed="false"]'));
  while ((await off.count()) > 0) await off.first().click();
  await expect(pinnedPaths(trainer, 0)).toHaveCount(5);
  const colours = await pinnedPaths(trainer, 0).evaluateAll((els) => els.map((e) => e.getAttribute('stroke')));
  expect(new Set(colours).size).toBe(5);
  await trainer.getByRole('button', { name: 'Remove pinned run Adam learning rate 0.003 → 0.01' }).click();
  await expect(trainer.getByTestId('pinned-run')).toHaveCount(0);
  await expect(pinnedPaths(trainer, 0)).toHaveCount(0);
});

test('without IndexedDB (storage blocked) runs are still pinned, for the life of the page', async ({ page }) => {
  await page.addInitScript(() => {
    Object.defineProperty(window, 'indexedDB', {
      get() {
        throw new DOMException('The user denied permission to access the database.', 'SecurityError');
      },
    });
  });
  await page.goto(`${DECODER}?${SMALL_GPT}&lr=0.01`);
  const trainer = page.getByTestId('trainer');
  await steps(trainer, 2);
  await setField(page, 'Learning rate', '0.02');
  await expect(trainer.getByTestId('pinned-label')).toHaveText(['Learning rate 0.01 → 0.02']);
  await expect(pinnedPaths(trainer, 0)).toHaveCount(1);
  await page.reload();
  await expect(trainer.getByRole('button', { name: 'Step', exact: true })).toBeEnabled({ timeout: 60_000 });
  await expect(trainer.getByTestId('pinned-run')).toHaveCount(0);
});
