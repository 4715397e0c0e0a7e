;; Simulated FP16 rounding for tfjs's wasm backend: every float32 of an array
;; becomes the nearest IEEE binary16 value, still stored as a float32
;; (src/models/kernels/fp16.ts calls it once per tensor, all tensors in one
;; tfjs kernel; src/train/precision/roundFp16.ts is the caller).
;;
;; Why it exists: written as tfjs ops the rounding is about 25 kernels (a
;; log2, a gather of spacings, a modulo for the tie rule, selects), each a
;; pass over the whole parameter vector; here it is one pass of integer and
;; float bit work on the float32 pattern.
;;
;; The rule is core's toFloat16 (src/core/fp16.ts): round to nearest, ties to
;; even, subnormals kept, |x| >= 65520 to +/-Infinity, NaN unchanged, and the
;; sign kept, so a negative that rounds to zero gives -0. With u the float32
;; bits and a = u & 0x7fffffff (the magnitude's bits):
;;   a >  0x7f800000 (NaN):          u itself;
;;   a >= 0x477ff000 (65520 or Inf): Infinity;
;;   a >= 0x38800000 (2^-14, FP16 normals): keep 10 of float32's 23 mantissa
;;       bits, rounding on the 13 dropped: add 0xfff plus the lowest kept bit
;;       (so an exact half rounds to the even neighbour), then clear the 13.
;;       A carry out of the mantissa moves to the next exponent, which is the
;;       right answer (e.g. 2047.5 spacings -> the next power of two); below
;;       65520 the result stays at most 65504;
;;   below 2^-14 (FP16 subnormals and zero): the spacing is 2^-24, so scale
;;       by 2^24 (exact: a power of two, no overflow or underflow), round to
;;       an integer with nearest (ties to even) and scale back (exact);
;; then the sign bit of u is put back on the magnitude.
;; Each lane computes every case and selects, so there is no branch per value.
;;
;; Compiled to fp16Binary.ts by `npm run kernels` (scripts/build_kernels.mjs).
(module
  (import "env" "memory" (memory 1))

  ;; x: n float32 values; out: where their rounded values go (may equal x).
  (func (export "fp16")
    (param $x i32) (param $out i32) (param $n i32)
    (local $i i32) (local $n4 i32) (local $off i32)
    (local $vu v128) (local $va v128) (local $vmag v128)
    (local $u i32) (local $a i32) (local $mag i32)
    (local.set $n4 (i32.and (local.get $n) (i32.const -4)))
    (local.set $i (i32.const 0))
    (block $done4
      (loop $four
        (br_if $done4 (i32.ge_u (local.get $i) (local.get $n4)))
        (local.set $off (i32.shl (local.get $i) (i32.const 2)))
        (local.set $vu (v128.load (i32.add (local.get $x) (local.get $off))))
        (local.set $va (v128.and (local.get $vu) (i32x4.splat (i32.const 0x7fffffff))))
        ;; FP16 normal range: round the 13 dropped mantissa bits to nearest, ties to even.
        (local.set $vmag
          (v128.and
            (i32x4.add
              (i32x4.add (local.get $va) (i32x4.splat (i32.const 0xfff)))
              (v128.and (i32x4.shr_u (local.get $va) (i32.const 13)) (i32x4.splat (i32.const 1))))
            (i32x4.splat (i32.const 0xffffe000))))
        ;; below 2^-14: multiples of 2^-24, chosen where the normal rule does not apply.
        (local.set $vmag
          (v128.bitselect
            (local.get $vmag)
            (f32x4.mul
              (f32x4.nearest (f32x4.mul (local.get $va) (f32x4.splat (f32.const 0x1p24))))
              (f32x4.splat (f32.const 0x1p-24)))
            (i32x4.ge_s (local.get $va) (i32x4.splat (i32.const 0x38800000)))))
        ;; 65520 and above, Infinity included: Infinity.
        (local.set $vmag
          (v128.bitselect
            (i32x4.splat (i32.const 0x7f800000))
            (local.get $vmag)
            (i32x4.ge_s (local.get $va) (i32x4.splat (i32.const 0x477ff000)))))
        ;; the sign back on; NaN lanes keep their input bits.
        (v128.store (i32.add (local.get $out) (local.get $off))
          (v128.bitselect
            (local.get $vu)
            (v128.or (local.get $vmag) (v128.and (local.get $vu) (i32x4.splat (i32.const 0x80000000))))
            (i32x4.gt_s (local.get $va) (i32x4.splat (i32.const 0x7f800000)))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $four)))
    ;; the last n mod 4 values, one at a time, by the same rule.
    (block $done
      (loop $one
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $off (i32.shl (local.get $i) (i32.const 2)))
        (local.set $u (i32.load (i32.add (local.get $x) (local.get $off))))
        (local.set $a (i32.and (local.get $u) (i32.const 0x7fffffff)))
        (local.set $mag
          (select
            (i32.and
              (i32.add
                (i32.add (local.get $a) (i32.const 0xfff))
                (i32.and (i32.shr_u (local.get $a) (i32.const 13)) (i32.const 1)))
              (i32.const 0xffffe000))
            (i32.reinterpret_f32
              (f32.mul
                (f32.nearest (f32.mul (f32.reinterpret_i32 (local.get $a)) (f32.const 0x1p24)))
                (f32.const 0x1p-24)))
            (i32.ge_s (local.get $a) (i32.const 0x38800000))))
        (local.set $mag
          (select
            (i32.const 0x7f800000)
            (local.get $mag)
            (i32.ge_s (local.get $a) (i32.const 0x477ff000))))
        (i32.store (i32.add (local.get $out) (local.get $off))
          (select
            (local.get $u)
            (i32.or (local.get $mag) (i32.and (local.get $u) (i32.const 0x80000000)))
            (i32.gt_s (local.get $a) (i32.const 0x7f800000))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $one)))))
