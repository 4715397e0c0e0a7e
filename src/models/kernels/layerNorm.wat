;; Layer norm over the last axis of x [n, c], forward and backward, each in
;; one call, for tfjs's wasm backend (src/models/kernels/layerNorm.ts).
;;
;; Why it exists: written with tfjs ops, the forward pass is 9 kernels and the
;; backward pass about 11, each a full pass over [n, c] floats in memory, each
;; dispatched from JavaScript; here each row is read a few times while it sits
;; in cache.
;;
;; The math is PyTorch's LayerNorm (biased variance) and the one of
;; layers.ts's tfjs path: float32 values in and out, row sums accumulated in
;; float64 (more accurate than tfjs's float32 reductions). Every address is a
;; byte offset into tfjs's linear memory; layerNorm.ts checks the shapes.
;;
;; Compiled to layerNormBinary.ts by `npm run kernels` (scripts/build_kernels.mjs).
(module
  (import "env" "memory" (memory 1))

  ;; Float64 sums: a float32x4 vector v is widened to two float64x2 halves,
  ;; (f64x2.promote_low_f32x4 v) for lanes 0-1 and the same of v with its
  ;; halves swapped (i8x16.shuffle) for lanes 2-3, written out inline in the
  ;; loops below (a call per vector was 3x slower in V8). $hsum adds the two
  ;; lanes of a float64x2.
  (func $hsum (param $v v128) (result f64)
    (f64.add (f64x2.extract_lane 0 (local.get $v)) (f64x2.extract_lane 1 (local.get $v))))

  ;; For each row r < n of x [n, c]:
  ;;   mu = mean(x_r), xc = x_r - mu, var = mean(xc^2), rstd_r = 1/sqrt(var + eps),
  ;;   xhat_r = xc * rstd_r, y_r = xhat_r * g + b.
  ;; mu and rstd are rounded to float32 before use, as tfjs stores them.
  (func (export "forward")
    (param $x i32) (param $g i32) (param $b i32) (param $y i32) (param $xhat i32) (param $rstd i32)
    (param $n i32) (param $c i32) (param $eps f64)
    (local $row i32) (local $j i32) (local $c4 i32) (local $off i32) (local $px i32) (local $ph i32) (local $py i32)
    (local $acc0 v128) (local $acc1 v128) (local $v v128) (local $s v128) (local $lo v128) (local $hi v128)
    (local $sum f64) (local $d f64) (local $mu f32) (local $r f32) (local $xc f32)
    (local.set $c4 (i32.and (local.get $c) (i32.const -4)))
    (local.set $row (i32.const 0))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $row) (local.get $n)))
        (local.set $off (i32.shl (i32.mul (local.get $row) (local.get $c)) (i32.const 2)))
        (local.set $px (i32.add (local.get $x) (local.get $off)))
        (local.set $ph (i32.add (local.get $xhat) (local.get $off)))
        (local.set $py (i32.add (local.get $y) (local.get $off)))

        ;; mean
        (local.set $acc0 (v128.const i32x4 0 0 0 0))
        (local.set $acc1 (v128.const i32x4 0 0 0 0))
        (local.set $j (i32.const 0))
        (block $sumDone
          (loop $sum4
            (br_if $sumDone (i32.ge_u (local.get $j) (local.get $c4)))
            (local.set $v (v128.load (i32.add (local.get $px) (i32.shl (local.get $j) (i32.const 2)))))
            (local.set $lo (f64x2.promote_low_f32x4 (local.get $v)))
            (local.set $hi (f64x2.promote_low_f32x4
              (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v))))
            (local.set $acc0 (f64x2.add (local.get $acc0) (local.get $lo)))
            (local.set $acc1 (f64x2.add (local.get $acc1) (local.get $hi)))
            (local.set $j (i32.add (local.get $j) (i32.const 4)))
            (br $sum4)))
        (local.set $sum (f64.add (call $hsum (local.get $acc0)) (call $hsum (local.get $acc1))))
        (block $tailDone
          (loop $tail
            (br_if $tailDone (i32.ge_u (local.get $j) (local.get $c)))
            (local.set $sum (f64.add (local.get $sum)
              (f64.promote_f32 (f32.load (i32.add (local.get $px) (i32.shl (local.get $j) (i32.const 2)))))))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $tail)))
        (local.set $mu (f32.demote_f64 (f64.div (local.get $sum) (f64.convert_i32_u (local.get $c)))))

        ;; xc = x - mu into xhat, and the sum of its squares
        (local.set $s (f32x4.splat (local.get $mu)))
        (local.set $acc0 (v128.const i32x4 0 0 0 0))
        (local.set $acc1 (v128.const i32x4 0 0 0 0))
        (local.set $j (i32.const 0))
        (block $sqDone
          (loop $sq4
            (br_if $sqDone (i32.ge_u (local.get $j) (local.get $c4)))
            (local.set $off (i32.shl (local.get $j) (i32.const 2)))
            (local.set $v (f32x4.sub (v128.load (i32.add (local.get $px) (local.get $off))) (local.get $s)))
            (v128.store (i32.add (local.get $ph) (local.get $off)) (local.get $v))
            (local.set $lo (f64x2.promote_low_f32x4 (local.get $v)))
            (local.set $hi (f64x2.promote_low_f32x4
              (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v))))
            (local.set $acc0 (f64x2.add (local.get $acc0) (f64x2.mul (local.get $lo) (local.get $lo))))
            (local.set $acc1 (f64x2.add (local.get $acc1) (f64x2.mul (local.get $hi) (local.get $hi))))
            (local.set $j (i32.add (local.get $j) (i32.const 4)))
            (br $sq4)))
        (local.set $sum (f64.add (call $hsum (local.get $acc0)) (call $hsum (local.get $acc1))))
        (block $sqTailDone
          (loop $sqTail
            (br_if $sqTailDone (i32.ge_u (local.get $j) (local.get $c)))
            (local.set $off (i32.shl (local.get $j) (i32.const 2)))
            (local.set $xc (f32.sub (f32.load (i32.add (local.get $px) (local.get $off))) (local.get $mu)))
            (f32.store (i32.add (local.get $ph) (local.get $off)) (local.get $xc))
            (local.set $d (f64.promote_f32 (local.get $xc)))
            (local.set $sum (f64.add (local.get $sum) (f64.mul (local.get $d) (local.get $d))))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $sqTail)))
        (local.set $r (f32.demote_f64 (f64.div (f64.const 1)
          (f64.sqrt (f64.add (f64.div (local.get $sum) (f64.convert_i32_u (local.get $c))) (local.get $eps))))))
        (f32.store (i32.add (local.get $rstd) (i32.shl (local.get $row) (i32.const 2))) (local.get $r))

        ;; xhat = xc * rstd, y = xhat * g + b
        (local.set $s (f32x4.splat (local.get $r)))
        (local.set $j (i32.const 0))
        (block $outDone
          (loop $out4
            (br_if $outDone (i32.ge_u (local.get $j) (local.get $c4)))
            (local.set $off (i32.shl (local.get $j) (i32.const 2)))
            (local.set $v (f32x4.mul (v128.load (i32.add (local.get $ph) (local.get $off))) (local.get $s)))
            (v128.store (i32.add (local.get $ph) (local.get $off)) (local.get $v))
            (v128.store (i32.add (local.get $py) (local.get $off))
              (f32x4.add
                (f32x4.mul (local.get $v) (v128.load (i32.add (local.get $g) (local.get $off))))
                (v128.load (i32.add (local.get $b) (local.get $off)))))
            (local.set $j (i32.add (local.get $j) (i32.const 4)))
            (br $out4)))
        (block $outTailDone
          (loop $outTail
            (br_if $outTailDone (i32.ge_u (local.get $j) (local.get $c)))
            (local.set $off (i32.shl (local.get $j) (i32.const 2)))
            (local.set $xc (f32.mul (f32.load (i32.add (local.get $ph) (local.get $off))) (local.get $r)))
            (f32.store (i32.add (local.get $ph) (local.get $off)) (local.get $xc))
            (f32.store (i32.add (local.get $py) (local.get $off))
              (f32.add
                (f32.mul (local.get $xc) (f32.load (i32.add (local.get $g) (local.get $off))))
                (f32.load (i32.add (local.get $b) (local.get $off)))))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $outTail)))

        (local.set $row (i32.add (local.get $row) (i32.const 1)))
        (br $rows))))

  ;; Gradients of the forward pass, from dy [n, c] and the saved xhat [n, c],
  ;; rstd [n] and g [c]: with dxhat = dy * g,
  ;;   dx_r = rstd_r * ((dxhat_r - mean(dxhat_r)) - xhat_r * mean(dxhat_r * xhat_r)),
  ;;   dg = sum over rows of dy * xhat,  db = sum over rows of dy.
  ;; $acc is float64 scratch for 2c sums (16c bytes, 16-byte aligned): dg's
  ;; sums, then db's.
  (func (export "backward")
    (param $dy i32) (param $xhat i32) (param $rstd i32) (param $g i32)
    (param $dx i32) (param $dg i32) (param $db i32) (param $acc i32) (param $n i32) (param $c i32)
    (local $row i32) (local $j i32) (local $c4 i32) (local $off i32) (local $pdy i32) (local $ph i32) (local $pdx i32)
    (local $pa i32) (local $pb i32) (local $vdy v128) (local $vh v128) (local $vd v128)
    (local $s1a v128) (local $s1b v128) (local $s2a v128) (local $s2b v128) (local $m1 v128) (local $m2 v128)
    (local $vr v128) (local $dlo v128) (local $dhi v128) (local $hlo v128) (local $hhi v128)
    (local $ylo v128) (local $yhi v128) (local $s1 f64) (local $s2 f64) (local $fdy f32) (local $fh f32) (local $fd f32)
    (local $r f32) (local $mean1 f32) (local $mean2 f32)
    (local.set $c4 (i32.and (local.get $c) (i32.const -4)))
    ;; zero the sums
    (local.set $j (i32.const 0))
    (block $zeroDone
      (loop $zero
        (br_if $zeroDone (i32.ge_u (local.get $j) (local.get $c)))
        (f64.store (i32.add (local.get $acc) (i32.shl (local.get $j) (i32.const 3))) (f64.const 0))
        (f64.store (i32.add (local.get $acc) (i32.shl (i32.add (local.get $j) (local.get $c)) (i32.const 3)))
          (f64.const 0))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $zero)))
    (local.set $row (i32.const 0))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $row) (local.get $n)))
        (local.set $off (i32.shl (i32.mul (local.get $row) (local.get $c)) (i32.const 2)))
        (local.set $pdy (i32.add (local.get $dy) (local.get $off)))
        (local.set $ph (i32.add (local.get $xhat) (local.get $off)))
        (local.set $pdx (i32.add (local.get $dx) (local.get $off)))
        (local.set $r (f32.load (i32.add (local.get $rstd) (i32.shl (local.get $row) (i32.const 2)))))

        ;; row sums of dxhat and dxhat * xhat; column sums of dy * xhat and dy
        (local.set $s1a (v128.const i32x4 0 0 0 0))
        (local.set $s1b (v128.const i32x4 0 0 0 0))
        (local.set $s2a (v128.const i32x4 0 0 0 0))
        (local.set $s2b (v128.const i32x4 0 0 0 0))
        (local.set $j (i32.const 0))
        (block $sumDone
          (loop $sum4
            (br_if $sumDone (i32.ge_u (local.get $j) (local.get $c4)))
            (local.set $off (i32.shl (local.get $j) (i32.const 2)))
            (local.set $vdy (v128.load (i32.add (local.get $pdy) (local.get $off))))
            (local.set $vh (v128.load (i32.add (local.get $ph) (local.get $off))))
            (local.set $vd (f32x4.mul (local.get $vdy) (v128.load (i32.add (local.get $g) (local.get $off)))))
            (local.set $dlo (f64x2.promote_low_f32x4 (local.get $vd)))
            (local.set $dhi (f64x2.promote_low_f32x4
              (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $vd) (local.get $vd))))
            (local.set $hlo (f64x2.promote_low_f32x4 (local.get $vh)))
            (local.set $hhi (f64x2.promote_low_f32x4
              (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $vh) (local.get $vh))))
            (local.set $ylo (f64x2.promote_low_f32x4 (local.get $vdy)))
            (local.set $yhi (f64x2.promote_low_f32x4
              (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $vdy) (local.get $vdy))))
            (local.set $s1a (f64x2.add (local.get $s1a) (local.get $dlo)))
            (local.set $s1b (f64x2.add (local.get $s1b) (local.get $dhi)))
            (local.set $s2a (f64x2.add (local.get $s2a) (f64x2.mul (local.get $dlo) (local.get $hlo))))
            (local.set $s2b (f64x2.add (local.get $s2b) (f64x2.mul (local.get $dhi) (local.get $hhi))))
            ;; dg sums at acc + 8j, db sums at acc + 8(c + j)
            (local.set $pa (i32.add (local.get $acc) (i32.shl (local.get $j) (i32.const 3))))
            (local.set $pb (i32.add (local.get $pa) (i32.shl (local.get $c) (i32.const 3))))
            (v128.store (local.get $pa)
              (f64x2.add (v128.load (local.get $pa)) (f64x2.mul (local.get $ylo) (local.get $hlo))))
            (v128.store offset=16 (local.get $pa)
              (f64x2.add (v128.load offset=16 (local.get $pa)) (f64x2.mul (local.get $yhi) (local.get $hhi))))
            (v128.store (local.get $pb) (f64x2.add (v128.load (local.get $pb)) (local.get $ylo)))
            (v128.store offset=16 (local.get $pb) (f64x2.add (v128.load offset=16 (local.get $pb)) (local.get $yhi)))
            (local.set $j (i32.add (local.get $j) (i32.const 4)))
            (br $sum4)))
        (local.set $s1 (f64.add (call $hsum (local.get $s1a)) (call $hsum (local.get $s1b))))
        (local.set $s2 (f64.add (call $hsum (local.get $s2a)) (call $hsum (local.get $s2b))))
        (block $tailDone
          (loop $tail
            (br_if $tailDone (i32.ge_u (local.get $j) (local.get $c)))
            (local.set $off (i32.shl (local.get $j) (i32.const 2)))
            (local.set $fdy (f32.load (i32.add (local.get $pdy) (local.get $off))))
            (local.set $fh (f32.load (i32.add (local.get $ph) (local.get $off))))
            (local.set $fd (f32.mul (local.get $fdy) (f32.load (i32.add (local.get $g) (local.get $off)))))
            (local.set $s1 (f64.add (local.get $s1) (f64.promote_f32 (local.get $fd))))
            (local.set $s2 (f64.add (local.get $s2)
              (f64.mul (f64.promote_f32 (local.get $fd)) (f64.promote_f32 (local.get $fh)))))
            (local.set $pa (i32.add (local.get $acc) (i32.shl (local.get $j) (i32.const 3))))
            (local.set $pb (i32.add (local.get $pa) (i32.shl (local.get $c) (i32.const 3))))
            (f64.store (local.get $pa) (f64.add (f64.load (local.get $pa))
              (f64.mul (f64.promote_f32 (local.get $fdy)) (f64.promote_f32 (local.get $fh)))))
            (f64.store (local.get $pb) (f64.add (f64.load (local.get $pb)) (f64.promote_f32 (local.get $fdy))))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $tail)))
        (local.set $mean1 (f32.demote_f64 (f64.div (local.get $s1) (f64.convert_i32_u (local.get $c)))))
        (local.set $mean2 (f32.demote_f64 (f64.div (local.get $s2) (f64.convert_i32_u (local.get $c)))))

        ;; dx = ((dy * g - mean1) - xhat * mean2) * rstd
        (local.set $m1 (f32x4.splat (local.get $mean1)))
        (local.set $m2 (f32x4.splat (local.get $mean2)))
        (local.set $vr (f32x4.splat (local.get $r)))
        (local.set $j (i32.const 0))
        (block $dxDone
          (loop $dx4
            (br_if $dxDone (i32.ge_u (local.get $j) (local.get $c4)))
            (local.set $off (i32.shl (local.get $j) (i32.const 2)))
            (local.set $vd (f32x4.mul (v128.load (i32.add (local.get $pdy) (local.get $off)))
              (v128.load (i32.add (local.get $g) (local.get $off)))))
            (v128.store (i32.add (local.get $pdx) (local.get $off))
              (f32x4.mul
                (f32x4.sub (f32x4.sub (local.get $vd) (local.get $m1))
                  (f32x4.mul (v128.load (i32.add (local.get $ph) (local.get $off))) (local.get $m2)))
                (local.get $vr)))
            (local.set $j (i32.add (local.get $j) (i32.const 4)))
            (br $dx4)))
        (block $dxTailDone
          (loop $dxTail
            (br_if $dxTailDone (i32.ge_u (local.get $j) (local.get $c)))
            (local.set $off (i32.shl (local.get $j) (i32.const 2)))
            (local.set $fd (f32.mul (f32.load (i32.add (local.get $pdy) (local.get $off)))
              (f32.load (i32.add (local.get $g) (local.get $off)))))
            (f32.store (i32.add (local.get $pdx) (local.get $off))
              (f32.mul
                (f32.sub (f32.sub (local.get $fd) (local.get $mean1))
                  (f32.mul (f32.load (i32.add (local.get $ph) (local.get $off))) (local.get $mean2)))
                (local.get $r)))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $dxTail)))

        (local.set $row (i32.add (local.get $row) (i32.const 1)))
        (br $rows)))

    ;; the column sums, rounded to float32
    (local.set $j (i32.const 0))
    (block $colsDone
      (loop $cols
        (br_if $colsDone (i32.ge_u (local.get $j) (local.get $c)))
        (local.set $pa (i32.add (local.get $acc) (i32.shl (local.get $j) (i32.const 3))))
        (local.set $pb (i32.add (local.get $pa) (i32.shl (local.get $c) (i32.const 3))))
        (local.set $off (i32.shl (local.get $j) (i32.const 2)))
        (f32.store (i32.add (local.get $dg) (local.get $off)) (f32.demote_f64 (f64.load (local.get $pa))))
        (f32.store (i32.add (local.get $db) (local.get $off)) (f32.demote_f64 (f64.load (local.get $pb))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $cols)))))
