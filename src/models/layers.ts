// Building blocks of the tiny GPT with hand-written gradients.
//
// tfjs differentiates composite ops kernel by kernel: a layer norm written as
// 9 ops gets ~25 backward kernels, and matMul's own gradient uses transposed
// products, which wasm runs ~10x slower than plain ones (products.ts). Each
// function here is one `tf.customGrad` whose backward is the textbook formula
// in few kernels, built from the fast forms in products.ts. Every 2-D product
// goes through products.ts, which on wasm also works around XNNPACK's operator
// cache (keyed by buffer, not shape; see there). The golden tests (gpt.test.ts,
// gpt.wasm.test.ts; fixture from scripts/golden/gpt_golden.py) check every
// gradient against PyTorch autograd, layers.test.ts against tfjs autodiff of
// the plain formulas, layers.wasm.test.ts wasm against cpu.
import * as tf from '@tensorflow/tfjs-core';
import {
  crossEntropyBackward,
  crossEntropyForward,
  geluBackward,
  geluForward,
  pointwiseAvailable,
} from './kernels/pointwise';
import { colSum, matMul, matMulBias, matMulNT, matMulTN, rows, rowsGrad } from './products';
import { layerNormAvailable, layerNormBackward, layerNormForward } from './kernels/layerNorm';

type Forward = (
  inputs: tf.Tensor[],
  save: tf.GradSaveFunc,
) => { value: tf.Tensor; gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor | tf.Tensor[] };

/**
 * tf.customGrad with typed inputs. Tensors the backward pass needs must go
 * through save(): everything else made in the forward pass is disposed
 * before backward runs. The backward returns one gradient per input.
 */
function customOp(forward: Forward): (...inputs: tf.Tensor[]) => tf.Tensor {
  const f = (...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const save = args[args.length - 1] as tf.GradSaveFunc;
    return forward(args.slice(0, -1) as tf.Tensor[], save);
  };
  return tf.customGrad(f as Parameters<typeof tf.customGrad>[0]);
}

/** PyTorch's nn.LayerNorm default. */
export const LAYER_NORM_EPS = 1e-5;

/**
 * Layer norm over the last axis with gain g and bias b (biased variance, as
 * PyTorch): y = (x - mean) / sqrt(var + eps) * g + b.
 * x: [N, C], g: [C], b: [C] -> [N, C].
 * On wasm both passes are one kernel each (kernels/layerNorm.ts), same math.
 */
export function layerNorm(x: tf.Tensor2D, g: tf.Tensor1D, b: tf.Tensor1D, eps = LAYER_NORM_EPS): tf.Tensor2D {
  if (x.shape[1] > 0 && layerNormAvailable()) {
    const fused = customOp(([x, g, b], save) => {
      const [y, xhat, rstd] = layerNormForward(x as tf.Tensor2D, g as tf.Tensor1D, b as tf.Tensor1D, eps);
      save([xhat, rstd, g]);
      return {
        value: y,
        gradFunc: (dy, saved) => {
          const [xhat, rstd, g] = saved;
          return layerNormBackward(dy, xhat, rstd, g);
        },
      };
    });
    return fused(x, g, b) as tf.Tensor2D;
  }
  const op = customOp(([x, g, b], save) => {
    const mu = tf.mean(x, -1, true); // [N, 1]
    const xc = tf.sub(x, mu); // [N, C]
    const variance = tf.mean(tf.square(xc), -1, true); // [N, 1]
    const rstd = tf.rsqrt(tf.add(variance, eps)); // [N, 1]
    const xhat = tf.mul(xc, rstd); // [N, C]
    save([xhat, rstd, g]);
    return {
      value: tf.add(tf.mul(xhat, g), b),
      gradFunc: (dy, saved) => {
        const [xhat, rstd, g] = saved;
        const dxhat = tf.mul(dy, g); // [N, C]
        // dx = rstd * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat))
        const dx = tf.mul(
          tf.sub(tf.sub(dxhat, tf.mean(dxhat, -1, true)), tf.mul(xhat, tf.mean(tf.mul(dxhat, xhat), -1, true))),
          rstd,
        );
        return [dx, colSum(tf.mul(dy, xhat) as tf.Tensor2D), colSum(dy as tf.Tensor2D)];
      },
    };
  });
  return op(x, g, b) as tf.Tensor2D;
}

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
const GELU_A = 0.044715;
// 0.5 * (1 + tanh(u)) = sigmoid(2u), so the tanh GELU is x * sigmoid(2u) with
// 2u = x * (C1 + C3 * x^2): one sigmoid instead of tanh, add 1, halve.
const GELU_C1 = 2 * SQRT_2_OVER_PI;
const GELU_C3 = 2 * SQRT_2_OVER_PI * GELU_A;

