// The page rendered to static markup (no worker starts: effects do not run on
// the server): every model choice renders without throwing, shows no NaN, and
// carries the exact numbers the end-to-end test reads.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gptDecoderShapes } from '../../core/optim';
import type { PageProps } from '../pageProps';
import { AccountTable, type Reading } from './AccountTable';
import MemoryPage from './MemoryPage';
import { MODEL_CHOICES } from './params';
import { workerAccount } from './workerAccount';

function render(query: string): string {
  const location: PageProps['location'] = {
    path: '/optimization/memory',
    query: new URLSearchParams(query),
    replaceQuery: () => undefined,
    hrefFor: (p) => `#${p}`,
  };
  return renderToStaticMarkup(createElement(MemoryPage, { location }));
}

function dataValue(html: string, testId: string): number {
  const m = new RegExp(`data-testid="${testId}" data-value="(\\d+)"`).exec(html);
  if (!m) throw new Error(`no ${testId} with a data-value`);
  return Number(m[1]);
}

const hadDocument = 'document' in globalThis;
beforeAll(() => {
  // The trainer's corpus URL is resolved against the document.
  if (!hadDocument) Object.assign(globalThis, { document: { baseURI: 'http://127.0.0.1/' } });
});
afterAll(() => {
  if (!hadDocument) delete (globalThis as { document?: unknown }).document;
});

describe('MemoryPage markup', () => {
  it.each(MODEL_CHOICES.map((c) => [c]))('model=%s renders without NaN', (choice) => {
    const html = render(`model=${choice}`);
    expect(html).not.toMatch(/NaN|undefined|Infinity/);
    expect(html).toContain('class="katex');
    expect(html).not.toContain('katex-error');
  });

  it('GPT-3: Adam needs 16 bytes a parameter in FP32 and in mixed precision; SGD stores 2P numbers, Adam 4P', () => {
    const html = render('model=gpt3-175b');
    const P = dataValue(html, 'mem-params');
    expect(P).toBe(174_604_259_328);
    expect(dataValue(html, 'mem-total-adam-fp32')).toBe(16 * P);
    expect(dataValue(html, 'mem-total-adam-mixed')).toBe(16 * P);
    expect(dataValue(html, 'mem-total-sgd-fp32')).toBe(8 * P);
    expect(dataValue(html, 'values-sgd')).toBe(2 * P);
    expect(dataValue(html, 'values-adam')).toBe(4 * P);
    expect(html).toContain('174,604,259,328');
  });

  it('a bare count cannot price AdaFactor, and says so instead of drawing a bar', () => {
    const html = render('model=custom-count&c_params=7e9');
    expect(dataValue(html, 'mem-params')).toBe(7e9);
    expect(dataValue(html, 'mem-total-adam-fp32')).toBe(16 * 7e9);
    expect(html).toContain('data-testid="adafactor-needs-shapes"');
    expect(html).not.toContain('data-testid="mem-total-adafactor-fp32" data-value');
  });

  it('the tiny GPT waits for its vocabulary, which only the worker knows', () => {
    const html = render('model=tiny');
    expect(html).toContain('data-testid="mem-waiting"');
  });

  it('a malformed link value falls back to its default with a notice', () => {
    const html = render('model=gpt3-175b&layers=banana');
    expect(html).toContain('data-testid="url-notice"');
    expect(html).toContain('Ignored layers=');
  });
});

describe('AccountTable markup', () => {
  const account = workerAccount(gptDecoderShapes({ layers: 2, dModel: 64, vocab: 83, context: 64 }), 16, 64);
  const html = (reading: Reading | null, workerParams: number | null = 109_504) =>
    renderToStaticMarkup(
      createElement(AccountTable, { account, reading, workerParams, running: false, batch: 16, context: 64 }),
    );

  it('waits for a reading with an ellipsis, not a NaN', () => {
    const out = html(null, null);
    expect(dataValue(out, 'predicted-bytes')).toBe(1_363_220);
    expect(dataValue(out, 'predicted-model-adam')).toBe(1_314_048);
    expect(out).not.toMatch(/NaN|undefined/);
    expect(out).not.toContain('mem-diff');
  });

  it('says when the reading matches exactly, and by how much it differs otherwise', () => {
    const exact = html({ numTensors: 98, numBytes: 1_363_220, step: 3, generation: 1 });
    expect(dataValue(exact, 'tfjs-bytes')).toBe(1_363_220);
    expect(exact).toContain('Exactly as predicted: 1.36 MB in 98 tensors.');
    expect(exact).toContain('the worker counted');
    const midStep = html({ numTensors: 100, numBytes: 1_363_228, step: 3, generation: 1 });
    expect(midStep).toContain('More than predicted by 8 bytes and 2 tensor(s).');
  });
});
