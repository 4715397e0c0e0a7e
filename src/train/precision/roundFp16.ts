// FP16 rounding as tensor ops, for simulated mixed precision: every float32
// value goes to the nearest IEEE binary16 value (ties to even), subnormals
// kept, |x| >= 65520 to +/-Infinity, NaN stays NaN. The same rule as core's
// toFloat16, but on the device, so a whole gradient vector is rounded
// without a read-back. The gradient is the identity (straight-through): a
// forward pass through FP16 weights sends its gradient to the FP32 master copy.
// On the wasm backend a kernel (src/models/kernels/fp16.ts) does the same
// rounding in one pass over every tensor; the tfjs ops below serve every
// other backend and the wasm backend with its kernels forced off.
import * as tf from '@tensorflow/tfjs-core';
import { toFloat16 } from '../../core';
import { fp16Available, roundFp16Wasm } from '../../models/kernels/fp16';

/** 65504 + half a spacing (32 / 2): the first magnitude that rounds to Infinity. */
const OVERFLOW_FROM = 65520;
/** FP16's exponent range for spacing purposes: normals from 2^-14 to 2^15; subnormals share 2^-14's spacing. */
const MIN_EXP = -14;
const MAX_EXP = 15;
/**
 * Exact powers of two 2^(e-10) for e = MIN_EXP-1 .. MAX_EXP+1: the spacing of
 * FP16 numbers in [2^e, 2^(e+1)). A table and a gather instead of pow(2, e),
 * which GPU backends compute as exp2(e log2 2) and need not get exact.
 */
const SPACING = Float32Array.from({ length: MAX_EXP - MIN_EXP + 3 }, (_, i) => 2 ** (MIN_EXP - 1 + i - 10));

/** 2^(e - 10) for an integer-valued float tensor e in [MIN_EXP - 1, MAX_EXP + 1]. */
function spacingOf(e: tf.Tensor): tf.Tensor {
  const index = tf.cast(tf.sub(e, MIN_EXP - 1), 'int32');
  return tf.reshape(tf.gather(tf.tensor1d(SPACING), tf.reshape(index, [-1])), e.shape);
}

/** Round half to even, written out so every backend agrees (tf.round's tie rule differs between kernels). */
function roundHalfEven(y: tf.Tensor): tf.Tensor {
  const base = tf.floor(y);
  const frac = tf.sub(y, base);
  const odd = tf.mod(base, 2); // 0 or 1 for integer-valued base (mod follows the divisor's sign)
  const up = tf.add(tf.greater(frac, 0.5), tf.logicalAnd(tf.equal(frac, 0.5), tf.equal(odd, 1)));
  return tf.add(base, tf.cast(up, 'float32'));
}

/** True when the wasm kernel rounds these tensors (wasm backend, kernel loaded, all float32). */
function kernelRounds(tensors: tf.Tensor[]): boolean {
  return tensors.every((t) => t.dtype === 'float32') && fp16Available();
}

function roundFp16Forward(x: tf.Tensor): tf.Tensor {
  if (kernelRounds([x])) return roundFp16Wasm([x])[0];
  return roundFp16Ops(x);
}

function roundFp16Ops(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const nan = tf.isNaN(x);
    const a = tf.where(nan, tf.zerosLike(x), tf.abs(x)); // |x|, NaN -> 0 so the index math stays in range
    const finiteA = tf.minimum(a, OVERFLOW_FROM); // Infinity -> a finite stand-in; replaced below
    // floor(log2 a), clamped; log of 0 is -Infinity, which the clamp turns into MIN_EXP.
    let e = tf.clipByValue(tf.floor(tf.div(tf.log(finiteA), Math.LN2)), MIN_EXP, MAX_EXP);
    // log2 in float32 can be one off next to a power of two: correct it with exact comparisons
    // (a >= 2^(e+1) means e is one too small; a < 2^e means one too large, unless e is at the floor).
    const lower = tf.mul(spacingOf(e), 1024); // 2^e
    e = tf.add(
      e,
      tf.sub(
        tf.cast(tf.greaterEqual(finiteA, tf.mul(lower, 2)), 'float32'),
        tf.cast(tf.logicalAnd(tf.less(finiteA, lower), tf.greater(e, MIN_EXP)), 'float32'),
      ),
    );
    e = tf.clipByValue(e, MIN_EXP, MAX_EXP);
    const spacing = spacingOf(e);
    // a / spacing < 2^12 is exact in float32 (a power-of-two division), so this is the one rounding.
    const rounded = tf.mul(roundHalfEven(tf.div(finiteA, spacing)), spacing);
    const magnitude = tf.where(tf.greaterEqual(a, OVERFLOW_FROM), tf.fill(x.shape, Infinity), rounded);
    // sign(x) * magnitude, keeping -0 for negative inputs that round to zero.
    // -0 is negative too: 1 / -0 = -Infinity.
    const negative = tf.logicalOr(tf.less(x, 0), tf.less(tf.div(1, x), 0));
    const signed = tf.where(negative, tf.neg(magnitude), magnitude);
    return tf.where(nan, x, signed);
  });
}

