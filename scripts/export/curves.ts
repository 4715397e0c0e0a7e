// The same run trained twice, for the export's parity tests: by the notebook's
// engine in Node (wasm backend, as a page's worker without a GPU) and by the
// exported PyTorch script. Both report the curve in the notebook's shape.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import type { EvalPoint, RunSpec, StepPoint } from '../../src/train/contract';
import { createEngine } from '../../src/train/createEngine';
import { generateScript } from '../../src/train/export/generate';
import { runPython } from '../../src/train/export/python.testing';

const corpusPath = (name: string) => new URL(`../../public/corpus/${name}.json`, import.meta.url);

// The corpus asset, served to the data preparation's fetch from the disk (URL 'file:<name>.json').
globalThis.fetch = (async (url: string) =>
  new Response(readFileSync(corpusPath(String(url).replace(/^file:|\.json$/g, ''))))) as typeof fetch;

/** A page's data source with the corpus read from public/corpus/ by the stubbed fetch. */
export function diskCorpus(name: 'brown' | 'toy'): RunSpec['data'] {
  return { kind: 'corpus', name, url: `file:${name}.json` };
}

export interface Curve {
  steps: StepPoint[];
  evals: EvalPoint[];
  /** The script's first line: how many processes trained (WORLD_SIZE) and on what. */
  start?: { world: number; device: string; params: number };
}

/**
 * The worker's loop: the untrained evaluation, then one step at a time with
 * its divergence policy, and an evaluation after every step that is a
 * multiple of run.evalEvery.
 */
export async function nodeCurve(run: RunSpec, steps: number): Promise<Curve> {
  await tf.setBackend('wasm');
  const engine = await createEngine(run);
  const out: Curve = { steps: [], evals: [await engine.initialEval()] };
  try {
    while (engine.step < steps) {
      const [p] = await engine.trainSteps(1);
      out.steps.push(p);
      if (engine.isDiverged(p)) break;
      if (p.step % run.evalEvery === 0) out.evals.push(await engine.evaluate());
    }
  } finally {
    engine.dispose();
  }
  return out;
}

/** Writes the exported files into a fresh directory; returns it and the script's path. */
export function writeExport(run: RunSpec, stem = 'run'): { dir: string; script: string } {
  const dir = mkdtempSync(join(tmpdir(), 'export-'));
  const corpusJson = run.data.kind === 'corpus' ? readFileSync(corpusPath(run.data.name), 'utf8') : undefined;
  for (const f of generateScript(run, { stem, corpusJson }).files) writeFileSync(join(dir, f.name), f.text);
  return { dir, script: join(dir, `${stem}.py`) };
}

/** Parses the script's JSON lines (null for a non-finite number, as the script writes them). */
export function parseCurve(stdout: string): Curve {
  const out: Curve = { steps: [], evals: [] };
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    const { kind, ...point } = JSON.parse(line) as { kind: string } & Record<string, unknown>;
    if (kind === 'step') out.steps.push(point as unknown as StepPoint);
    else if (kind === 'eval') out.evals.push(point as unknown as EvalPoint);
    else if (kind === 'start') out.start = point as unknown as Curve['start'];
  }
  return out;
}

/** Runs the exported script on CPU in float32 for `steps` steps. */
export function pythonCurve(python: string, run: RunSpec, steps: number, extra: string[] = []): Curve {
  const { script } = writeExport(run);
  return parseCurve(runPython(python, [script, '--device', 'cpu', '--steps', String(steps), ...extra]));
}
