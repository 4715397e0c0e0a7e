// The tiny BERT (bert.ts) against PyTorch: scripts/golden/bert_golden.py
// writes fixtures/bert_golden.json from an independent float64 model.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import {
  bertHidden,
  bertLosses,
  bertParamInfo,
  countBertParams,
  disposeBertParams,
  initBertParams,
  type BertConfig,
  type BertInputs,
  type BertParams,
  type BertTargets,
} from './bert';
import {
  bertGoldenBatch,
  loadBertGolden,
  relativeError,
  scaledError,
  testRng,
  tidyRead,
  variablesFrom,
} from './fixtures/golden';

// PyTorch computes in float64, tfjs in float32: errors seen are ~1e-6 of each
// tensor's scale (GOLDEN_VERBOSE=1 prints them), so 2e-5 has margin while
// still catching a wrong formula (gpt.test.ts uses the same bound).
const TOL = 2e-5;

const golden = loadBertGolden();
const cfg = golden.config;
const verbose = !!process.env.GOLDEN_VERBOSE;

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Runs `f` on fresh fixture weights and frees them afterwards. */
function withParams<R>(f: (p: BertParams) => R): R {
  const p = variablesFrom(golden.params);
  try {
    return f(p);
  } finally {
    disposeBertParams(p);
  }
}

/** The losses as numbers, every tensor freed. */
function lossValues(p: BertParams, x: BertInputs, y: BertTargets): { mlm: number; nsp: number | null; total: number } {
  return tidyRead(() => {
    const l = bertLosses(p, cfg, x, y);
    return { mlm: l.mlm.dataSync()[0], nsp: l.nsp ? l.nsp.dataSync()[0] : null, total: l.total.dataSync()[0] };
  });
}

/** phi(x) as a flat host array. */
function hiddenValues(p: BertParams, x: BertInputs, c: BertConfig = cfg): Float32Array {
  return tf.tidy(() => bertHidden(p, c, x).dataSync() as Float32Array);
}

/** Rows (b, t < lengths[b]) of a flat [B*T, d] array, concatenated. */
function realRows(values: ArrayLike<number>, x: BertInputs, rows = Array.from({ length: x.B }, (_, b) => b)): number[] {
  const d = cfg.dModel;
  const out: number[] = [];
  for (const b of rows) {
    for (let t = 0; t < x.lengths[b]; t++) {
      for (let j = 0; j < d; j++) out.push(values[(b * x.T + t) * d + j]);
    }
  }
  return out;
}

