// Scaled dot-product attention over heads that live inside flat projections:
//   out = softmax(scale * q k^T + mask) v, per batch row b and head h,
// where q, k and v are column blocks of [B*T, width] tensors (e.g. the three
// blocks of a fused [B*T, 3d] qkv projection) and out is the flat [B*Tq, d]
// stream with head h at columns h*dh..(h+1)*dh.
//
// On wasm the products run in the strided kernel (kernels/stridedGemm.ts):
// it reads the heads in place and writes the result and the gradients of q,
// k and v in their flat layouts, with a hand-written backward pass; the
// masked softmax and its backward run as one kernel each (kernels/pointwise.ts)
// when the mask is [Tq, Tk]- or [B, 1, 1, Tk]-like, else as tfjs ops. Elsewhere
// (and on wasm without SIMD) the same function cuts the heads out with
// slice / reshape / transpose and uses tfjs's batched matMul and autodiff.
import * as tf from '@tensorflow/tfjs-core';
import { maskedSoftmax, pointwiseAvailable, softmaxBackward, softmaxMaskStrides } from './kernels/pointwise';
import { stridedGemm, stridedGemmAvailable, type Operand, type Product, type Strides } from './kernels/stridedGemm';

/** Head h of batch row b is x[b*T + t, offset + h*dh + c] for t < T, c < dh. x: [B*T, width]. */
export interface HeadSource {
  x: tf.Tensor2D;
  offset: number;
}

export interface AttentionShape {
  B: number;
  H: number;
  /** Query positions per row. */
  Tq: number;
  /** Key / value positions per row. */
  Tk: number;
  /** Width of one head. */
  dh: number;
}

/**
 * softmax(scale * q k^T + mask) v with the heads merged: -> [B*Tq, H*dh].
 * `mask` is added to the scaled scores and broadcasts to [B, H, Tq, Tk]:
 * 0 where a query may look at a key, a large negative number where not.
 */
export function attendHeads(
  q: HeadSource,
  k: HeadSource,
  v: HeadSource,
  s: AttentionShape,
  mask: tf.Tensor,
  scale: number,
): tf.Tensor2D {
  checkSource('q', q, s.B * s.Tq, s.H * s.dh);
  checkSource('k', k, s.B * s.Tk, s.H * s.dh);
  checkSource('v', v, s.B * s.Tk, s.H * s.dh);
  return stridedGemmAvailable() ? stridedAttention(q, k, v, s, mask, scale) : opsAttention(q, k, v, s, mask, scale);
}

function checkSource(what: string, src: HeadSource, rows: number, d: number): void {
  const [n, width] = src.x.shape;
  if (n !== rows || src.offset < 0 || src.offset + d > width) {
    throw new RangeError(
      `attention: ${what} needs ${rows} rows and columns ${src.offset}..${src.offset + d - 1}, got [${n}, ${width}]`,
    );
  }
}

/** The heads of a source as [B, H, T, dh], with tfjs ops. */
function headsOf(src: HeadSource, B: number, T: number, H: number, dh: number): tf.Tensor4D {
  const d = H * dh;
  const block = src.offset === 0 && src.x.shape[1] === d ? src.x : tf.slice(src.x, [0, src.offset], [-1, d]);
  return tf.transpose(tf.reshape(block, [B, T, H, dh]), [0, 2, 1, 3]) as tf.Tensor4D; // [B, T, H, dh] -> [B, H, T, dh]
}

function opsAttention(
  q: HeadSource,
  k: HeadSource,
  v: HeadSource,
  s: AttentionShape,
  mask: tf.Tensor,
  scale: number,
): tf.Tensor2D {
  const { B, H, Tq, Tk, dh } = s;
  const qh = headsOf(q, B, Tq, H, dh);
  // Scaling q ([.., Tq, dh]) is cheaper than scaling the scores ([.., Tq, Tk]).
  const scores = tf.add(tf.matMul(scale === 1 ? qh : tf.mul(qh, scale), headsOf(k, B, Tk, H, dh), false, true), mask); // [B, H, Tq, Tk]
  const att = tf.matMul(tf.softmax(scores), headsOf(v, B, Tk, H, dh)); // [B, H, Tq, dh]
  return tf.reshape(tf.transpose(att, [0, 2, 1, 3]), [B * Tq, H * dh]) as tf.Tensor2D; // [B, Tq, H, dh] -> [B*Tq, d]
}

