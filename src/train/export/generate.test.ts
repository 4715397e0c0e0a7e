// The generator alone: which files it writes, and that the run spec it embeds
// reads back in Python exactly as given, whatever the user's text holds.
import { describe, expect, it } from 'vitest';
import type { GptRunSpec } from '../contract';
import { exportProblem, generateScript } from './generate';
import { PYTHON_FRAGMENTS } from './fragments';
import { findPython, requireTool, runPython } from './python.testing';

const python = findPython();

function gptRun(data: GptRunSpec['data']): GptRunSpec {
  return {
    task: 'gpt',
    seed: 7,
    data,
    batchSize: 4,
    evalEvery: 10,
    model: { tokenizer: 'char', wordVocab: 100, nLayers: 1, dModel: 8, nHeads: 2, contextLength: 8 },
    arms: [
      {
        label: 'GPT',
        optimizer: { kind: 'adamw', weightDecay: 0 },
        schedule: { kind: 'constant', lr: 0.01, warmupSteps: 2, totalSteps: 100, minLrRatio: 1 },
        clipNorm: 1,
      },
    ],
  };
}

const CORPUS = { kind: 'corpus', name: 'toy', url: 'https://example.org/corpus/toy.json' } as const;

describe('generateScript', () => {
  it('writes the script and the run spec, and the corpus beside them only when given', () => {
    const without = generateScript(gptRun(CORPUS), { stem: 'tiny' }).files.map((f) => f.name);
    expect(without).toEqual(['tiny.py', 'tiny.run.json']);
    const withCorpus = generateScript(gptRun(CORPUS), { stem: 'tiny', corpusJson: '{"x":1}' }).files;
    expect(withCorpus.map((f) => f.name)).toEqual(['tiny.py', 'tiny.run.json', 'toy.json']);
    expect(withCorpus[2].text).toBe('{"x":1}');
    expect(JSON.parse(withCorpus[1].text)).toEqual(gptRun(CORPUS));
  });

  it('puts the fragments a GPT needs in order, and no other task’s', () => {
    const script = generateScript(gptRun(CORPUS)).files[0].text;
    const at = (name: 'rng' | 'common' | 'gpt' | 'main') => script.indexOf(PYTHON_FRAGMENTS[name].trim());
    expect(at('rng')).toBeGreaterThan(0);
    expect(at('common')).toBeGreaterThan(at('rng'));
    expect(at('gpt')).toBeGreaterThan(at('common'));
    expect(at('main')).toBeGreaterThan(at('gpt'));
    expect(script).not.toContain(PYTHON_FRAGMENTS.bert.trim());
    expect(script.trimEnd().endsWith('main()')).toBe(true);
    expect(exportProblem(gptRun(CORPUS))).toBeNull();
  });
});

describe.runIf(requireTool(python, 'python3'))('the embedded run spec', () => {
  it('reads back in Python exactly, quotes, backslashes, accents and emoji included', () => {
    const text = 'He said "hi" \\ and \'bye\'\n\ttab café naïve 😀 \u2028 line """ end \\';
    const run = gptRun({ kind: 'text', train: text.repeat(3), heldOut: text });
    const script = generateScript(run).files[0].text;
    // The embedded spec is printable ASCII, so no file encoding can garble the text.
    expect(/[^\t\n\r -~]/.test(script.slice(script.indexOf('RUN_SPEC =')))).toBe(false);
    const from = script.indexOf('RUN_SPEC = ');
    const line = script.slice(from, script.indexOf('""")', from) + 4);
    const out = runPython(python!, ['-c', `import json\n${line}\nprint(json.dumps(RUN_SPEC))`]);
    expect(JSON.parse(out)).toEqual(run);
  });
});
