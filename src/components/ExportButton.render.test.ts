// The Export to PyTorch button without a browser: enabled for a run the
// generator can export, disabled with its reason otherwise.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { GptRunSpec } from '../train/contract';
import { ExportButton } from './ExportButton';

const RUN: GptRunSpec = {
  task: 'gpt',
  seed: 1,
  data: { kind: 'corpus', name: 'brown', url: 'https://example.org/corpus/brown.json' },
  batchSize: 4,
  evalEvery: 25,
  model: { tokenizer: 'char', wordVocab: 2000, nLayers: 1, dModel: 8, nHeads: 2, contextLength: 8 },
  arms: [
    {
      label: 'GPT',
      optimizer: { kind: 'adam' },
      schedule: { kind: 'constant', lr: 0.01, warmupSteps: 0, totalSteps: 10, minLrRatio: 1 },
      clipNorm: null,
    },
  ],
};

describe('ExportButton', () => {
  it('offers the script and the corpus file for a GPT run', () => {
    const html = renderToStaticMarkup(createElement(ExportButton, { run: RUN, stem: 'decoder-only' }));
    expect(html).toContain('Export to PyTorch');
    expect(html).not.toContain('disabled');
    expect(html).toContain('brown.json');
  });

  it('is disabled with its reason while there is no valid run', () => {
    const html = renderToStaticMarkup(createElement(ExportButton, { run: null, stem: 'x' }));
    expect(html).toMatch(/<button[^>]*disabled/);
    expect(html).toContain('No run to export while a hyperparameter is invalid.');
  });
});
