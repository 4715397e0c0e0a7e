import { describe, expect, it } from 'vitest';
import type { EvalPoint, GptRunSpec, StepPoint } from '../train/contract';
import {
  absoluteLink,
  CONFIG_FORMAT,
  CONFIG_VERSION,
  csvField,
  exportFileName,
  pageIdOf,
  replayHash,
  runConfig,
  runConfigJson,
  runsCsv,
} from './runExport';
import type { RunRecord } from './runRecord';

/** An RFC 4180 reader written independently of the writer: quoted fields, doubled quotes, CRLF records. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}

const point = (step: number, arms: StepPoint['arms'], extra: Partial<StepPoint> = {}): StepPoint => ({
  step,
  loss: 4 - step * 0.1,
  lr: 0.001 * step,
  gradNorm: 1.5 + step,
  tokensSeen: 128 * step,
  tokensPerSecond: 999.5,
  stepMs: 12.25,
  arms,
  ...extra,
});

const spec = (seed: number, labels: string[]): GptRunSpec =>
  ({ task: 'gpt', seed, arms: labels.map((label) => ({ label })), referenceArm: 0 }) as unknown as GptRunSpec;

function record(over: Partial<RunRecord> & Pick<RunRecord, 'points' | 'evals'>): RunRecord {
  return { id: 'current', label: 'current', armLabels: ['GPT'], spec: spec(7, ['GPT']), link: '#/x', ...over };
}

describe('csvField', () => {
  it('quotes commas, quotes and line breaks, doubling quotes', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
  });
  it('keeps a text field from being read as a spreadsheet formula, but not a number', () => {
    expect(csvField('=SUM(A1)')).toBe("'=SUM(A1)");
    expect(csvField('@cmd')).toBe("'@cmd");
    expect(csvField('-0.5')).toBe("'-0.5");
    expect(csvField(-0.5)).toBe('-0.5');
  });
});

describe('runsCsv', () => {
  const points = [
    point(1, [{ total: 3.9, gradNorm: 2.5, lr: 0.001, tokens: 128 }]),
    point(2, [{ total: 3.8, gradNorm: 3.5, lr: 0.002, tokens: 256 }]),
  ];
  const evals: EvalPoint[] = [
    { step: 0, heldOutLoss: 4.2, arms: [{ total: 4.2 }] },
    { step: 2, heldOutLoss: 3.85, arms: [{ total: 3.85 }] },
  ];

  it('writes one row per measured value, each value read back exactly', () => {
    const rows = parseCsv(runsCsv([record({ points, evals })]));
    expect(rows[0]).toEqual(['step', 'run', 'arm', 'metric', 'value']);
    const body = rows.slice(1);
    // Six StepPoint fields and four arm metrics per point; heldOutLoss and one arm metric per evaluation.
    expect(body).toHaveLength(points.length * (6 + 4) + evals.length * 2);
    const find = (step: number, arm: string, metric: string) =>
      body.filter((r) => r[0] === String(step) && r[2] === arm && r[3] === metric).map((r) => Number(r[4]));
    for (const p of points) {
      for (const f of ['loss', 'lr', 'gradNorm', 'tokensSeen', 'tokensPerSecond', 'stepMs'] as const)
        expect(find(p.step, '', `train.${f}`)).toEqual([p[f]]);
      for (const [k, v] of Object.entries(p.arms![0])) expect(find(p.step, 'GPT', `train.${k}`)).toEqual([v]);
    }
    for (const e of evals) {
      expect(find(e.step, '', 'heldout.loss')).toEqual([e.heldOutLoss]);
      expect(find(e.step, 'GPT', 'heldout.total')).toEqual([e.arms![0].total]);
    }
    expect(body.every((r) => r[1] === 'current')).toBe(true);
  });

  it('lists the current run first, then each pinned run under its label, quoted where needed', () => {
    const pinned = record({ id: 'p1', label: 'lr 0.01, "wide" → 0.003', points: points.slice(0, 1), evals: [] });
    const rows = parseCsv(runsCsv([record({ points, evals }), pinned])).slice(1);
    const runs = rows.map((r) => r[1]);
    expect([...new Set(runs)]).toEqual(['current', 'lr 0.01, "wide" → 0.003']);
    expect(runs.lastIndexOf('current')).toBeLessThan(runs.indexOf('lr 0.01, "wide" → 0.003'));
    expect(rows.filter((r) => r[1] !== 'current')).toHaveLength(10);
  });

  it('names every arm of a race, leaves out a dropped arm’s NaN and keeps a measured Infinity', () => {
    const race = record({
      armLabels: ['SGD', 'Adam'],
      spec: spec(3, ['SGD', 'Adam']),
      points: [
        point(1, [
          { total: 5, gradNorm: 1 },
          { total: 4, gradNorm: 2 },
        ]),
        point(2, [
          { total: Infinity, gradNorm: Number.NaN },
          { total: 3.5, gradNorm: 2 },
        ]),
        point(3, [
          { total: Number.NaN, gradNorm: Number.NaN },
          { total: 3.4, gradNorm: 2 },
        ]),
      ],
      evals: [],
    });
    const rows = parseCsv(runsCsv([race])).slice(1);
    expect([...new Set(rows.map((r) => r[2]).filter(Boolean))]).toEqual(['SGD', 'Adam']);
    const sgd = rows.filter((r) => r[2] === 'SGD' && r[3] === 'train.total');
    expect(sgd.map((r) => [r[0], r[4]])).toEqual([
      ['1', '5'],
      ['2', 'Infinity'],
    ]);
  });

  it('names tracked optimiser elements by the run’s track spec', () => {
    const s = { ...spec(1, ['Adam']), track: [{ name: 'wq', index: 3 }] } as GptRunSpec;
    const p = point(1, [{ total: 3 }], { tracked: [{ g: 0.5, m: 0.25, v: 0.125 }] });
    const rows = parseCsv(runsCsv([record({ spec: s, points: [p], evals: [] })])).slice(1);
    expect(rows.filter((r) => r[3].startsWith('train.track.')).map((r) => [r[3], r[4]])).toEqual([
      ['train.track.wq.g', '0.5'],
      ['train.track.wq.m', '0.25'],
      ['train.track.wq.v', '0.125'],
    ]);
  });

  it('is a header alone when nothing was measured', () => {
    expect(runsCsv([record({ points: [], evals: [] })])).toBe('step,run,arm,metric,value\r\n');
  });
});

describe('links and names', () => {
  it('writes the seed into the replay link and leaves out presenter mode', () => {
    expect(replayHash('#/objectives/decoder-only?lr=0.01&present=1', 'seed', 7)).toBe(
      '#/objectives/decoder-only?lr=0.01&seed=7',
    );
    expect(replayHash('#/objectives/decoder-only?seed=2&lr=0.01', 'seed', 2)).toBe(
      '#/objectives/decoder-only?seed=2&lr=0.01',
    );
    expect(replayHash('#/optimization/gpt3-recipe', 'wd_seed', 9)).toBe('#/optimization/gpt3-recipe?wd_seed=9');
  });

  it('puts a hash link on this deployment’s address, whatever hash that has', () => {
    expect(absoluteLink('#/a?seed=1', 'https://example.org/notebook/?x=1#/b?seed=3')).toBe(
      'https://example.org/notebook/?x=1#/a?seed=1',
    );
  });

  it('names files after the page, the trainer, the seed and the step', () => {
    expect(pageIdOf('#/objectives/decoder-only?seed=7')).toBe('decoder-only');
    expect(pageIdOf('')).toBe('notebook');
    expect(exportFileName({ page: 'decoder-only', trainer: 'Tiny GPT', seed: 7, step: 120, ext: 'csv' })).toBe(
      'decoder-only-tiny-gpt-seed7-step120.csv',
    );
    expect(
      exportFileName({ page: 'sgd-adam', trainer: 'Adam + L2 against AdamW/<b>', seed: 1, step: 0, ext: 'png' }),
    ).toBe('sgd-adam-adam-l2-against-adamw-b-seed1-step0.png');
  });
});

describe('runConfig', () => {
  it('holds the run spec, the link, the format and the page, as JSON that reads back the same', () => {
    const current = record({ points: [point(1, [{ total: 3 }]), point(5, [{ total: 2 }])], evals: [] });
    const pinned = record({
      id: 'p',
      label: 'lr 0.01',
      spec: spec(2, ['GPT']),
      link: '#/x?present=1',
      points: [],
      evals: [],
    });
    const file = runConfig({
      current,
      pinned: [pinned],
      page: 'decoder-only',
      trainer: 'Tiny GPT',
      link: 'http://h/#/x?seed=7',
      address: (r) => `http://h/${replayHash(r.link, 'seed', r.spec!.seed)}`,
    });
    const back = JSON.parse(runConfigJson(file));
    expect(back).toEqual({
      format: CONFIG_FORMAT,
      version: CONFIG_VERSION,
      page: 'decoder-only',
      trainer: 'Tiny GPT',
      link: 'http://h/#/x?seed=7',
      steps: 5,
      armLabels: ['GPT'],
      run: current.spec,
      pinned: [{ label: 'lr 0.01', link: 'http://h/#/x?seed=2', run: pinned.spec }],
    });
  });
});