/**
 * GELU, tanh approximation (GPT-2's): 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))).
 * Any shape; elementwise.
 */
export function geluTanh<T extends tf.Tensor>(x: T): T {
  // On wasm, one fused kernel each way (kernels/pointwise.wat, same formulas).
  if (x.dtype === 'float32' && pointwiseAvailable()) {
    const fused = customOp(([x], save) => {
      const [y, s] = geluForward(x);
      save([x, s]);
      return { value: y, gradFunc: (dy, [x, s]) => geluBackward(dy, x, s) };
    });
    return fused(x) as T;
  }
  const op = customOp(([x], save) => {
    const x2 = tf.square(x);
    const s = tf.sigmoid(tf.mul(x, tf.add(tf.mul(x2, GELU_C3), GELU_C1))); // sigmoid(2u)
    save([x, x2, s]);
    return {
      value: tf.mul(x, s),
      gradFunc: (dy, saved) => {
        const [x, x2, s] = saved;
        // d/dx [x s(2u)] = s + x s (1 - s) d(2u)/dx, with d(2u)/dx = C1 + 3 C3 x^2.
        const ds = tf.mul(tf.mul(s, tf.sub(1, s)), tf.mul(x, tf.add(tf.mul(x2, 3 * GELU_C3), GELU_C1)));
        return tf.mul(dy, tf.add(s, ds));
      },
    };
  });
  return op(x) as T;
}

/**
 * Token plus position embeddings, flat: table[ids[b, t]] + pos[t].
 * table: [V, C], pos: [T, C], ids: int32 [B, T] -> [B*T, C].
 *
 * tf.gather's own gradient needs UnsortedSegmentSum, which wasm lacks
 * (tfjs #8082), so the backward pass is written out: d table adds dy's rows
 * into the rows ids name (products.ts rowsGrad), d pos = dy summed over the
 * batch. On wasm both directions are row-copy kernels (kernels/rows.wat).
 */
export function embed(table: tf.Tensor2D, pos: tf.Tensor2D, ids: tf.Tensor2D): tf.Tensor2D {
  const [B, T] = ids.shape;
  const [V, C] = table.shape;
  // `ids` goes through save(): tensors made inside the forward pass are
  // disposed before the backward pass runs, saved ones are kept for it.
  const op = customOp(([table, pos], save) => {
    const flatIds = tf.reshape(ids, [B * T]) as tf.Tensor1D;
    save([flatIds]);
    const tok = rows(table as tf.Tensor2D, flatIds); // [B*T, C]
    return {
      value: tf.reshape(tf.add(tf.reshape(tok, [B, T, C]), pos), [B * T, C]),
      gradFunc: (dy, saved) => {
        const dTable = rowsGrad(dy as tf.Tensor2D, saved[0] as tf.Tensor1D, V); // [V, C]
        // dy's buffer again as [B, T*C]. If the XNNPACK fallback gave it to XNNPACK
        // as [B*T, C], colSum must not reuse that operator: products.ts.
        const dPos = tf.reshape(colSum(tf.reshape(dy, [B, T * C]) as tf.Tensor2D), [T, C]);
        return [dTable, dPos];
      },
    };
  });
  return op(table, pos) as tf.Tensor2D;
}

/**
 * Rows `idx` of x, e.g. the masked positions of a flat hidden-state stream.
 * x: [N, C], idx: int32 [M] -> [M, C]. Written out for the same reason as
 * embed: tf.gather's gradient needs UnsortedSegmentSum, which wasm lacks.
 * Backward: dx[n] = sum of dy[m] over idx[m] = n, so rows picked twice get
 * both gradients (products.ts rowsGrad).
 */
