;; Fused elementwise kernels for tfjs's wasm backend: the tanh GELU and the
;; softmax cross-entropy, forward and backward, each one pass over its data
;; instead of the ~10 tfjs ops (and as many passes and temporaries) that
;; layers.ts builds them from elsewhere; and attention's masked softmax,
;; forward and backward (attention.ts), in place of tfjs's add, softmax,
;; mul, sum and sub.
;;
;; WebAssembly has no exp or log instruction, so both are written here, in
;; float64 (two lanes of f64x2 at a time for exp), and rounded to float32 only
;; at the end: the results are within about one float32 ulp of Math.exp and
;; Math.log, like tfjs's cpu backend. The float32 arithmetic around them
;; follows layers.ts's formulas operation by operation, in the same order.
;;
;; It shares the linear memory of tfjs's wasm module; every address below is
;; a byte offset into it. src/models/kernels/pointwise.ts checks shapes,
;; dtypes and target ids before calling.
;;
;; Compiled to pointwiseBinary.ts by `npm run kernels` (scripts/build_kernels.mjs).
(module
  (import "env" "memory" (memory 1))

  ;; e^z for the four float32 lanes of z, computed in float64 and returned as
  ;; two f64x2 (lanes 0-1, lanes 2-3); the two halves are independent chains
  ;; written side by side so the CPU overlaps them. z is clamped to [-708, 708]
  ;; (pmin/pmax keep a NaN), where e^z is a normal float64, so a float32 result
  ;; overflows to inf and underflows to 0 as float32 exp does. z = n ln2 + r
  ;; with n = nearest(z / ln2), |r| <= ln2 / 2 (n ln2 rounded: an error under
  ;; 3e-14, as float32 inputs need no more); e^r by its Taylor polynomial of
  ;; degree 7 (error < 6e-9 relative, under a tenth of a float32 ulp), in
  ;; Estrin's form for a short dependency chain; 2^n from exponent bits:
  ;; adding 1.5 * 2^52 to z / ln2 leaves n in k's low mantissa bits, and k's
  ;; bits shifted left by 52 are n's (1.5 * 2^52 has 12 zero low bits).
  (func $exp4 (param $z v128) (result v128 v128)
    (local $x0 v128) (local $x1 v128) (local $k0 v128) (local $k1 v128) (local $n0 v128) (local $n1 v128)
    (local $r0 v128) (local $r1 v128) (local $q0 v128) (local $q1 v128) (local $o0 v128) (local $o1 v128)
    (local.set $z (f32x4.pmin (f32x4.pmax (local.get $z) (v128.const f32x4 -708 -708 -708 -708)) (v128.const f32x4 708 708 708 708)))
    (local.set $x0 (f64x2.promote_low_f32x4 (local.get $z)))
    (local.set $x1 (f64x2.promote_low_f32x4 (call $high (local.get $z))))
    (local.set $k0
      (f64x2.add
        (f64x2.mul (local.get $x0) (v128.const f64x2 1.4426950408889634 1.4426950408889634))
        (v128.const f64x2 6755399441055744 6755399441055744)))
    (local.set $k1
      (f64x2.add
        (f64x2.mul (local.get $x1) (v128.const f64x2 1.4426950408889634 1.4426950408889634))
        (v128.const f64x2 6755399441055744 6755399441055744)))
    (local.set $n0 (f64x2.sub (local.get $k0) (v128.const f64x2 6755399441055744 6755399441055744)))
    (local.set $n1 (f64x2.sub (local.get $k1) (v128.const f64x2 6755399441055744 6755399441055744)))
    (local.set $r0 (f64x2.sub (local.get $x0) (f64x2.mul (local.get $n0) (v128.const f64x2 0.6931471805599453 0.6931471805599453))))
    (local.set $r1 (f64x2.sub (local.get $x1) (f64x2.mul (local.get $n1) (v128.const f64x2 0.6931471805599453 0.6931471805599453))))
    ;; q = r^2; o = (1 + r) + q (1/2 + r/6) + q^2 ((1/24 + r/120) + q (1/720 + r/5040)).
    (local.set $q0 (f64x2.mul (local.get $r0) (local.get $r0)))
    (local.set $q1 (f64x2.mul (local.get $r1) (local.get $r1)))
    (local.set $o0
      (f64x2.add
        (f64x2.add
          (f64x2.add (v128.const f64x2 1 1) (local.get $r0))
          (f64x2.mul (local.get $q0)
            (f64x2.add (v128.const f64x2 0.5 0.5)
              (f64x2.mul (local.get $r0) (v128.const f64x2 0.16666666666666666 0.16666666666666666)))))
        (f64x2.mul (f64x2.mul (local.get $q0) (local.get $q0))
          (f64x2.add
            (f64x2.add (v128.const f64x2 4.1666666666666664e-2 4.1666666666666664e-2)
              (f64x2.mul (local.get $r0) (v128.const f64x2 8.333333333333333e-3 8.333333333333333e-3)))
            (f64x2.mul (local.get $q0)
              (f64x2.add (v128.const f64x2 1.388888888888889e-3 1.388888888888889e-3)
                (f64x2.mul (local.get $r0) (v128.const f64x2 1.984126984126984e-4 1.984126984126984e-4))))))))
    (local.set $o1
      (f64x2.add
        (f64x2.add
          (f64x2.add (v128.const f64x2 1 1) (local.get $r1))
          (f64x2.mul (local.get $q1)
            (f64x2.add (v128.const f64x2 0.5 0.5)
              (f64x2.mul (local.get $r1) (v128.const f64x2 0.16666666666666666 0.16666666666666666)))))
        (f64x2.mul (f64x2.mul (local.get $q1) (local.get $q1))
          (f64x2.add
            (f64x2.add (v128.const f64x2 4.1666666666666664e-2 4.1666666666666664e-2)
              (f64x2.mul (local.get $r1) (v128.const f64x2 8.333333333333333e-3 8.333333333333333e-3)))
            (f64x2.mul (local.get $q1)
              (f64x2.add (v128.const f64x2 1.388888888888889e-3 1.388888888888889e-3)
                (f64x2.mul (local.get $r1) (v128.const f64x2 1.984126984126984e-4 1.984126984126984e-4))))))))
    ;; times 2^n: the integer n sits in k's low bits; shift it into the exponent.
    (f64x2.mul
      (local.get $o0)
      (i64x2.add (i64x2.shl (local.get $k0) (i32.const 52)) (v128.const i64x2 0x3ff0000000000000 0x3ff0000000000000)))
    (f64x2.mul
      (local.get $o1)
      (i64x2.add (i64x2.shl (local.get $k1) (i32.const 52)) (v128.const i64x2 0x3ff0000000000000 0x3ff0000000000000))))

  ;; Natural log of a positive normal float64 (inf and NaN pass through).
  ;; x = 2^e m with m in [sqrt(1/2), sqrt(2)); log m = 2 atanh(f) with
  ;; f = (m - 1) / (m + 1), |f| < 0.172, by its series to f^17.
  (func $log (param $x f64) (result f64)
    (local $bits i64) (local $e f64) (local $m f64) (local $f f64) (local $f2 f64) (local $s f64)
    (if (i32.eqz (f64.lt (local.get $x) (f64.const inf))) (then (return (local.get $x))))
    (local.set $bits (i64.reinterpret_f64 (local.get $x)))
    (local.set $e (f64.convert_i64_s (i64.sub (i64.shr_u (local.get $bits) (i64.const 52)) (i64.const 1023))))
    (local.set $m
      (f64.reinterpret_i64
        (i64.or (i64.and (local.get $bits) (i64.const 0x000fffffffffffff)) (i64.const 0x3ff0000000000000))))
    (if (f64.gt (local.get $m) (f64.const 1.4142135623730951)) (then
      (local.set $m (f64.mul (local.get $m) (f64.const 0.5)))
      (local.set $e (f64.add (local.get $e) (f64.const 1)))))
    (local.set $f (f64.div (f64.sub (local.get $m) (f64.const 1)) (f64.add (local.get $m) (f64.const 1))))
    (local.set $f2 (f64.mul (local.get $f) (local.get $f)))
    ;; Horner: sum of f2^i / (2i + 1) for i <= 8.
    (local.set $s (f64.const 0.058823529411764705))
    (local.set $s (f64.add (f64.mul (local.get $s) (local.get $f2)) (f64.const 0.06666666666666667)))
    (local.set $s (f64.add (f64.mul (local.get $s) (local.get $f2)) (f64.const 0.07692307692307693)))
    (local.set $s (f64.add (f64.mul (local.get $s) (local.get $f2)) (f64.const 0.09090909090909091)))
    (local.set $s (f64.add (f64.mul (local.get $s) (local.get $f2)) (f64.const 0.1111111111111111)))
    (local.set $s (f64.add (f64.mul (local.get $s) (local.get $f2)) (f64.const 0.14285714285714285)))
    (local.set $s (f64.add (f64.mul (local.get $s) (local.get $f2)) (f64.const 0.2)))
    (local.set $s (f64.add (f64.mul (local.get $s) (local.get $f2)) (f64.const 0.3333333333333333)))
    (local.set $s (f64.add (f64.mul (local.get $s) (local.get $f2)) (f64.const 1)))
    (f64.add
      (f64.mul (local.get $e) (f64.const 0.6931471805599453))
      (f64.mul (f64.mul (local.get $f) (f64.const 2)) (local.get $s))))

  ;; Float32 lanes 2 and 3 of v moved to lanes 0 and 1.
  (func $high (param $v v128) (result v128)
    (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v)))

  ;; Four float32 lanes from two f64x2 (lanes of a, then lanes of b).
  (func $join (param $a v128) (param $b v128) (result v128)
    (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
      (f32x4.demote_f64x2_zero (local.get $a)) (f32x4.demote_f64x2_zero (local.get $b))))

  ;; 1 / (1 + e^-t) for four float32 lanes, computed in float64.
  (func $sigmoid4 (param $t v128) (result v128)
    (local $e0 v128) (local $e1 v128)
    (call $exp4 (f32x4.neg (local.get $t)))
    (local.set $e1)
    (local.set $e0)
    (call $join
      (f64x2.div (v128.const f64x2 1 1) (f64x2.add (v128.const f64x2 1 1) (local.get $e0)))
      (f64x2.div (v128.const f64x2 1 1) (f64x2.add (v128.const f64x2 1 1) (local.get $e1)))))

  ;; 2u = x (C1 + C3 x^2) in float32, as layers.ts: C1 = 2 sqrt(2/pi), C3 = C1 * 0.044715.
  (func $twoU4 (param $x v128) (result v128)
    (f32x4.mul (local.get $x)
      (f32x4.add
        (f32x4.mul (f32x4.mul (local.get $x) (local.get $x)) (v128.const f32x4 0.071354813873767853 0.071354813873767853 0.071354813873767853 0.071354813873767853))
        (v128.const f32x4 1.5957691669464111 1.5957691669464111 1.5957691669464111 1.5957691669464111))))

  ;; GELU forward over n floats: s = sigmoid(2u), y = x s. s is kept for the
  ;; backward pass. The last n % 4 go through the same 4-lane code one at a
  ;; time (splatted), so every element gets the same arithmetic.
  (func (export "geluForward") (param $x i32) (param $y i32) (param $s i32) (param $n i32)
    (local $i i32) (local $end i32) (local $o i32) (local $xv v128) (local $sv v128)
    (local.set $end (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2)))
    (block $done4 (loop $four
      (br_if $done4 (i32.ge_u (local.get $i) (local.get $end)))
      (local.set $xv (v128.load (i32.add (local.get $x) (local.get $i))))
      (local.set $sv (call $sigmoid4 (call $twoU4 (local.get $xv))))
      (v128.store (i32.add (local.get $s) (local.get $i)) (local.get $sv))
      (v128.store (i32.add (local.get $y) (local.get $i)) (f32x4.mul (local.get $xv) (local.get $sv)))
      (local.set $i (i32.add (local.get $i) (i32.const 16)))
      (br $four)))
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $done (loop $one
      (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
      (local.set $xv (f32x4.splat (f32.load (i32.add (local.get $x) (local.get $i)))))
      (local.set $sv (call $sigmoid4 (call $twoU4 (local.get $xv))))
      (f32.store (i32.add (local.get $s) (local.get $i)) (f32x4.extract_lane 0 (local.get $sv)))
      (f32.store (i32.add (local.get $y) (local.get $i))
        (f32x4.extract_lane 0 (f32x4.mul (local.get $xv) (local.get $sv))))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $one))))

  ;; dx = dy (s + s (1 - s) x (C1 + 3 C3 x^2)) for four lanes, in layers.ts's order.
  (func $geluGrad4 (param $dy v128) (param $x v128) (param $s v128) (result v128)
    (f32x4.mul (local.get $dy)
      (f32x4.add (local.get $s)
        (f32x4.mul
          (f32x4.mul (local.get $s) (f32x4.sub (v128.const f32x4 1 1 1 1) (local.get $s)))
          (f32x4.mul (local.get $x)
            (f32x4.add
              (f32x4.mul (f32x4.mul (local.get $x) (local.get $x)) (v128.const f32x4 0.21406444907188416 0.21406444907188416 0.21406444907188416 0.21406444907188416))
              (v128.const f32x4 1.5957691669464111 1.5957691669464111 1.5957691669464111 1.5957691669464111)))))))

  ;; GELU backward over n floats, from x and the s saved by geluForward.
  (func (export "geluBackward") (param $dy i32) (param $x i32) (param $s i32) (param $dx i32) (param $n i32)
    (local $i i32) (local $end i32)
    (local.set $end (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2)))
    (block $done4 (loop $four
      (br_if $done4 (i32.ge_u (local.get $i) (local.get $end)))
      (v128.store (i32.add (local.get $dx) (local.get $i))
        (call $geluGrad4
          (v128.load (i32.add (local.get $dy) (local.get $i)))
          (v128.load (i32.add (local.get $x) (local.get $i)))
          (v128.load (i32.add (local.get $s) (local.get $i)))))
      (local.set $i (i32.add (local.get $i) (i32.const 16)))
      (br $four)))
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $done (loop $one
      (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
      (f32.store (i32.add (local.get $dx) (local.get $i))
        (f32x4.extract_lane 0
          (call $geluGrad4
            (f32x4.splat (f32.load (i32.add (local.get $dy) (local.get $i))))
            (f32x4.splat (f32.load (i32.add (local.get $x) (local.get $i))))
            (f32x4.splat (f32.load (i32.add (local.get $s) (local.get $i)))))))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $one))))

  ;; Largest of the v floats at p.
  (func $rowMax (param $p i32) (param $v i32) (result f32)
    (local $i i32) (local $end i32) (local $mv v128) (local $m f32)
    (local.set $mv (v128.const f32x4 -inf -inf -inf -inf))
    (local.set $end (i32.shl (i32.and (local.get $v) (i32.const -4)) (i32.const 2)))
    (block $done4 (loop $four
      (br_if $done4 (i32.ge_u (local.get $i) (local.get $end)))
      (local.set $mv (f32x4.max (local.get $mv) (v128.load (i32.add (local.get $p) (local.get $i)))))
      (local.set $i (i32.add (local.get $i) (i32.const 16)))
      (br $four)))
    (local.set $m
      (f32.max
        (f32.max (f32x4.extract_lane 0 (local.get $mv)) (f32x4.extract_lane 1 (local.get $mv)))
        (f32.max (f32x4.extract_lane 2 (local.get $mv)) (f32x4.extract_lane 3 (local.get $mv)))))
    (local.set $end (i32.shl (local.get $v) (i32.const 2)))
    (block $done (loop $one
      (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
      (local.set $m (f32.max (local.get $m) (f32.load (i32.add (local.get $p) (local.get $i)))))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $one)))
    (local.get $m))

  ;; Softmax cross-entropy forward, rows of v logits: for each row r,
  ;; m = max, z = logits - m (float32), lse = log(sum e^z) (sum in float64),
  ;; nll[r] = lse - z[target] (float32; a target outside [0, v) picks 0, as a
  ;; one-hot row of zeros does). stats[r] = (m, lse), for the backward pass.
  (func (export "crossEntropyForward")
    (param $logits i32) (param $targets i32) (param $nll i32) (param $stats i32) (param $rows i32) (param $v i32)
    (local $r i32) (local $p i32) (local $i i32) (local $end i32) (local $t i32)
    (local $m f32) (local $mv v128) (local $z v128) (local $acc v128) (local $tail f64) (local $lse f32) (local $zt f32)
    (block $rowsDone (loop $row
      (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $p (i32.add (local.get $logits) (i32.shl (i32.mul (local.get $r) (local.get $v)) (i32.const 2))))
      (local.set $m (call $rowMax (local.get $p) (local.get $v)))
      (local.set $mv (f32x4.splat (local.get $m)))
      (local.set $acc (v128.const f64x2 0 0))
      (local.set $tail (f64.const 0))
      (local.set $i (i32.const 0))
      (local.set $end (i32.shl (i32.and (local.get $v) (i32.const -4)) (i32.const 2)))
      (block $done4 (loop $four
        (br_if $done4 (i32.ge_u (local.get $i) (local.get $end)))
        (call $exp4 (f32x4.sub (v128.load (i32.add (local.get $p) (local.get $i))) (local.get $mv)))
        (local.set $acc (f64x2.add (f64x2.add (local.get $acc))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $four)))
      (local.set $end (i32.shl (local.get $v) (i32.const 2)))
      (block $done (loop $one
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $tail
          (f64.add (local.get $tail)
            (f64x2.extract_lane 0
              (call $exp4 (f32x4.splat (f32.sub (f32.load (i32.add (local.get $p) (local.get $i))) (local.get $m))))
              (drop))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $one)))
      (local.set $lse
        (f32.demote_f64
          (call $log
            (f64.add (local.get $tail)
              (f64.add (f64x2.extract_lane 0 (local.get $acc)) (f64x2.extract_lane 1 (local.get $acc)))))))
      (local.set $t (i32.load (i32.add (local.get $targets) (i32.shl (local.get $r) (i32.const 2)))))
      (local.set $zt (f32.const 0))
      (if (i32.lt_u (local.get $t) (local.get $v)) (then
        (local.set $zt
          (f32.sub (f32.load (i32.add (local.get $p) (i32.shl (local.get $t) (i32.const 2)))) (local.get $m)))))
      (f32.store (i32.add (local.get $nll) (i32.shl (local.get $r) (i32.const 2)))
        (f32.sub (local.get $lse) (local.get $zt)))
      (f32.store (i32.add (local.get $stats) (i32.shl (local.get $r) (i32.const 3))) (local.get $m))
      (f32.store offset=4 (i32.add (local.get $stats) (i32.shl (local.get $r) (i32.const 3))) (local.get $lse))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $row))))

  ;; e^(z - lse) for four float32 lanes of z (the difference in float32, as
  ;; layers.ts), rounded to float32.
  (func $softmax4 (param $z v128) (param $lse v128) (result v128)
    (call $exp4 (f32x4.sub (local.get $z) (local.get $lse)))
    (call $join))

  ;; Softmax cross-entropy backward: dlogits[r] = (softmax(logits[r]) -
  ;; onehot(target[r])) * scale with scale = dy[r * dyStride] / divisor in
  ;; float32 (dyStride 0 and divisor N for the mean, 1 and 1 per row).
  ;; Stats are forward's (m, lse) per row.
  (func (export "crossEntropyBackward")
    (param $logits i32) (param $targets i32) (param $stats i32) (param $dy i32) (param $dyStride i32)
    (param $divisor f32) (param $dlogits i32) (param $rows i32) (param $v i32)
    (local $r i32) (local $p i32) (local $q i32) (local $i i32) (local $end i32) (local $t i32)
    (local $m f32) (local $lse f32) (local $scale f32) (local $mv v128) (local $lv v128) (local $sv v128)
    (block $rowsDone (loop $row
      (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $p (i32.add (local.get $logits) (i32.shl (i32.mul (local.get $r) (local.get $v)) (i32.const 2))))
      (local.set $q (i32.add (local.get $dlogits) (i32.shl (i32.mul (local.get $r) (local.get $v)) (i32.const 2))))
      (local.set $m (f32.load (i32.add (local.get $stats) (i32.shl (local.get $r) (i32.const 3)))))
      (local.set $lse (f32.load offset=4 (i32.add (local.get $stats) (i32.shl (local.get $r) (i32.const 3)))))
      (local.set $scale
        (f32.div
          (f32.load (i32.add (local.get $dy) (i32.mul (local.get $r) (local.get $dyStride))))
          (local.get $divisor)))
      (local.set $mv (f32x4.splat (local.get $m)))
      (local.set $lv (f32x4.splat (local.get $lse)))
      (local.set $sv (f32x4.splat (local.get $scale)))
      (local.set $i (i32.const 0))
      (local.set $end (i32.shl (i32.and (local.get $v) (i32.const -4)) (i32.const 2)))
      (block $done4 (loop $four
        (br_if $done4 (i32.ge_u (local.get $i) (local.get $end)))
        (v128.store (i32.add (local.get $q) (local.get $i))
          (f32x4.mul
            (call $softmax4 (f32x4.sub (v128.load (i32.add (local.get $p) (local.get $i))) (local.get $mv)) (local.get $lv))
            (local.get $sv)))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $four)))
      (local.set $end (i32.shl (local.get $v) (i32.const 2)))
      (block $done (loop $one
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (f32.store (i32.add (local.get $q) (local.get $i))
          (f32.mul
            (f32x4.extract_lane 0
              (call $softmax4
                (f32x4.splat (f32.sub (f32.load (i32.add (local.get $p) (local.get $i))) (local.get $m)))
                (local.get $lv)))
            (local.get $scale)))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $one)))
      ;; The target's entry again, with the one subtracted before scaling.
      (local.set $t (i32.load (i32.add (local.get $targets) (i32.shl (local.get $r) (i32.const 2)))))
      (if (i32.lt_u (local.get $t) (local.get $v)) (then
        (local.set $i (i32.shl (local.get $t) (i32.const 2)))
        (f32.store (i32.add (local.get $q) (local.get $i))
          (f32.mul
            (f32.sub
              (f32x4.extract_lane 0
                (call $softmax4
                  (f32x4.splat (f32.sub (f32.load (i32.add (local.get $p) (local.get $i))) (local.get $m)))
                  (local.get $lv)))
              (f32.const 1))
            (local.get $scale)))))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $row))))

  ;; Softmax over rows of n float32 with an additive mask, attention's
  ;; softmax(scores + mask): scores and out are contiguous [nb, nh, nq, n];
  ;; the mask row of (b, h, i) starts at element b*sb + h*sh + i*sq (a stride
  ;; of 0 broadcasts) and is n contiguous floats. Per row, as tfjs's softmax:
  ;; z = scores + mask, m = max z, e = exp(z - m), p = e / sum e, all in
  ;; float32 (the division as a product with the reciprocal). A fully masked
  ;; row (every z about -1e9) gives what tfjs gives: z - m is 0 or a few
  ;; float32 steps of -1e9, so no NaN.
  (func (export "softmaxForward")
    (param $scores i32) (param $mask i32) (param $out i32)
    (param $nb i32) (param $nh i32) (param $nq i32) (param $n i32)
    (param $sb i32) (param $sh i32) (param $sq i32)
    (local $b i32) (local $h i32) (local $i i32) (local $row i32) (local $at i32)
    (block $bDone (loop $bLoop
      (br_if $bDone (i32.ge_u (local.get $b) (local.get $nb)))
      (local.set $h (i32.const 0))
      (block $hDone (loop $hLoop
        (br_if $hDone (i32.ge_u (local.get $h) (local.get $nh)))
        (local.set $i (i32.const 0))
        (block $iDone (loop $iLoop
          (br_if $iDone (i32.ge_u (local.get $i) (local.get $nq)))
          (local.set $at (i32.shl (i32.mul (local.get $row) (local.get $n)) (i32.const 2)))
          (call $softmaxRow
            (i32.add (local.get $scores) (local.get $at))
            (i32.add (local.get $mask)
              (i32.shl
                (i32.add
                  (i32.add (i32.mul (local.get $b) (local.get $sb)) (i32.mul (local.get $h) (local.get $sh)))
                  (i32.mul (local.get $i) (local.get $sq)))
                (i32.const 2)))
            (i32.add (local.get $out) (local.get $at))
            (local.get $n))
          (local.set $row (i32.add (local.get $row) (i32.const 1)))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $iLoop)))
        (local.set $h (i32.add (local.get $h) (i32.const 1)))
        (br $hLoop)))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $bLoop))))

  ;; One row of softmaxForward: n floats of scores at p plus the mask at mk,
  ;; probabilities to o (which holds z, then e, then p).
  (func $softmaxRow (param $p i32) (param $mk i32) (param $o i32) (param $n i32)
    (local $j i32) (local $end i32) (local $z v128) (local $z1 v128) (local $mv v128) (local $mv1 v128)
    (local $m f32) (local $zs f32) (local $rem i32) (local $d v128) (local $dc v128) (local $k v128) (local $nv v128) (local $r v128)
    (local $e v128) (local $acc v128) (local $inv f32) (local $iv v128)
    ;; z = scores + mask into o, and its max (two 4-lane maxima, eight at a time).
    (local.set $mv (v128.const f32x4 -inf -inf -inf -inf))
    (local.set $mv1 (v128.const f32x4 -inf -inf -inf -inf))
    (local.set $end (i32.shl (i32.and (local.get $n) (i32.const -8)) (i32.const 2)))
    (block $done8 (loop $eight
      (br_if $done8 (i32.ge_u (local.get $j) (local.get $end)))
      (local.set $z
        (f32x4.add
          (v128.load (i32.add (local.get $p) (local.get $j)))
          (v128.load (i32.add (local.get $mk) (local.get $j)))))
      (local.set $z1
        (f32x4.add
          (v128.load offset=16 (i32.add (local.get $p) (local.get $j)))
          (v128.load offset=16 (i32.add (local.get $mk) (local.get $j)))))
      (v128.store (i32.add (local.get $o) (local.get $j)) (local.get $z))
      (v128.store offset=16 (i32.add (local.get $o) (local.get $j)) (local.get $z1))
      (local.set $mv (f32x4.pmax (local.get $z) (local.get $mv)))
      (local.set $mv1 (f32x4.pmax (local.get $z1) (local.get $mv1)))
      (local.set $j (i32.add (local.get $j) (i32.const 32)))
      (br $eight)))
    (if (i32.and (local.get $n) (i32.const 4)) (then
      (local.set $z
        (f32x4.add
          (v128.load (i32.add (local.get $p) (local.get $j)))
          (v128.load (i32.add (local.get $mk) (local.get $j)))))
      (v128.store (i32.add (local.get $o) (local.get $j)) (local.get $z))
      (local.set $mv (f32x4.pmax (local.get $z) (local.get $mv)))
      (local.set $j (i32.add (local.get $j) (i32.const 16)))))
    (local.set $mv (f32x4.pmax (local.get $mv1) (local.get $mv)))
    ;; pmax and select (not f32x4.max, f32.max: their NaN and -0 rules cost
    ;; several times more here). A NaN score may drop out of m, but its own
    ;; e is NaN, so the row's sum and every p still come out NaN, as in tfjs.
    (local.set $mv
      (f32x4.pmax (local.get $mv) (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $mv) (local.get $mv))))
    (local.set $mv
      (f32x4.pmax (local.get $mv) (i8x16.shuffle 4 5 6 7 0 1 2 3 12 13 14 15 8 9 10 11 (local.get $mv) (local.get $mv))))
    (local.set $m (f32x4.extract_lane 0 (local.get $mv)))
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $done (loop $one
      (br_if $done (i32.ge_u (local.get $j) (local.get $end)))
      (local.set $zs
        (f32.add
          (f32.load (i32.add (local.get $p) (local.get $j)))
          (f32.load (i32.add (local.get $mk) (local.get $j)))))
      (f32.store (i32.add (local.get $o) (local.get $j)) (local.get $zs))
      (local.set $m (select (local.get $zs) (local.get $m) (f32.gt (local.get $zs) (local.get $m))))
      (local.set $j (i32.add (local.get $j) (i32.const 4)))
      (br $one)))
    ;; e = exp(z - m) over the z in o, in place, and their sum, four at a
    ;; time; the last 1-3 entries as a vector padded with -inf (e = 0). Four
    ;; entries that all underflow (masked ones) skip the exp, which is written
    ;; out here rather than called (a call per vector costs more than the
    ;; softmax's other passes together). For d = z - m <= 0 (or NaN), in
    ;; float32: d = n ln2 + r with n = nearest(d / ln2) (adding 1.5 * 2^23 +
    ;; 127 rounds it into k's low bits, biased by 127) and ln2 in two parts
    ;; (n ln2hi is exact), |r| <= ln2 / 2; e^r by a degree-6 polynomial fitted
    ;; on that range (error under 1e-8 relative before float32 rounding),
    ;; Horner; 2^n from k's bits shifted into the exponent. Within about 2
    ;; float32 ulps of e^d for d >= -87.33 (where e^d is a normal float32);
    ;; below that 0 (tfjs: a subnormal under 1.2e-38, or 0). A NaN stays NaN.
    (local.set $mv (f32x4.splat (local.get $m)))
    (local.set $acc (v128.const f32x4 0 0 0 0))
    (local.set $j (i32.const 0))
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $done (loop $four
      (br_if $done (i32.ge_u (local.get $j) (local.get $end)))
      (local.set $rem (i32.sub (local.get $end) (local.get $j)))
      (if (i32.ge_u (local.get $rem) (i32.const 16))
        (then (local.set $z (v128.load (i32.add (local.get $o) (local.get $j)))))
        (else
          (local.set $z
            (f32x4.replace_lane 0 (v128.const f32x4 -inf -inf -inf -inf) (f32.load (i32.add (local.get $o) (local.get $j)))))
          (if (i32.gt_u (local.get $rem) (i32.const 4)) (then
            (local.set $z (f32x4.replace_lane 1 (local.get $z) (f32.load offset=4 (i32.add (local.get $o) (local.get $j)))))))
          (if (i32.gt_u (local.get $rem) (i32.const 8)) (then
            (local.set $z (f32x4.replace_lane 2 (local.get $z) (f32.load offset=8 (i32.add (local.get $o) (local.get $j)))))))))
      (local.set $d (f32x4.sub (local.get $z) (local.get $mv)))
      (if (i32x4.all_true (f32x4.lt (local.get $d) (v128.const f32x4 -87.33654 -87.33654 -87.33654 -87.33654)))
        (then (local.set $e (v128.const i32x4 0 0 0 0)))
        (else
          (local.set $dc (f32x4.pmax (local.get $d) (v128.const f32x4 -87.33654 -87.33654 -87.33654 -87.33654)))
          (local.set $k
            (f32x4.add
              (f32x4.mul (local.get $dc) (v128.const f32x4 1.44269504 1.44269504 1.44269504 1.44269504))
              (v128.const f32x4 12583039 12583039 12583039 12583039)))
          (local.set $nv (f32x4.sub (local.get $k) (v128.const f32x4 12583039 12583039 12583039 12583039)))
          (local.set $r
            (f32x4.sub
              (f32x4.sub (local.get $dc)
                (f32x4.mul (local.get $nv) (v128.const f32x4 0.693359375 0.693359375 0.693359375 0.693359375)))
              (f32x4.mul (local.get $nv) (v128.const f32x4 -2.12194440e-4 -2.12194440e-4 -2.12194440e-4 -2.12194440e-4))))
          ;; e^r by a degree-6 polynomial (Chebyshev fit on |r| <= ln2 / 2), Horner.
          (local.set $e
            (f32x4.add (v128.const f32x4 8.3751315e-3 8.3751315e-3 8.3751315e-3 8.3751315e-3)
              (f32x4.mul (local.get $r) (v128.const f32x4 1.3948585e-3 1.3948585e-3 1.3948585e-3 1.3948585e-3))))
          (local.set $e
            (f32x4.add (v128.const f32x4 4.1666217e-2 4.1666217e-2 4.1666217e-2 4.1666217e-2)
              (f32x4.mul (local.get $r) (local.get $e))))
          (local.set $e
            (f32x4.add (v128.const f32x4 0.16666415 0.16666415 0.16666415 0.16666415) (f32x4.mul (local.get $r) (local.get $e))))
          (local.set $e (f32x4.add (v128.const f32x4 0.5 0.5 0.5 0.5) (f32x4.mul (local.get $r) (local.get $e))))
          (local.set $e (f32x4.add (v128.const f32x4 1 1 1 1) (f32x4.mul (local.get $r) (local.get $e))))
          (local.set $e (f32x4.add (v128.const f32x4 1 1 1 1) (f32x4.mul (local.get $r) (local.get $e))))
          ;; k's low 9 bits are n + 127 (k is 1.5 * 2^23 + 127 + n), so k << 23 is 2^n.
          (local.set $e
            (v128.andnot
              (f32x4.mul (local.get $e) (i32x4.shl (local.get $k) (i32.const 23)))
              (f32x4.lt (local.get $d) (v128.const f32x4 -87.33654 -87.33654 -87.33654 -87.33654))))))
      (local.set $acc (f32x4.add (local.get $acc) (local.get $e)))
      (if (i32.ge_u (local.get $rem) (i32.const 16))
        (then (v128.store (i32.add (local.get $o) (local.get $j)) (local.get $e)))
        (else
          (f32.store (i32.add (local.get $o) (local.get $j)) (f32x4.extract_lane 0 (local.get $e)))
          (if (i32.gt_u (local.get $rem) (i32.const 4)) (then
            (f32.store offset=4 (i32.add (local.get $o) (local.get $j)) (f32x4.extract_lane 1 (local.get $e)))))
          (if (i32.gt_u (local.get $rem) (i32.const 8)) (then
            (f32.store offset=8 (i32.add (local.get $o) (local.get $j)) (f32x4.extract_lane 2 (local.get $e)))))))
      (local.set $j (i32.add (local.get $j) (i32.const 16)))
      (br $four)))
    ;; p = e / sum, as e times the reciprocal.
    (local.set $inv
      (f32.div (f32.const 1)
        (f32.add
          (f32.add (f32x4.extract_lane 0 (local.get $acc)) (f32x4.extract_lane 1 (local.get $acc)))
          (f32.add (f32x4.extract_lane 2 (local.get $acc)) (f32x4.extract_lane 3 (local.get $acc))))))
    (local.set $iv (f32x4.splat (local.get $inv)))
    (local.set $j (i32.const 0))
    (local.set $end (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2)))
    (block $done4 (loop $four
      (br_if $done4 (i32.ge_u (local.get $j) (local.get $end)))
      (v128.store (i32.add (local.get $o) (local.get $j))
        (f32x4.mul (v128.load (i32.add (local.get $o) (local.get $j))) (local.get $iv)))
      (local.set $j (i32.add (local.get $j) (i32.const 16)))
      (br $four)))
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $done (loop $one
      (br_if $done (i32.ge_u (local.get $j) (local.get $end)))
      (f32.store (i32.add (local.get $o) (local.get $j))
        (f32.mul (f32.load (i32.add (local.get $o) (local.get $j))) (local.get $inv)))
      (local.set $j (i32.add (local.get $j) (i32.const 4)))
      (br $one))))

  ;; Softmax backward over rows of n float32: ds = p (dp - sum(dp p)) per
  ;; row, p the forward's probabilities and dp the gradient of p, in float32
  ;; as tfjs's ops (the sum in two 4-lane accumulators).
  (func (export "softmaxBackward") (param $p i32) (param $dp i32) (param $ds i32) (param $rows i32) (param $n i32)
    (local $r i32) (local $base i32) (local $pr i32) (local $dr i32) (local $sr i32) (local $j i32) (local $end i32)
    (local $acc0 v128) (local $acc1 v128) (local $s f32) (local $sv v128)
    (block $rowsDone (loop $row
      (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $base (i32.shl (i32.mul (local.get $r) (local.get $n)) (i32.const 2)))
      (local.set $pr (i32.add (local.get $p) (local.get $base)))
      (local.set $dr (i32.add (local.get $dp) (local.get $base)))
      (local.set $sr (i32.add (local.get $ds) (local.get $base)))
      (local.set $acc0 (v128.const f32x4 0 0 0 0))
      (local.set $acc1 (v128.const f32x4 0 0 0 0))
      (local.set $s (f32.const 0))
      (local.set $j (i32.const 0))
      ;; Eight at a time, then four, then one.
      (local.set $end (i32.shl (i32.and (local.get $n) (i32.const -8)) (i32.const 2)))
      (block $done8 (loop $eight
        (br_if $done8 (i32.ge_u (local.get $j) (local.get $end)))
        (local.set $acc0
          (f32x4.add
            (f32x4.mul (v128.load (i32.add (local.get $pr) (local.get $j))) (v128.load (i32.add (local.get $dr) (local.get $j))))
            (local.get $acc0)))
        (local.set $acc1
          (f32x4.add
            (f32x4.mul
              (v128.load offset=16 (i32.add (local.get $pr) (local.get $j)))
              (v128.load offset=16 (i32.add (local.get $dr) (local.get $j))))
            (local.get $acc1)))
        (local.set $j (i32.add (local.get $j) (i32.const 32)))
        (br $eight)))
      (if (i32.and (local.get $n) (i32.const 4)) (then
        (local.set $acc0
          (f32x4.add
            (f32x4.mul (v128.load (i32.add (local.get $pr) (local.get $j))) (v128.load (i32.add (local.get $dr) (local.get $j))))
            (local.get $acc0)))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))))
      (local.set $end (i32.shl (local.get $n) (i32.const 2)))
      (block $done (loop $one
        (br_if $done (i32.ge_u (local.get $j) (local.get $end)))
        (local.set $s
          (f32.add
            (f32.mul (f32.load (i32.add (local.get $pr) (local.get $j))) (f32.load (i32.add (local.get $dr) (local.get $j))))
            (local.get $s)))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $one)))
      (local.set $acc0 (f32x4.add (local.get $acc0) (local.get $acc1)))
      (local.set $s
        (f32.add
          (f32.add
            (f32.add (f32x4.extract_lane 0 (local.get $acc0)) (f32x4.extract_lane 1 (local.get $acc0)))
            (f32.add (f32x4.extract_lane 2 (local.get $acc0)) (f32x4.extract_lane 3 (local.get $acc0))))
          (local.get $s)))
      (local.set $sv (f32x4.splat (local.get $s)))
      (local.set $j (i32.const 0))
      (local.set $end (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2)))
      (block $done4 (loop $four
        (br_if $done4 (i32.ge_u (local.get $j) (local.get $end)))
        (v128.store (i32.add (local.get $sr) (local.get $j))
          (f32x4.mul
            (v128.load (i32.add (local.get $pr) (local.get $j)))
            (f32x4.sub (v128.load (i32.add (local.get $dr) (local.get $j))) (local.get $sv))))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br $four)))
      (local.set $end (i32.shl (local.get $n) (i32.const 2)))
      (block $done (loop $one
        (br_if $done (i32.ge_u (local.get $j) (local.get $end)))
        (f32.store (i32.add (local.get $sr) (local.get $j))
          (f32.mul
            (f32.load (i32.add (local.get $pr) (local.get $j)))
            (f32.sub (f32.load (i32.add (local.get $dr) (local.get $j))) (local.get $s))))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $one)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $row))))
)
