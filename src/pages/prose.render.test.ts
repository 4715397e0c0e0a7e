// Every page rendered to static markup (effects do not run, so no worker
// starts): what a student reads carries no developer internals (commands,
// function names, option ids), no measured numbers from scripted runs, and the
// corrections the pages rest on (checked against the papers) stay made.
import { describe, expect, it } from 'vitest';
import EncoderDecoderPage from './encoder-decoder/EncoderDecoderPage';
import { renderPage as render, TRAINER_PAGES as PAGES, withDocument } from './pageRender.testing';

/** The text a reader sees: tags and KaTeX's MathML source dropped. */
function visibleText(html: string): string {
  return html
    .replace(/<annotation[^>]*>[\s\S]*?<\/annotation>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#x27;|&#39;/g, '’')
    .replace(/\s+/g, ' ');
}

withDocument();

describe('page prose', () => {
  const texts = new Map<string, string>();
  const text = (path: string) => {
    if (!texts.has(path)) texts.set(path, visibleText(render(path, PAGES.find(([p]) => p === path)![1])));
    return texts.get(path)!;
  };

  it.each(PAGES.map(([path]) => [path]))('%s shows no commands, function names or scripted measurements', (path) => {
    expect(text(path)).not.toMatch(/npm run|RACE=|tf\.memory|lrAt|we measured|Measured (with|on)|on this machine/);
  });

  it('the objective pages call their optimiser Adam (no weight decay), not AdamW', () => {
    for (const [path] of PAGES.slice(0, 3)) {
      expect(text(path), path).toContain('Adam (β₁ = 0.9, β₂ = 0.99)');
      expect(text(path), path).not.toContain('AdamW');
    }
  });

  it('menus show words, not the option values a link carries', () => {
    const sgd = render('/optimization/sgd-adam', PAGES.find(([p]) => p === '/optimization/sgd-adam')![1]);
    expect(sgd).toContain('<option value="matrices" selected="">weight matrices only</option>');
    expect(sgd).toContain('<option value="char" selected="">characters</option>');
  });

  it('the encoder-decoder page names objectives, never their ids, and one sentinel convention', () => {
    const html = render('/objectives/encoder-decoder', EncoderDecoderPage);
    expect(html).toContain('<option value="iid-replace-spans" selected="">T5: I.i.d. noise, replace spans</option>');
    expect(visibleText(html)).not.toMatch(/iid-replace-spans|text-infilling|random-spans/);
    expect(visibleText(html)).toContain('12 encoder layers and 12 decoder layers of width 1024');
    expect(visibleText(html)).toContain('RoBERTa-large has 24 layers of width 1024');
  });

  it('RoBERTa’s SQuAD numbers are SQuAD 2.0 and come with all of its changes', () => {
    const roberta = text('/objectives/encoder-only');
    expect(roberta).toContain('SQuAD 2.0');
    expect(roberta).toMatch(/batches of 8,000 sequences/);
    expect(roberta).toMatch(/byte-level BPE vocabulary/);
  });

  it('every page’s TeX compiles', () => {
    for (const [path, Page] of PAGES) expect(render(path, Page), path).not.toContain('katex-error');
  });
});
