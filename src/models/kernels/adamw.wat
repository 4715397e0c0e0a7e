;; One Adam / AdamW update of one parameter, for tfjs's wasm backend
;; (src/models/kernels/adamw.ts calls it once per parameter, all parameters
;; in one tfjs kernel).
;;
;; Why it exists: with tfjs ops the update is about ten kernels per parameter,
;; each a pass over memory and a JavaScript dispatch; here it is one pass
;; that reads p, g, m, v and writes new p, m, v.
;;
;; The arithmetic is TensorAdam's tfjs path (src/train/optim/adam.ts),
;; operation for operation in float32, so the two agree to the bit where
;; tfjs's own float32 ops round correctly:
;;   g <- g * s                      (mode 2: clipping factor not folded)
;;   g <- g + p * wd                 (mode 4: Adam's coupled L2 decay)
;;   m' = m * b1 + g * c1,  c1 = (1 - b1) [* s when mode 1 folds the scale]
;;   v' = v * b2 + (g * g) * c2,  c2 = (1 - b2) [* (s * s) when folded]
;;   p' = (p [* decay, mode 8: AdamW's decoupled decay]) + (m' / (sqrt(v') + epsHat)) * stepSize
;; No multiply-add is fused (the build makes no relaxed-SIMD variant), so the
;; rounding stays that of separate float32 operations.
;;
;; Compiled to adamwBinary.ts by `npm run kernels` (scripts/build_kernels.mjs).
(module
  (import "env" "memory" (memory 1))

  ;; p, g, m, v: the parameter, its gradient and moments (n floats each);
  ;; po, mo, vo: where the new p, m, v go (new buffers; may not alias the
  ;; inputs). sp: the address of the gradient scale s (read when mode has 1 or 2).
  (func (export "adamw")
    (param $p i32) (param $g i32) (param $m i32) (param $v i32)
    (param $po i32) (param $mo i32) (param $vo i32) (param $n i32) (param $mode i32) (param $sp i32)
    (param $b1 f32) (param $b2 f32) (param $omb1 f32) (param $omb2 f32)
    (param $wd f32) (param $decay f32) (param $epsHat f32) (param $stepSize f32)
    (local $i i32) (local $n4 i32) (local $off i32) (local $s f32) (local $c1 f32) (local $c2 f32)
    (local $fold i32) (local $scale i32) (local $coupled i32) (local $decoupled i32)
    (local $vs v128) (local $vb1 v128) (local $vb2 v128) (local $vc1 v128) (local $vc2 v128)
    (local $vwd v128) (local $vdecay v128) (local $veps v128) (local $vstep v128)
    (local $vp v128) (local $vg v128) (local $vm v128) (local $vv v128)
    (local $fp f32) (local $fg f32) (local $fm f32) (local $fv f32)
    (local.set $fold (i32.and (local.get $mode) (i32.const 1)))
    (local.set $scale (i32.and (local.get $mode) (i32.const 2)))
    (local.set $coupled (i32.and (local.get $mode) (i32.const 4)))
    (local.set $decoupled (i32.and (local.get $mode) (i32.const 8)))
    (local.set $s (f32.const 1))
    (if (i32.or (local.get $fold) (local.get $scale))
      (then (local.set $s (f32.load (local.get $sp)))))
    (local.set $c1 (local.get $omb1))
    (local.set $c2 (local.get $omb2))
    (if (local.get $fold)
      (then
        (local.set $c1 (f32.mul (local.get $omb1) (local.get $s)))
        (local.set $c2 (f32.mul (local.get $omb2) (f32.mul (local.get $s) (local.get $s))))))
    (local.set $vs (f32x4.splat (local.get $s)))
    (local.set $vb1 (f32x4.splat (local.get $b1)))
    (local.set $vb2 (f32x4.splat (local.get $b2)))
    (local.set $vc1 (f32x4.splat (local.get $c1)))
    (local.set $vc2 (f32x4.splat (local.get $c2)))
    (local.set $vwd (f32x4.splat (local.get $wd)))
    (local.set $vdecay (f32x4.splat (local.get $decay)))
    (local.set $veps (f32x4.splat (local.get $epsHat)))
    (local.set $vstep (f32x4.splat (local.get $stepSize)))
    (local.set $n4 (i32.and (local.get $n) (i32.const -4)))
    (local.set $i (i32.const 0))
    (block $done4
      (loop $four
        (br_if $done4 (i32.ge_u (local.get $i) (local.get $n4)))
        (local.set $off (i32.shl (local.get $i) (i32.const 2)))
        (local.set $vp (v128.load (i32.add (local.get $p) (local.get $off))))
        (local.set $vg (v128.load (i32.add (local.get $g) (local.get $off))))
        (if (local.get $scale) (then (local.set $vg (f32x4.mul (local.get $vg) (local.get $vs)))))
        (if (local.get $coupled)
          (then (local.set $vg (f32x4.add (f32x4.mul (local.get $vp) (local.get $vwd)) (local.get $vg)))))
        (local.set $vm (f32x4.add
          (f32x4.mul (v128.load (i32.add (local.get $m) (local.get $off))) (local.get $vb1))
          (f32x4.mul (local.get $vg) (local.get $vc1))))
        (local.set $vv (f32x4.add
          (f32x4.mul (v128.load (i32.add (local.get $v) (local.get $off))) (local.get $vb2))
          (f32x4.mul (f32x4.mul (local.get $vg) (local.get $vg)) (local.get $vc2))))
        (v128.store (i32.add (local.get $mo) (local.get $off)) (local.get $vm))
        (v128.store (i32.add (local.get $vo) (local.get $off)) (local.get $vv))
        (if (local.get $decoupled) (then (local.set $vp (f32x4.mul (local.get $vp) (local.get $vdecay)))))
        (v128.store (i32.add (local.get $po) (local.get $off))
          (f32x4.add (local.get $vp)
            (f32x4.mul
              (f32x4.div (local.get $vm) (f32x4.add (f32x4.sqrt (local.get $vv)) (local.get $veps)))
              (local.get $vstep))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $four)))
    (block $done
      (loop $one
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $off (i32.shl (local.get $i) (i32.const 2)))
        (local.set $fp (f32.load (i32.add (local.get $p) (local.get $off))))
        (local.set $fg (f32.load (i32.add (local.get $g) (local.get $off))))
        (if (local.get $scale) (then (local.set $fg (f32.mul (local.get $fg) (local.get $s)))))
        (if (local.get $coupled)
          (then (local.set $fg (f32.add (f32.mul (local.get $fp) (local.get $wd)) (local.get $fg)))))
        (local.set $fm (f32.add
          (f32.mul (f32.load (i32.add (local.get $m) (local.get $off))) (local.get $b1))
          (f32.mul (local.get $fg) (local.get $c1))))
        (local.set $fv (f32.add
          (f32.mul (f32.load (i32.add (local.get $v) (local.get $off))) (local.get $b2))
          (f32.mul (f32.mul (local.get $fg) (local.get $fg)) (local.get $c2))))
        (f32.store (i32.add (local.get $mo) (local.get $off)) (local.get $fm))
        (f32.store (i32.add (local.get $vo) (local.get $off)) (local.get $fv))
        (if (local.get $decoupled) (then (local.set $fp (f32.mul (local.get $fp) (local.get $decay)))))
        (f32.store (i32.add (local.get $po) (local.get $off))
          (f32.add (local.get $fp)
            (f32.mul
              (f32.div (local.get $fm) (f32.add (f32.sqrt (local.get $fv)) (local.get $epsHat)))
              (local.get $stepSize))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $one)))))
