// The tiny BERT on the wasm backend, against the cpu backend and the same
// PyTorch fixture as bert.test.ts. wasm takes other code paths in
// products.ts (explicit transposes, one-hot row selection, column sums by
// matMul, XNNPACK's operator cache) and lacks kernels cpu has
// (UnsortedSegmentSum, which tf.gather's gradient would need).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { bertHidden, bertLosses, disposeBertParams, type BertInputs, type BertTargets } from './bert';
import {
  bertGoldenBatch,
  loadBertGolden,
  relativeError,
  scaledError,
  tidyRead,
  variablesFrom,
} from './fixtures/golden';

const golden = loadBertGolden();
const cfg = golden.config;
// Against PyTorch (float64), as in bert.test.ts.
const TOL = 2e-5;
// wasm against cpu, both float32: only summation order differs.
const BACKEND_TOL = 1e-5;

interface Run {
  mlm: number;
  nsp: number | null;
  total: number;
  hidden: Float32Array;
  mlmLogits: Float32Array;
  nspLogits: Float32Array | null;
  grads: Record<string, Float32Array>;
}

/** Losses, logits, hidden states and every gradient on the current backend, as host arrays. */
function run(x: BertInputs, y: BertTargets): Run {
  const p = variablesFrom(golden.params);
  try {
    const out = tidyRead(() => {
      const l = bertLosses(p, cfg, x, y);
      return {
        mlm: l.mlm.dataSync()[0],
        nsp: l.nsp ? l.nsp.dataSync()[0] : null,
        total: l.total.dataSync()[0],
        hidden: bertHidden(p, cfg, x).dataSync() as Float32Array,
        mlmLogits: l.mlmLogits.dataSync() as Float32Array,
        nspLogits: l.nspLogits ? (l.nspLogits.dataSync() as Float32Array) : null,
      };
    });
    const names = Object.keys(p);
    const grads = tidyRead(() => {
      const { grads } = tf.variableGrads(
        () => bertLosses(p, cfg, x, y).total,
        names.map((n) => p[n]),
      );
      const host: Record<string, Float32Array> = {};
      for (const n of names) if (grads[p[n].name]) host[n] = grads[p[n].name].dataSync() as Float32Array;
      return host;
    });
    return { ...out, grads };
  } finally {
    disposeBertParams(p);
  }
}

const { inputs, targets } = bertGoldenBatch(golden);
const noNsp: BertTargets = { ...targets, nspLabels: null };
let cpu: Run;
let cpuNoNsp: Run;

describe('BERT on the wasm backend', () => {
  beforeAll(async () => {
    expect(await tf.setBackend('cpu')).toBe(true);
    cpu = run(inputs, targets);
    cpuNoNsp = run(inputs, noNsp);
    expect(await tf.setBackend('wasm')).toBe(true);
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it('matches cpu and PyTorch: losses, logits and every gradient', () => {
    expect(tf.getBackend()).toBe('wasm');
    const before = tf.memory().numTensors;
    const wasm = run(inputs, targets);
    expect(tf.memory().numTensors).toBe(before);

    const losses = [
      ['mlm', wasm.mlm, cpu.mlm, golden.mlmLoss],
      ['nsp', wasm.nsp!, cpu.nsp!, golden.nspLoss],
      ['total', wasm.total, cpu.total, golden.total],
    ] as const;
    for (const [k, w, c, g] of losses) {
      expect(relativeError(w, c), k).toBeLessThan(BACKEND_TOL);
      expect(relativeError(w, g), k).toBeLessThan(TOL);
    }
    const arrays = [
      ['hidden', wasm.hidden, cpu.hidden, golden.hidden],
      ['mlmLogits', wasm.mlmLogits, cpu.mlmLogits, golden.mlmLogits],
      ['nspLogits', wasm.nspLogits!, cpu.nspLogits!, golden.nspLogits],
    ] as const;
    for (const [k, w, c, g] of arrays) {
      expect(scaledError(w, c), k).toBeLessThan(BACKEND_TOL);
      expect(scaledError(w, g), k).toBeLessThan(TOL);
    }
    expect(Object.keys(wasm.grads)).toEqual(Object.keys(golden.grads));
    let worstCpu = 0;
    let worstTorch = 0;
    for (const name of Object.keys(golden.grads)) {
      const eCpu = scaledError(wasm.grads[name], cpu.grads[name]);
      const eTorch = scaledError(wasm.grads[name], golden.grads[name]);
      worstCpu = Math.max(worstCpu, eCpu);
      worstTorch = Math.max(worstTorch, eTorch);
      expect(eCpu, name).toBeLessThan(BACKEND_TOL);
      expect(eTorch, name).toBeLessThan(TOL);
    }
    if (process.env.GOLDEN_VERBOSE) {
      console.log('wasm gradients: worst vs cpu', worstCpu.toExponential(2), 'vs torch', worstTorch.toExponential(2));
    }
  });

  it('gives identical results run after run (XNNPACK operator cache)', () => {
    const a = run(inputs, targets);
    const b = run(inputs, targets);
    expect(b.total).toBe(a.total);
    for (const name of Object.keys(a.grads)) expect(Array.from(b.grads[name]), name).toEqual(Array.from(a.grads[name]));
  });

  it('matches PyTorch with a row selected twice and [CLS] rows in the MLM selection', () => {
    const { overlap } = golden;
    const wasm = run(inputs, {
      ...targets,
      maskedRows: Int32Array.from(overlap.maskedRows),
      maskedTargets: Int32Array.from(overlap.maskedTargets),
    });
    expect(relativeError(wasm.total, overlap.total)).toBeLessThan(TOL);
    for (const name of Object.keys(overlap.grads)) {
      expect(scaledError(wasm.grads[name], overlap.grads[name]), name).toBeLessThan(TOL);
    }
  });

  it('without NSP labels: total is the MLM loss, as on cpu, and the NSP head gets no gradient', () => {
    const wasm = run(inputs, noNsp);
    expect(wasm.nsp).toBeNull();
    expect(wasm.total).toBe(wasm.mlm);
    expect(relativeError(wasm.total, cpuNoNsp.total)).toBeLessThan(BACKEND_TOL);
    expect(Object.keys(wasm.grads)).toEqual(Object.keys(golden.gradsMlm));
    for (const name of Object.keys(golden.gradsMlm)) {
      expect(scaledError(wasm.grads[name], cpuNoNsp.grads[name]), name).toBeLessThan(BACKEND_TOL);
      expect(scaledError(wasm.grads[name], golden.gradsMlm[name]), name).toBeLessThan(TOL);
    }
  });

  it('ignores padding ids and segments', () => {
    const ids = inputs.ids.slice();
    const segments = inputs.segments.slice();
    for (let b = 0; b < inputs.B; b++) {
      for (let t = inputs.lengths[b]; t < inputs.T; t++) {
        ids[b * inputs.T + t] = (ids[b * inputs.T + t] + 5) % cfg.vocabSize;
        segments[b * inputs.T + t] = 1;
      }
    }
    const p = variablesFrom(golden.params);
    try {
      const loss = (x: BertInputs) => tf.tidy(() => bertLosses(p, cfg, x, targets).total.dataSync()[0]);
      expect(loss({ ...inputs, ids, segments })).toBe(loss(inputs));
    } finally {
      disposeBertParams(p);
    }
  });
});