export function selectRows(x: tf.Tensor2D, idx: tf.Tensor1D): tf.Tensor2D {
  const N = x.shape[0];
  const op = customOp(([x], save) => {
    save([idx]);
    return {
      value: rows(x as tf.Tensor2D, idx),
      gradFunc: (dy, saved) => rowsGrad(dy as tf.Tensor2D, saved[0] as tf.Tensor1D, N), // [N, C]
    };
  });
  return op(x) as tf.Tensor2D;
}

/** y = x W + b. x: [N, I], w: [I, O], b: [O] -> [N, O]. One fused kernel forward. */
export function linear(x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D): tf.Tensor2D {
  const op = customOp(([x, w, b], save) => {
    save([x, w]);
    return {
      value: matMulBias(x as tf.Tensor2D, w as tf.Tensor2D, b as tf.Tensor1D),
      gradFunc: (dy, saved) => {
        const [x, w] = saved as tf.Tensor2D[];
        const dy2 = dy as tf.Tensor2D;
        return [matMulNT(dy2, w), matMulTN(x, dy2), colSum(dy2)];
      },
    };
  });
  return op(x, w, b) as tf.Tensor2D;
}

/** Output layer with the tied embedding: h E^T. h: [N, C], table: [V, C] -> [N, V]. */
export function tiedLogits(h: tf.Tensor2D, table: tf.Tensor2D): tf.Tensor2D {
  const op = customOp(([h, table], save) => {
    save([h, table]);
    return {
      value: matMulNT(h as tf.Tensor2D, table as tf.Tensor2D),
      gradFunc: (dy, saved) => {
        const [h, table] = saved as tf.Tensor2D[];
        const dy2 = dy as tf.Tensor2D; // [N, V]
        return [matMul(dy2, table), matMulTN(dy2, h)];
      },
    };
  });
  return op(h, table) as tf.Tensor2D;
}

/**
 * Softmax cross-entropy per row, numerically stable (log-sum-exp with the row
 * max subtracted). logits: [N, V], targets: int32 [N].
 * reduction 'none' -> [N] of -log softmax(logits)[target]; 'mean' -> scalar.
 * Backward is (softmax - onehot) * dy, computed from the saved log-sum-exp.
 */
export function crossEntropy(logits: tf.Tensor2D, targets: tf.Tensor1D, reduction: 'none'): tf.Tensor1D;
export function crossEntropy(logits: tf.Tensor2D, targets: tf.Tensor1D, reduction: 'mean'): tf.Scalar;
export function crossEntropy(
  logits: tf.Tensor2D,
  targets: tf.Tensor1D,
  reduction: 'none' | 'mean',
): tf.Tensor1D | tf.Scalar {
  const [N, V] = logits.shape;
  // On wasm, one fused kernel each way (kernels/pointwise.wat, same formulas).
  if (logits.dtype === 'float32' && targets.dtype === 'int32' && pointwiseAvailable()) {
    const fused = customOp(([logits], save) => {
      const [nll, stats] = crossEntropyForward(logits as tf.Tensor2D, targets);
      save([logits, targets, stats]);
      const value = reduction === 'mean' ? tf.mean(nll) : nll;
      return {
        value,
        gradFunc: (dy, [logits, targets, stats]) =>
          crossEntropyBackward(logits as tf.Tensor2D, targets as tf.Tensor1D, stats as tf.Tensor2D, dy, reduction),
      };
    });
    return fused(logits) as tf.Tensor1D | tf.Scalar;
  }
  const op = customOp(([logits], save) => {
    const oneHot = tf.cast(tf.oneHot(targets, V), 'float32'); // [N, V]
    const z = tf.sub(logits, tf.max(logits, -1, true)); // [N, V], max 0 per row
    const lse = tf.log(tf.sum(tf.exp(z), -1, true)); // [N, 1]
    const nll = tf.sub(lse, tf.sum(tf.mul(z, oneHot), -1, true)); // [N, 1]
    save([z, lse, oneHot]);
    return {
      value: reduction === 'mean' ? tf.mean(nll) : tf.reshape(nll, [N]),
      gradFunc: (dy, saved) => {
        const [z, lse, oneHot] = saved;
        const dLogits = tf.sub(tf.exp(tf.sub(z, lse)), oneHot); // softmax - onehot, [N, V]
        const scale = reduction === 'mean' ? tf.div(dy, N) : tf.reshape(dy, [N, 1]);
        return tf.mul(dLogits, scale);
      },
    };
  });
  return op(logits) as tf.Tensor1D | tf.Scalar;
}
