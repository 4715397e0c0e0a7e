// The top of a section page: one sentence of what to try, then the demo the
// section is about, so its Train button is on the first screen and the long
// prose follows it.
import type { ReactNode } from 'react';
import { ErrorBoundary } from './ErrorBoundary';

/** The sentence under a page's h1: what to press and what to watch (no measured numbers). */
export function TryThis({ children }: { children: ReactNode }) {
  return (
    <p className="try-this" data-testid="try-this">
      {children}
    </p>
  );
}

/**
 * The page's main demo. Presenter mode gives it the screen (styles.css,
 * `.main-demo`), and Space (shortcuts.ts) brings its first chart into view.
 * One per page. An error while drawing the demo replaces only the demo (its
 * title stays) with what failed and a "Reload this demo" button.
 */
export function MainDemo({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section className="main-demo" data-main-demo="" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      <ErrorBoundary scope="demo" name={title}>
        {children}
      </ErrorBoundary>
    </section>
  );
}

/**
 * Brings the main demo's first chart into full view (below the sticky top
 * bar) if it is not already: with its whole trainer card when the card fits
 * the window, else with the chart at the bottom and as much of the card
 * (buttons, numbers) as fits above it; a chart taller than the window is
 * centred. Instant under prefers-reduced-motion.
 */
export function revealMainChart() {
  if (typeof document === 'undefined') return;
  const demo = document.querySelector('[data-main-demo]');
  if (!demo) return;
  const chart = demo.querySelector('.loss-chart') ?? demo;
  const card = chart.closest('.trainer') ?? chart;
  const top = document.querySelector('.topbar')?.getBoundingClientRect().bottom ?? 0;
  const room = window.innerHeight - top;
  const c = card.getBoundingClientRect();
  const f = chart.getBoundingClientRect();
  if (f.top >= top && f.bottom <= window.innerHeight) return;
  const by =
    c.height <= room
      ? c.top - top
      : f.height <= room
        ? f.bottom - window.innerHeight
        : f.top + f.height / 2 - (top + room / 2);
  const still = window.matchMedia?.('(prefers-reduced-motion: reduce)').matches ?? false;
  window.scrollBy({ top: by, behavior: still ? 'auto' : 'smooth' });
}