// ---- wasm: the strided kernel ----

/**
 * Strides (batch, head, row, column) of heads in a flat [B*T, width] layout:
 * rows t and columns c, or transposed (rows c, columns t).
 */
function headStrides(T: number, width: number, dh: number, transposed = false): Strides {
  return transposed ? [T * width, dh, 1, width] : [T * width, dh, width, 1];
}

/** A source's heads as operand `input`. */
function headOperand(input: number, src: HeadSource, T: number, dh: number, transposed = false): Operand {
  return { input, offset: src.offset, strides: headStrides(T, src.x.shape[1], dh, transposed) };
}

/** A contiguous [B, H, Tq, Tk] tensor (scores, probabilities) as an operand, or its per-head transpose. */
function scoresOperand(input: number, s: AttentionShape, transposed = false): Operand {
  const { H, Tq, Tk } = s;
  return { input, offset: 0, strides: transposed ? [H * Tq * Tk, Tq * Tk, 1, Tk] : [H * Tq * Tk, Tq * Tk, Tk, 1] };
}

function scoresLayout(s: AttentionShape): Product['c'] {
  return { offset: 0, strides: scoresOperand(0, s).strides };
}

function stridedAttention(
  q: HeadSource,
  k: HeadSource,
  v: HeadSource,
  s: AttentionShape,
  mask: tf.Tensor,
  scale: number,
): tf.Tensor2D {
  const { B, H, Tq, Tk, dh } = s;
  // Distinct input tensors (self-attention: one qkv; cross-attention: q and kv).
  const xs: tf.Tensor2D[] = [];
  const indexOf = (src: HeadSource) => {
    const i = xs.indexOf(src.x);
    return i >= 0 ? i : xs.push(src.x) - 1;
  };
  const [iq, ik, iv] = [indexOf(q), indexOf(k), indexOf(v)];
  const sized = { nb: B, nh: H };
  const fused = pointwiseAvailable() && softmaxMaskStrides(mask.shape, [B, H, Tq, Tk]) !== null;

  const forward = tf.customGrad((...args: unknown[]) => {
    const inputs = args.slice(0, xs.length) as tf.Tensor2D[];
    const save = args[xs.length] as tf.GradSaveFunc;
    const src = {
      q: { x: inputs[iq], offset: q.offset },
      k: { x: inputs[ik], offset: k.offset },
      v: { x: inputs[iv], offset: v.offset },
    };
    // scores = scale q k^T: [B, H, Tq, Tk]
    const scores = stridedGemm(
      inputs,
      [B, H, Tq, Tk],
      [
        {
          a: headOperand(iq, src.q, Tq, dh),
          b: headOperand(ik, src.k, Tk, dh, true),
          c: scoresLayout(s),
          ...sized,
          m: Tq,
          n: Tk,
          k: dh,
          alpha: scale,
        },
      ],
    );
    // P = softmax(scores + mask): [B, H, Tq, Tk], in one kernel when the mask's shape allows.
    const probs = fused ? maskedSoftmax(scores as tf.Tensor4D, mask) : tf.softmax(tf.add(scores, mask));
    // out = P v, written head by head into [B*Tq, d]. Inputs: P, then the sources.
    const out = stridedGemm(
      [probs, ...inputs],
      [B * Tq, H * dh],
      [
        {
          a: scoresOperand(0, s),
          b: headOperand(1 + iv, src.v, Tk, dh),
          c: { offset: 0, strides: headStrides(Tq, H * dh, dh) },
          ...sized,
          m: Tq,
          n: dh,
          k: Tk,
          alpha: 1,
        },
      ],
    ) as tf.Tensor2D;
    save([...inputs, probs]);
    return {
      value: out,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
        attentionGrads(dy as tf.Tensor2D, saved, { q, k, v }, [iq, ik, iv], s, scale, fused),
    };
  });
  return forward(...xs) as tf.Tensor2D;
}

