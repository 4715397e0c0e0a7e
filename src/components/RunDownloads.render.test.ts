// The download row rendered to static markup (no DOM): which buttons it offers, and when they are disabled and why.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { RunSpec, StepPoint } from '../train/contract';
import type { RunRecord } from './runRecord';
import { RunDownloads } from './RunDownloads';

const spec = { task: 'gpt', seed: 3, arms: [{ label: 'GPT' }] } as unknown as RunSpec;
const point = { step: 1, loss: 3, lr: 0.01, gradNorm: 1, tokensSeen: 8, tokensPerSecond: 1, stepMs: 1 } as StepPoint;
const record = (over: Partial<RunRecord>): RunRecord => ({
  id: 'current',
  label: 'current',
  armLabels: ['GPT'],
  points: [],
  evals: [],
  spec,
  link: '',
  ...over,
});
const html = (current: RunRecord, pinned?: RunRecord[]) =>
  renderToStaticMarkup(createElement(RunDownloads, { current, pinned, title: 'Tiny GPT', chart: () => null }));
/** The buttons as [accessible name, disabled]. */
const buttons = (markup: string) =>
  [...markup.matchAll(/<button([^>]*)>(.*?)<\/button>/g)].map((m) => [
    m[2].replace(/<[^>]+>/g, ''),
    /\sdisabled=""/.test(m[1]),
  ]);

describe('RunDownloads', () => {
  it('offers the four downloads and the link, named for screen readers as "Download …"', () => {
    expect(buttons(html(record({ points: [point] })))).toEqual([
      ['Download PNG', false],
      ['Download SVG', false],
      ['Download CSV', false],
      ['Download config', false],
      ['Copy link', false],
    ]);
  });

  it('disables the data downloads, with the reason beside them, until something is measured', () => {
    const markup = html(record({}));
    expect(buttons(markup).map(([, off]) => off)).toEqual([true, true, true, false, false]);
    expect(markup).toContain('Nothing measured yet');
    expect(markup).toMatch(/aria-describedby="[^"]+"/);
  });

  it('counts a pinned run as something to download', () => {
    const markup = html(record({}), [record({ id: 'p', label: 'lr 0.01', points: [point] })]);
    expect(buttons(markup).map(([, off]) => off)).toEqual([false, false, false, false, false]);
  });

  it('has nothing to share without a run spec', () => {
    const markup = html(record({ spec: null, points: [point] }));
    expect(buttons(markup).map(([, off]) => off)).toEqual([false, false, false, true, true]);
    expect(markup).toContain('No run to share');
  });
});