const straightThrough = tf.customGrad(((x: tf.Tensor) => ({
  value: roundFp16Ops(x),
  gradFunc: (dy: tf.Tensor) => dy,
})) as unknown as Parameters<typeof tf.customGrad>[0]);

/** Nearest FP16 value of every element (float32 in, float32 out); the gradient passes straight through. */
export function roundFp16(x: tf.Tensor): tf.Tensor {
  // The kernel's registered gradient is already the identity.
  if (kernelRounds([x])) return roundFp16Wasm([x])[0];
  return straightThrough(x);
}

/**
 * Rounds a set of named tensors in one pass: on wasm one kernel call with an
 * output per tensor; elsewhere flattened into one vector, rounded, split
 * back (about 25 kernels whatever the number of tensors). Not meant to be
 * differentiated (the wasm kernel's gradient is the identity, the ops' is not):
 * use roundFp16AllStraightThrough inside a gradient.
 */
export function roundFp16All(tensors: Record<string, tf.Tensor>): Record<string, tf.Tensor> {
  const kernel = roundAllWithKernel(tensors);
  return kernel ?? tf.tidy(() => splitLike(tensors, roundFp16Ops(flatten(tensors))));
}

/** roundFp16All with the straight-through gradient: the FP16 view of FP32 master weights for a forward pass. */
export function roundFp16AllStraightThrough(tensors: Record<string, tf.Tensor>): Record<string, tf.Tensor> {
  const kernel = roundAllWithKernel(tensors);
  return kernel ?? tf.tidy(() => splitLike(tensors, roundFp16(flatten(tensors))));
}

/** Every tensor rounded by the wasm kernel (names and shapes kept, straight-through gradient), or null where it cannot run. */
function roundAllWithKernel(tensors: Record<string, tf.Tensor>): Record<string, tf.Tensor> | null {
  const names = Object.keys(tensors);
  const list = names.map((n) => tensors[n]);
  if (list.length === 0 || !kernelRounds(list)) return null;
  const out = roundFp16Wasm(list);
  return Object.fromEntries(names.map((n, i) => [n, out[i]]));
}

function flatten(tensors: Record<string, tf.Tensor>): tf.Tensor {
  return tf.concat(Object.values(tensors).map((t) => tf.reshape(t, [-1])));
}

/** The inverse of flatten: the flat vector cut into the shapes of `like`, same names. */
function splitLike(like: Record<string, tf.Tensor>, flat: tf.Tensor): Record<string, tf.Tensor> {
  const names = Object.keys(like);
  const parts = tf.split(
    flat,
    names.map((n) => like[n].size),
  );
  return Object.fromEntries(names.map((n, i) => [n, tf.reshape(parts[i], like[n].shape)]));
}

/**
 * Values that exercise every rule: zeros, the overflow edge, infinities, NaN,
 * the underflow edge, and around every power of two from 2^-30 to 2^16 the
 * power itself, its float32 neighbours and ties between FP16 neighbours.
 */
export function fp16EdgeCases(): Float32Array {
  const v: number[] = [0, -0, 1, -1, 65504, 65519.99, 65520, -65520, 65536, 1e9, Infinity, -Infinity, NaN];
  v.push(2 ** -24, 2 ** -25, 2 ** -25 * 1.0001, 2 ** -26, 3 * 2 ** -26, 2 ** -14, 2 ** -14 - 2 ** -25);
  for (let e = -30; e <= 16; e++) {
    const p = 2 ** e;
    v.push(
      p,
      p * (1 + 2 ** -23),
      p * (1 - 2 ** -24),
      p * (1 + 2 ** -11),
      -p * (1 + 3 * 2 ** -11),
      p * (1 + 2 ** -10 + 2 ** -11),
    );
  }
  return Float32Array.from(v);
}

/**
 * Runs roundFp16 on the active backend over fp16EdgeCases and compares with
 * core's toFloat16. GPU backends compute in their own float arithmetic, so a
 * session that simulates FP16 checks this first and refuses to run on a
 * backend that gets it wrong. Returns the mismatches (empty when exact).
 */
export async function fp16RoundingMismatches(): Promise<string[]> {
  const x = fp16EdgeCases();
  const out = tf.tidy(() => roundFp16Forward(tf.tensor1d(x)));
  const got = await out.data();
  out.dispose();
  const same = (a: number, b: number) => (Number.isNaN(a) && Number.isNaN(b)) || a === b;
  const wrong: string[] = [];
  // Signed zeros are compared as equal: GPU backends may not keep -0, and it changes no update.
  x.forEach((xi, i) => {
    if (!same(got[i], toFloat16(xi))) wrong.push(`${xi} -> ${got[i]} (FP16: ${toFloat16(xi)})`);
  });
  return wrong;
}
