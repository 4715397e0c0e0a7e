// The `?` overlay that lists the keyboard shortcuts, and the print styles.
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from './fixtures';

test('? opens the shortcuts list as a dialog; Escape closes it and focus returns', async ({ page }) => {
  await page.goto('./#/objectives/decoder-only');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  const presenter = page.getByRole('button', { name: 'Presenter mode' });
  await presenter.focus();
  await page.keyboard.press('?');
  const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(dialog).toBeVisible();
  for (const key of ['Space', 'S', 'R', 'P', '?', 'Esc'])
    await expect(dialog.locator('kbd', { hasText: key }).first()).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Close' })).toBeFocused();
  const axe = await new AxeBuilder({ page }).include('.shortcuts-dialog').withTags(['wcag2a', 'wcag2aa']).analyze();
  expect(axe.violations.map((v) => v.id)).toEqual([]);
  // The page's own keys are held back while the list is open.
  await page.keyboard.press('p');
  await expect(page).not.toHaveURL(/present=1/);
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(presenter).toBeFocused();
  // The Close button closes it too.
  await page.keyboard.press('?');
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toBeHidden();
});

test('? typed into a field is text, not the shortcuts list', async ({ page }) => {
  await page.goto('./#/objectives/decoder-only');
  const field = page.getByRole('textbox').first();
  await field.click();
  await page.keyboard.press('?');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeHidden();
  await expect(field).toBeFocused();
});

for (const colorScheme of ['light', 'dark'] as const) {
  test(`print keeps the prose, equations and charts on white, without controls (${colorScheme} screen)`, async ({
    page,
  }) => {
    await page.emulateMedia({ colorScheme });
    await page.goto('./#/objectives/decoder-only');
    await expect(page.getByTestId('trainer').getByRole('button', { name: 'Train', exact: true })).toBeVisible();
    await page.emulateMedia({ media: 'print', colorScheme });
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await expect(page.locator('.katex').first()).toBeVisible();
    await expect(page.locator('.loss-chart').first()).toBeVisible();
    await expect(page.locator('.prose').first()).toBeVisible();
    await expect(page.getByRole('button', { name: 'Train', exact: true })).toBeHidden();
    await expect(page.getByRole('navigation', { name: 'Lecture sections' })).toBeHidden();
    await expect(page.getByRole('button', { name: 'Presenter mode' })).toBeHidden();
    const colours = await page.evaluate(() => ({
      body: getComputedStyle(document.body).backgroundColor,
      panel: getComputedStyle(document.querySelector('.trainer') ?? document.body).backgroundColor,
      text: getComputedStyle(document.body).color,
    }));
    expect(colours.body).toBe('rgb(255, 255, 255)');
    expect(colours.panel).toMatch(/^(rgb\(255, 255, 255\)|rgba\(0, 0, 0, 0\))$/);
    expect(colours.text).toBe('rgb(0, 0, 0)');
  });
}
