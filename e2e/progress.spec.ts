// Long waits say what they wait for: the trainer card's preparing line (and
// the disabled Train button's description) names the corpus download while it
// runs, before the model is built.
import { expect, test } from './fixtures';

// The corpus is slowed with context.route, which does not see what a service worker fetches.
test.use({ serviceWorkers: 'block' });

test('on a cold load the preparing line says the corpus is loading, then Train is ready', async ({ page, context }) => {
  let release: () => void = () => {};
  const released = new Promise<void>((r) => (release = r));
  await context.route('**/corpus/*.json', async (route) => {
    const response = await route.fetch();
    await released;
    await route.fulfill({ response });
  });
  await page.goto('./#/objectives/decoder-only?layers=1&width=32&batch=4&backend=wasm');
  const trainer = page.getByTestId('trainer').first();
  const train = trainer.getByRole('button', { name: 'Train', exact: true });
  await expect(trainer.getByTestId('trainer-preparing')).toContainText('Loading the corpus');
  await expect(train).toBeDisabled();
  await expect(train).toHaveAccessibleDescription(/Loading the corpus/);
  release();
  await expect(train).toBeEnabled({ timeout: 60_000 });
  await expect(trainer.getByTestId('trainer-preparing')).toHaveCount(0);
});
