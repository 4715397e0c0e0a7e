;; The sum of squares of a float32 array, added in float64, for the global
;; gradient norm that clipping and loss scaling read.
;;
;; Why: tfjs-backend-wasm's Sum adds a whole reduction in one float32 loop;
;; on the 2000-word vocabulary the clipping norm came out 4.5e-4 (relative)
;; off its float64 value, and each gradient cost a Square and a Sum kernel.
;; In float64 the sum of squares of finite float32 values cannot overflow,
;; so the norm is non-finite exactly when some element is (Infinity or NaN),
;; the test loss scaling makes.
;; Compiled to normBinary.ts by `npm run kernels` (scripts/build_kernels.mjs).
(module
  (import "env" "memory" (memory 1))

  ;; sum of x[i]^2 for i < n, x at byte address $x: four lanes at a time
  ;; (two float64 pairs), then the last n % 4 one by one.
  (func (export "sumSquares") (param $x i32) (param $n i32) (result f64)
    (local $end i32) (local $lo v128) (local $hi v128) (local $v v128) (local $w v128) (local $tail f64)
    (local.set $end (i32.add (local.get $x) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
    (block $wideDone
      (loop $wide
        (br_if $wideDone (i32.ge_u (local.get $x) (local.get $end)))
        (local.set $v (v128.load (local.get $x)))
        (local.set $w (f64x2.promote_low_f32x4 (local.get $v)))
        (local.set $lo (f64x2.add (local.get $lo) (f64x2.mul (local.get $w) (local.get $w))))
        (local.set $w (f64x2.promote_low_f32x4
          (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v))))
        (local.set $hi (f64x2.add (local.get $hi) (f64x2.mul (local.get $w) (local.get $w))))
        (local.set $x (i32.add (local.get $x) (i32.const 16)))
        (br $wide)))
    (local.set $end (i32.add (local.get $end) (i32.shl (i32.and (local.get $n) (i32.const 3)) (i32.const 2))))
    (block $narrowDone
      (loop $narrow
        (br_if $narrowDone (i32.ge_u (local.get $x) (local.get $end)))
        (local.set $tail (f64.add (local.get $tail)
          (f64.mul (f64.promote_f32 (f32.load (local.get $x))) (f64.promote_f32 (f32.load (local.get $x))))))
        (local.set $x (i32.add (local.get $x) (i32.const 4)))
        (br $narrow)))
    (f64.add (local.get $tail)
      (f64.add
        (f64.add (f64x2.extract_lane 0 (local.get $lo)) (f64x2.extract_lane 1 (local.get $lo)))
        (f64.add (f64x2.extract_lane 0 (local.get $hi)) (f64x2.extract_lane 1 (local.get $hi)))))))