/**
 * Gradients of the distinct sources. With G = dL/dout ([B*Tq, d]) and P the
 * probabilities: dP = G v^T, dS = P * (dP - rowsum(dP * P)) (softmax's
 * Jacobian), dq = scale dS k, dk = scale dS^T q, dv = P^T G. Each source's
 * gradient is one new [rows, width] tensor with q's, k's and v's blocks
 * written where they came from and zeros elsewhere.
 */
function attentionGrads(
  dy: tf.Tensor2D,
  saved: tf.Tensor[],
  srcs: { q: HeadSource; k: HeadSource; v: HeadSource },
  [iq, ik, iv]: number[],
  s: AttentionShape,
  scale: number,
  fused: boolean,
): tf.Tensor[] {
  const { B, H, Tq, Tk, dh } = s;
  const xs = saved.slice(0, -1) as tf.Tensor2D[];
  const probs = saved[saved.length - 1];
  const sized = { nb: B, nh: H };
  const src = (which: 'q' | 'k' | 'v', i: number): HeadSource => ({ x: xs[i], offset: srcs[which].offset });
  // dP = G v^T: [B, H, Tq, Tk]. Inputs: G, then the sources.
  const dP = stridedGemm(
    [dy, ...xs],
    [B, H, Tq, Tk],
    [
      {
        a: { input: 0, offset: 0, strides: headStrides(Tq, H * dh, dh) },
        b: headOperand(1 + iv, src('v', iv), Tk, dh, true),
        c: scoresLayout(s),
        ...sized,
        m: Tq,
        n: Tk,
        k: dh,
        alpha: 1,
      },
    ],
  );
  const dS = fused ? softmaxBackward(probs, dP) : tf.mul(probs, tf.sub(dP, tf.sum(tf.mul(dP, probs), -1, true))); // [B, H, Tq, Tk]
  // Inputs of the gradient products: dS (0), P (1), G (2), then the sources (3 + i).
  const inputs = [dS, probs, dy, ...xs];
  return xs.map((x, i) => {
    const products: Product[] = [];
    const into = (which: 'q' | 'k' | 'v', T: number) => ({
      offset: srcs[which].offset,
      strides: headStrides(T, x.shape[1], dh),
    });
    if (iq === i) {
      products.push({
        a: scoresOperand(0, s),
        b: headOperand(3 + ik, src('k', ik), Tk, dh),
        c: into('q', Tq),
        ...sized,
        m: Tq,
        n: dh,
        k: Tk,
        alpha: scale,
      });
    }
    if (ik === i) {
      products.push({
        a: scoresOperand(0, s, true),
        b: headOperand(3 + iq, src('q', iq), Tq, dh),
        c: into('k', Tk),
        ...sized,
        m: Tk,
        n: dh,
        k: Tq,
        alpha: scale,
      });
    }
    if (iv === i) {
      products.push({
        a: scoresOperand(1, s, true),
        b: { input: 2, offset: 0, strides: headStrides(Tq, H * dh, dh) },
        c: into('v', Tk),
        ...sized,
        m: Tk,
        n: dh,
        k: Tq,
        alpha: 1,
      });
    }
    return stridedGemm(inputs, x.shape, products, !coversAllColumns(products, x.shape[1], H * dh));
  });
}

/** Whether the products' column blocks (each d wide) tile all `width` columns, so no zeroing is needed. */
function coversAllColumns(products: Product[], width: number, d: number): boolean {
  const covered = new Uint8Array(width);
  for (const p of products) covered.fill(1, p.c.offset, p.c.offset + d);
  return covered.every((c) => c === 1);
}