describe('BERT parameters', () => {
  it('has the names, shapes and count of the PyTorch reference', () => {
    const info = bertParamInfo(cfg);
    expect(info.map((p) => p.name)).toEqual(Object.keys(golden.params));
    for (const p of info) expect(p.shape, p.name).toEqual(golden.params[p.name].shape);
    const total = Object.values(golden.params).reduce((n, p) => n + p.values.length, 0);
    expect(countBertParams(cfg)).toBe(total);
    const { vocabSize: V, maxLength: T, dModel: d, nLayers: L, segmentTypes: S } = cfg;
    // Embeddings, blocks, final LN, MLM bias, NSP head.
    expect(total).toBe(V * d + T * d + S * d + L * (12 * d * d + 13 * d) + 2 * d + V + 2 * d + 2);
  });

  it('rejects a width that does not split into heads, and zero segment types', () => {
    expect(() => countBertParams({ ...cfg, nHeads: 3 })).toThrow(/divisible/);
    expect(() => countBertParams({ ...cfg, segmentTypes: 0 })).toThrow(/segmentTypes/);
  });

  it('initialises deterministically and starts near the uniform losses ln V and ln 2', () => {
    const before = tf.memory().numTensors;
    const big: BertConfig = { vocabSize: 40, maxLength: 12, dModel: 16, nLayers: 2, nHeads: 2, segmentTypes: 2 };
    const a = initBertParams(big, testRng(5));
    const b = initBertParams(big, testRng(5));
    try {
      for (const name of Object.keys(a)) expect(a[name].dataSync(), name).toEqual(b[name].dataSync());
      const rng = testRng(6);
      const B = 4;
      const T = 12;
      const x: BertInputs = {
        B,
        T,
        ids: Int32Array.from({ length: B * T }, () => Math.floor(rng() * 40)),
        segments: Int32Array.from({ length: B * T }, (_, i) => (i % T < 6 ? 0 : 1)),
        lengths: Int32Array.from([12, 9, 7, 12]),
      };
      const y: BertTargets = {
        maskedRows: Int32Array.from([1, 5, 14, 20, 27, 40]),
        maskedTargets: Int32Array.from([3, 7, 11, 0, 39, 22]),
        nspLabels: Int32Array.from([0, 1, 1, 0]),
      };
      const l = tf.tidy(() => {
        const r = bertLosses(a, big, x, y);
        return [r.mlm.dataSync()[0], r.nsp!.dataSync()[0]];
      });
      // Logits of std ~0.02 sqrt(d) = 0.08: a mean over 6 positions lies within ~0.1 of ln V.
      expect(Math.abs(l[0] - Math.log(40))).toBeLessThan(0.15);
      expect(Math.abs(l[1] - Math.log(2))).toBeLessThan(0.05);
    } finally {
      disposeBertParams(a);
      disposeBertParams(b);
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('BERT forward and backward against PyTorch', () => {
  it("matches the hidden states, both heads' logits and the losses", () => {
    withParams((p) => {
      const { inputs, targets } = bertGoldenBatch(golden);
      const [hidden, mlmLogits, nspLogits, mlm, nsp, total] = tf.tidy(() => {
        const l = bertLosses(p, cfg, inputs, targets);
        return [bertHidden(p, cfg, inputs), l.mlmLogits, l.nspLogits!, l.mlm, l.nsp!, l.total];
      });
      const M = golden.targets.maskedRows.length;
      expect(hidden.shape).toEqual([inputs.B * inputs.T, cfg.dModel]);
      expect(mlmLogits.shape).toEqual([M, cfg.vocabSize]);
      expect(nspLogits.shape).toEqual([inputs.B, 2]);
      const errs = {
        hidden: scaledError(hidden.dataSync(), golden.hidden),
        mlmLogits: scaledError(mlmLogits.dataSync(), golden.mlmLogits),
        nspLogits: scaledError(nspLogits.dataSync(), golden.nspLogits),
        mlm: relativeError(mlm.dataSync()[0], golden.mlmLoss),
        nsp: relativeError(nsp.dataSync()[0], golden.nspLoss),
        total: relativeError(total.dataSync()[0], golden.total),
      };
      if (verbose) console.log(errs);
      for (const [k, e] of Object.entries(errs)) expect(e, k).toBeLessThan(TOL);
      tf.dispose([hidden, mlmLogits, nspLogits, mlm, nsp, total]);
    });
  });

  it('matches the gradient of the total loss for every parameter', () => {
    withParams((p) => {
      const { inputs, targets } = bertGoldenBatch(golden);
      const names = Object.keys(p);
      const { value, grads } = tf.variableGrads(
        () => bertLosses(p, cfg, inputs, targets).total,
        names.map((n) => p[n]),
      );
      expect(relativeError(value.dataSync()[0], golden.total)).toBeLessThan(TOL);
      expect(names).toEqual(Object.keys(golden.grads));
      let worst = 0;
      for (const name of names) {
        const g = grads[p[name].name];
        expect(g, name).toBeDefined();
        expect(g.shape, name).toEqual(golden.params[name].shape);
        const err = scaledError(g.dataSync(), golden.grads[name]);
        worst = Math.max(worst, err);
        if (verbose) console.log(name, err.toExponential(2));
        expect(err, name).toBeLessThan(TOL);
      }
      if (verbose) console.log('worst gradient error', worst.toExponential(2));
      tf.dispose([value, ...Object.values(grads)]);
    });
  });

  it('adds up the gradients of rows selected twice, and of [CLS] rows read by both heads', () => {
    const { overlap } = golden;
    expect(new Set(overlap.maskedRows).size).toBeLessThan(overlap.maskedRows.length);
    withParams((p) => {
      const { inputs, targets } = bertGoldenBatch(golden);
      const y: BertTargets = {
        ...targets,
        maskedRows: Int32Array.from(overlap.maskedRows),
        maskedTargets: Int32Array.from(overlap.maskedTargets),
      };
      expect(relativeError(lossValues(p, inputs, y).mlm, overlap.mlmLoss)).toBeLessThan(TOL);
      const names = Object.keys(p);
      const { value, grads } = tf.variableGrads(
        () => bertLosses(p, cfg, inputs, y).total,
        names.map((n) => p[n]),
      );
      expect(relativeError(value.dataSync()[0], overlap.total)).toBeLessThan(TOL);
      for (const name of names) {
        expect(scaledError(grads[p[name].name].dataSync(), overlap.grads[name]), name).toBeLessThan(TOL);
      }
      tf.dispose([value, ...Object.values(grads)]);
    });
  });

  it('without NSP labels trains the MLM alone: total is mlm, the NSP head gets no gradient', () => {
    withParams((p) => {
      const { inputs, targets } = bertGoldenBatch(golden);
      const noNsp: BertTargets = { ...targets, nspLabels: null };
      const shape = tf.tidy(() => {
        const l = bertLosses(p, cfg, inputs, noNsp);
        expect(l.nsp).toBeNull();
        expect(l.nspLogits).toBeNull();
        expect(l.total.dataSync()[0]).toBe(l.mlm.dataSync()[0]);
        return l.total.shape;
      });
      expect(shape).toEqual([]);
      const v = lossValues(p, inputs, noNsp);
      expect(relativeError(v.total, golden.mlmLoss)).toBeLessThan(TOL);
      const names = Object.keys(p);
      const { value, grads } = tf.variableGrads(
        () => bertLosses(p, cfg, inputs, noNsp).total,
        names.map((n) => p[n]),
      );
      expect(relativeError(value.dataSync()[0], golden.mlmLoss)).toBeLessThan(TOL);
      for (const name of names) {
        const g = grads[p[name].name];
        if (name.startsWith('nsp.')) {
          expect(g, name).toBeUndefined();
          expect(golden.gradsMlm[name]).toBeUndefined();
        } else {
          expect(scaledError(g.dataSync(), golden.gradsMlm[name]), name).toBeLessThan(TOL);
        }
      }
      tf.dispose([value, ...Object.values(grads)]);
    });
  });
});

describe('BERT attention mask', () => {
  const { inputs, targets } = bertGoldenBatch(golden);
  const padded = Array.from({ length: inputs.B * inputs.T }, (_, i) => i).filter(
    (i) => i % inputs.T >= inputs.lengths[Math.floor(i / inputs.T)],
  );

  it('ignores padding: other ids and segments there change no real position or loss', () => {
    expect(padded.length).toBeGreaterThan(0);
    const ids = inputs.ids.slice();
    const segments = inputs.segments.slice();
    for (const i of padded) {
      ids[i] = (ids[i] + 5) % cfg.vocabSize;
      segments[i] = 1 - segments[i];
    }
    const changed: BertInputs = { ...inputs, ids, segments };
    withParams((p) => {
      const base = lossValues(p, inputs, targets);
      const other = lossValues(p, changed, targets);
      expect(other.mlm).toBe(base.mlm);
      expect(other.nsp).toBe(base.nsp);
      expect(realRows(hiddenValues(p, changed), inputs)).toEqual(realRows(hiddenValues(p, inputs), inputs));
      // The mask is what makes this so: attending to every slot, the losses move.
      const unmasked = (x: BertInputs): BertInputs => ({ ...x, lengths: new Int32Array(x.B).fill(x.T) });
      const a = lossValues(p, unmasked(inputs), targets);
      const b = lossValues(p, unmasked(changed), targets);
      expect(Math.abs(a.mlm - b.mlm)).toBeGreaterThan(1e-4);
    });
  });

  it("is bidirectional: each row's last real token changes its [CLS] state", () => {
    withParams((p) => {
      const ids = inputs.ids.slice();
      for (let b = 0; b < inputs.B; b++) {
        const i = b * inputs.T + inputs.lengths[b] - 1;
        ids[i] = (ids[i] + 1) % cfg.vocabSize;
      }
      const h0 = hiddenValues(p, inputs);
      const h1 = hiddenValues(p, { ...inputs, ids });
      const d = cfg.dModel;
      for (let b = 0; b < inputs.B; b++) {
        const at = (h: Float32Array) => Array.from(h.subarray(b * inputs.T * d, (b * inputs.T + 1) * d));
        expect(scaledError(at(h1), at(h0)), `row ${b}`).toBeGreaterThan(1e-3);
      }
    });
  });

  it('gives the same real states for a batch cut below maxLength (wpe sliced)', () => {
    // Rows 1 and 2 have lengths 5 and 4: cut to T = 5 they lose only padding.
    const rows = [1, 2];
    const T = Math.max(...rows.map((b) => inputs.lengths[b]));
    expect(T).toBeLessThan(cfg.maxLength);
    const cut = (a: Int32Array) =>
      Int32Array.from(rows.flatMap((b) => Array.from(a.subarray(b * inputs.T, b * inputs.T + T))));
    const short: BertInputs = {
      B: rows.length,
      T,
      ids: cut(inputs.ids),
      segments: cut(inputs.segments),
      lengths: Int32Array.from(rows.map((b) => inputs.lengths[b])),
    };
    withParams((p) => {
      const full = realRows(hiddenValues(p, inputs), inputs, rows);
      const part = realRows(hiddenValues(p, short), short);
      expect(scaledError(part, full)).toBeLessThan(1e-6);
      // wpe's gradient is zero on the positions the short batch never uses.
      const y: BertTargets = {
        maskedRows: Int32Array.from([1, T + 3]),
        maskedTargets: Int32Array.from([5, 10]),
        nspLabels: Int32Array.from([0, 1]),
      };
      const { value, grads } = tf.variableGrads(() => bertLosses(p, cfg, short, y).total, [p['wpe']]);
      const dWpe = grads[p['wpe'].name].arraySync() as number[][];
      expect(dWpe.length).toBe(cfg.maxLength);
      expect(
        dWpe
          .slice(T)
          .flat()
          .every((v) => v === 0),
      ).toBe(true);
      expect(
        dWpe
          .slice(0, T)
          .flat()
          .some((v) => v !== 0),
      ).toBe(true);
      tf.dispose([value, ...Object.values(grads)]);
    });
  });
});

describe('BERT input checks and memory', () => {
  it('rejects an input longer than maxLength and an empty selection', () => {
    withParams((p) => {
      const T = cfg.maxLength + 1;
      const long: BertInputs = {
        B: 1,
        T,
        ids: new Int32Array(T),
        segments: new Int32Array(T),
        lengths: Int32Array.from([T]),
      };
      expect(() => tf.tidy(() => bertHidden(p, cfg, long))).toThrow(/maxLength/);
      const { inputs, targets } = bertGoldenBatch(golden);
      const none: BertTargets = { ...targets, maskedRows: new Int32Array(0), maskedTargets: new Int32Array(0) };
      expect(() =>
        tf.tidy(() => {
          bertLosses(p, cfg, inputs, none);
        }),
      ).toThrow(/no position/);
    });
  });

  it("leaks no tensor from a tidy'd loss and gradient computation", () => {
    withParams((p) => {
      const { inputs, targets } = bertGoldenBatch(golden);
      const names = Object.keys(p);
      for (const y of [targets, { ...targets, nspLabels: null }]) {
        const before = tf.memory().numTensors;
        const norm = tf.tidy(() => {
          const { value, grads } = tf.variableGrads(
            () => bertLosses(p, cfg, inputs, y).total,
            names.map((n) => p[n]),
          );
          expect(Number.isFinite(value.dataSync()[0])).toBe(true);
          return tf.sqrt(tf.addN(Object.values(grads).map((g) => tf.sum(tf.square(g))))).dataSync()[0];
        });
        expect(norm).toBeGreaterThan(0);
        expect(tf.memory().numTensors).toBe(before);
      }
    });
  });
});
