// Every trainer page rendered to static markup (effects do not run, so no
// worker starts): the page opens with its what-to-try sentence right under
// the title, and its first trainer sits inside the one main demo, before any
// section of prose. e2e/first-screen.spec.ts checks the same in a browser,
// by where the Train button lands.
import { describe, expect, it } from 'vitest';
import { renderPage, TRAINER_PAGES as PAGES, withDocument } from './pageRender.testing';

withDocument();

describe('the top of every trainer page', () => {
  it.each(PAGES)('%s: what to try under the title, then the main demo with its trainer', (path, Page) => {
    const html = renderPage(path, Page);
    const afterTitle = html.slice(html.indexOf('</h1>'));
    // The first paragraph after the title is the sentence of what to try.
    expect(afterTitle.match(/<p[^>]*>/)?.[0]).toContain('data-testid="try-this"');
    expect(afterTitle).toMatch(/data-testid="try-this">Press Train\b/);
    // One main demo; the page's first trainer is in it, before the next section's heading.
    expect(html.split('data-main-demo').length - 1).toBe(1);
    const demo = html.indexOf('data-main-demo');
    const trainer = html.indexOf('data-testid="trainer"');
    const nextHeading = html.indexOf('<h2', html.indexOf('<h2', demo) + 1);
    expect(trainer).toBeGreaterThan(demo);
    expect(nextHeading === -1 || trainer < nextHeading).toBe(true);
  });
});
