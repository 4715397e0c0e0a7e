// Every page from a phone's width to a projector's: nothing may be cut off or
// push the page sideways. Wide content (equations, tables, the nav strip) is
// allowed only inside its own horizontal scroller.
import type { Page } from '@playwright/test';
import { ALL_SECTIONS } from '../src/pages/sections';
import { expect, scrollThrough, test } from './fixtures';

const WIDTHS = [
  { name: 'phone', width: 360, height: 740, presenter: false },
  { name: 'tablet', width: 800, height: 1000, presenter: false },
  { name: 'projector', width: 1280, height: 720, presenter: true },
];

/**
 * Elements that reach past the box that clips them: the page itself, or an
 * ancestor that hides overflow (overflow hidden/clip, or paint containment,
 * which our panels use). An ancestor that scrolls sideways is fine.
 */
async function cutOff(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    const viewport = document.documentElement.clientWidth;
    const describe = (el: Element) => {
      const text = (el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 40);
      return `<${el.tagName.toLowerCase()} class="${el.getAttribute('class') ?? ''}"> "${text}"`;
    };
    for (const el of document.querySelectorAll('#root *')) {
      const box = el.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) continue;
      if (el.closest('.visually-hidden, .skip-link, .katex-mathml, svg')) continue;
      let clip: { left: number; right: number } = { left: 0, right: viewport };
      for (let a = el.parentElement; a && a.id !== 'root'; a = a.parentElement) {
        const style = getComputedStyle(a);
        if (style.overflowX === 'auto' || style.overflowX === 'scroll') {
          clip = { left: -Infinity, right: Infinity };
          break;
        }
        if (style.overflowX === 'hidden' || style.overflowX === 'clip' || /paint|strict|content/.test(style.contain)) {
          const r = a.getBoundingClientRect();
          clip = { left: Math.max(clip.left, r.left), right: Math.min(clip.right, r.right) };
        }
      }
      if (box.left < clip.left - 1 || box.right > clip.right + 1) found.push(describe(el));
    }
    if (document.documentElement.scrollWidth > viewport)
      found.push(`the page scrolls sideways (${document.documentElement.scrollWidth} px > ${viewport} px)`);
    return found.slice(0, 8);
  });
}

for (const s of [{ path: '/', title: 'Landing page' }, ...ALL_SECTIONS]) {
  test(`layout of ${s.path} fits a phone, a tablet and a projector`, async ({ page }) => {
    for (const w of WIDTHS) {
      await page.setViewportSize({ width: w.width, height: w.height });
      await page.goto(`./#${s.path}${w.presenter ? '?present=1' : ''}`);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      await scrollThrough(page);
      // Lazily mounted parts settle within a frame or two of being scrolled to.
      await page.waitForTimeout(300);
      expect(await cutOff(page), `${w.name} (${w.width} px)`).toEqual([]);
      if (w.name === 'phone') {
        // The sticky header leaves a phone's screen to the page: at most ~12% of its height.
        const header = await page.locator('.topbar').boundingBox();
        expect(header?.height ?? Infinity, 'header height on a phone').toBeLessThanOrEqual(0.12 * w.height);
      }
    }
  });
}
