// Navigation soak: go round every route through the sidebar 30 times, as a
// presenter clicking through the lecture would, then back to the contents.
// Every page mounts its trainers (each takes or starts a worker) and unmounts
// them on the way out. Afterwards no worker may remain (Playwright lists the
// live ones; an init script also counts Worker constructions and terminate
// calls), and the main thread's JS heap, measured after a forced garbage
// collection, may not have grown by more than HEAP_BOUND_MB since the end of
// the first round (when every page's code has loaded once). No training runs.
import { ALL_SECTIONS } from '../src/pages/sections';
import { expect, test } from './fixtures';

const ROUNDS = Number(process.env.SOAK_ROUNDS ?? 30);
/** Most the JS heap may grow from round 1 to the last round. */
const HEAP_BOUND_MB = 8;

type Counts = { created: number; terminated: number };

test(`${ROUNDS} rounds of every route leave no worker behind and the JS heap within ${HEAP_BOUND_MB} MB`, async ({
  page,
}) => {
  test.setTimeout(600_000);
  // Counts the workers the page constructs and terminates.
  await page.addInitScript(() => {
    const counts = { created: 0, terminated: 0 };
    (window as unknown as { __workerCounts: Counts }).__workerCounts = counts;
    const Native = window.Worker;
    class Counted extends Native {
      constructor(url: string | URL, options?: WorkerOptions) {
        super(url, options);
        counts.created++;
      }
      terminate() {
        counts.terminated++;
        super.terminate();
      }
    }
    window.Worker = Counted;
  });
  const cdp = await page.context().newCDPSession(page);
  const heapMB = async () => {
    await cdp.send('HeapProfiler.collectGarbage');
    const { usedSize } = await cdp.send('Runtime.getHeapUsage');
    return usedSize / 1024 / 1024;
  };
  const counts = () => page.evaluate(() => (window as unknown as { __workerCounts: Counts }).__workerCounts);

  await page.goto('./#/');
  const h1 = page.getByRole('heading', { level: 1 });
  const nav = page.getByRole('navigation', { name: 'Lecture sections' });
  await expect(h1).toContainText('Training large language models');
  const routes = ALL_SECTIONS.filter((s) => s.built);
  const started = Date.now();
  const heap: number[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    for (const s of routes) {
      await nav.getByRole('link', { name: s.title, exact: true }).click();
      await expect(h1).not.toContainText('Training large language models');
      await expect(page.getByTestId('trainer').first()).toBeVisible();
    }
    await page.getByRole('link', { name: 'Training LLMs, live' }).click();
    await expect(h1).toContainText('Training large language models');
    // Every worker of the pages just left is gone once the contents show.
    await expect.poll(() => page.workers().length, { message: `live workers after round ${round}` }).toBe(0);
    if (round === 1 || round % 5 === 0 || round === ROUNDS) heap.push(await heapMB());
  }
  const c = await counts();
  const growth = heap.at(-1)! - heap[0];
  console.log(`heap by round: ${heap.map((h) => h.toFixed(2)).join(' ')}`);
  console.log(
    `soak: ${ROUNDS} rounds of ${routes.length} routes in ${((Date.now() - started) / 1000).toFixed(0)} s; workers created ${c.created}, terminated ${c.terminated}, live ${page.workers().length}; JS heap ${heap[0].toFixed(1)} MB after round 1, ${heap.at(-1)!.toFixed(1)} MB after round ${ROUNDS} (${growth >= 0 ? '+' : ''}${growth.toFixed(1)} MB, bound ${HEAP_BOUND_MB} MB)`,
  );
  expect(page.workers()).toHaveLength(0);
  expect(c.terminated, 'every worker the pages made was terminated').toBe(c.created);
  expect(growth).toBeLessThanOrEqual(HEAP_BOUND_MB);
});
