// Issue 17's exactness check for the encoder pages: the exported PyTorch
// script, run on CPU in float32, against the notebook's engine in Node on the
// page's default run spec. Every arm's training loss must agree within 1e-3
// for the first 50 steps and its held-out loss at step 300 within 0.01 (0.03
// for the MLM + NSP run, whose own rounding sensitivity is larger; below): the
// encoder-only page's MLM + NSP run, and the encoder-decoder page's default
// race, whose arms are T5's i.i.d. replace-spans and BART's text infilling.
import { describe, expect, it } from 'vitest';
import { defaultValues } from '../../src/core/params';
import { ENCDEC_PARAMS, toEncDecRun } from '../../src/pages/encoder-decoder/params';
import { bertArm, ENCODER_PARAMS, toBertRun, toRobertaRun } from '../../src/pages/encoder-only/params';
import type { RunSpec } from '../../src/train/contract';
import { findTorchPython, requireTool } from '../../src/train/export/python.testing';
import { diskCorpus, nodeCurve, pythonCurve, type Curve } from './curves';

const python = findTorchPython();
const STEPS = 300;

/** Largest |node - python| over the arms of `metric` in the first `n` training steps. */
function maxStepGap(node: Curve, py: Curve, n: number, metric = 'total'): number {
  let gap = 0;
  for (let i = 0; i < n; i++) {
    const a = node.steps[i].arms!;
    const b = py.steps[i].arms!;
    expect(b.length).toBe(a.length);
    a.forEach((m, k) => (gap = Math.max(gap, Math.abs(m[metric] - b[k][metric]))));
  }
  return gap;
}

/** Both curves of `run`, checked step for step and evaluation for evaluation; returns the two gaps. */
async function compare(name: string, run: RunSpec): Promise<{ stepGap: number; heldOutGap: number }> {
  const py = pythonCurve(python!, run, STEPS);
  const node = await nodeCurve(run, STEPS);
  expect(py.steps.length).toBe(STEPS);
  expect(node.steps.length).toBe(STEPS);
  // The same tokens each step: the batches (and their masks or noise) are the same draws.
  expect(py.steps.slice(0, 50).map((p) => p.tokensSeen)).toEqual(node.steps.slice(0, 50).map((p) => p.tokensSeen));
  expect(py.evals.map((e) => e.step)).toEqual(node.evals.map((e) => e.step));
  const stepGap = maxStepGap(node, py, 50);
  const lastNode = node.evals.at(-1)!;
  const lastPy = py.evals.at(-1)!;
  expect(lastPy.step).toBe(STEPS);
  let heldOutGap = 0;
  lastNode.arms!.forEach((m, k) => (heldOutGap = Math.max(heldOutGap, Math.abs(m.total - lastPy.arms![k].total))));
  console.log(
    `parity ${name}: max |Δ loss| over 50 steps ${stepGap.toExponential(2)}, |Δ held-out| at ${STEPS} ${heldOutGap.toExponential(2)}`,
  );
  return { stepGap, heldOutGap };
}

describe.runIf(requireTool(python, 'python3 with torch'))('the exported PyTorch script matches the notebook', () => {
  it('on the encoder-only page’s MLM + NSP run', { timeout: 600_000 }, async () => {
    const v = defaultValues(ENCODER_PARAMS);
    const run = toBertRun(v, diskCorpus('brown'), [bertArm(v)]);
    expect(run.arms[0].nsp).toBe(true);
    const { stepGap, heldOutGap } = await compare('bert', run);
    expect(stepGap).toBeLessThan(1e-3);
    // This run's held-out loss at step 300 is as sensitive to float32 rounding
    // as that: the engine's own SIMD and relaxed-SIMD kernel builds (a fused
    // multiply-add or not) end 9.8e-3 apart (6.4363 vs 6.4461, Node 22,
    // measured 2026-12-05), so 0.01 would be decided by rounding, not by the
    // export. PyTorch ended 9.8e-4 from the relaxed build.
    expect(heldOutGap).toBeLessThan(0.03);
  });

  it(
    'on the encoder-only page’s BERT against RoBERTa race (static and dynamic masks)',
    { timeout: 600_000 },
    async () => {
      const run = toRobertaRun(defaultValues(ENCODER_PARAMS), diskCorpus('brown'));
      expect(run.arms.map((a) => a.dynamicMasking)).toEqual([false, true]);
      const { stepGap, heldOutGap } = await compare('roberta', run);
      expect(stepGap).toBeLessThan(1e-3);
      expect(heldOutGap).toBeLessThan(0.01);
    },
  );

  // At the page's default rate (0.003) the BART arm meets a loss spike near step 42 whose
  // size float32 rounding decides: there the notebook's own wasm and cpu backends part by
  // more than 1e-3, and so do PyTorch in float64 and in float32. At 0.001 the same happens
  // after ~100 steps (PyTorch float64 against float32: 0.08 apart at step 300). At 0.0003
  // (?lr=0.0003) training is smooth (float64 against float32: 4e-6 at step 300) while the
  // loss still falls from 8.0 to 2.7, so the comparison measures the export, not chaos.
  it('on the encoder-decoder page’s T5 and BART objectives', { timeout: 900_000 }, async () => {
    const run = toEncDecRun({ ...defaultValues(ENCDEC_PARAMS), lr: 0.0003 }, diskCorpus('brown'));
    expect(run.arms.map((a) => a.objective)).toEqual(['iid-replace-spans', 'text-infilling']);
    const { stepGap, heldOutGap } = await compare('encdec', run);
    expect(stepGap).toBeLessThan(1e-3);
    expect(heldOutGap).toBeLessThan(0.01);
  });
});
