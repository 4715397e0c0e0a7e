;; Strided, batched matrix product with 128-bit SIMD, for tfjs's wasm backend.
;;
;; Why it exists: tfjs-backend-wasm runs a batched BatchMatMul (attention's
;; q k^T, P v and the four products of their backward pass) as a plain scalar
;; loop, about half of a training step of the default GPT; XNNPACK is only used
;; for batch 1. This kernel also reads and writes through arbitrary strides,
;; so attention can take q, k and v straight out of the fused [B*T, 3d]
;; projection and write heads straight back into a [B*T, d] stream, without
;; the transposes and slices that split heads (wasm slices in JavaScript).
;;
;; It shares the linear memory of tfjs's wasm module; every address below is
;; a byte offset into it. src/models/kernels/stridedGemm.ts checks that all
;; operands lie inside their tensors before calling.
;;
;; Compiled to gemmBinary.ts by `npm run kernels` (scripts/build_kernels.mjs).
(module
  (import "env" "memory" (memory 1))

  ;; C[b,h] = alpha * A[b,h] B[b,h] for b < nb, h < nh, overwriting C.
  ;; A[b,h] is [m, k], B[b,h] is [k, n], C[b,h] is [m, n]. Element (i, j) of
  ;; X[b,h] is at byte x + b*xsb + h*xsh + i*xsr + j*xsc. ap and bp are
  ;; scratch, 16-byte aligned: ap holds ceil(m/4)*4*k floats (unused when A's
  ;; columns are contiguous, asc = 4: then A is read in place), bp k*ceil(n/8)*8
  ;; and then ceil(n/8)*8 more. With $bias non-zero (the byte address of n
  ;; contiguous floats), C = alpha A B + bias, the bias added to every row.
  (func (export "gemm")
    (param $a i32) (param $asb i32) (param $ash i32) (param $asr i32) (param $asc i32)
    (param $b i32) (param $bsb i32) (param $bsh i32) (param $bsr i32) (param $bsc i32)
    (param $c i32) (param $csb i32) (param $csh i32) (param $csr i32) (param $csc i32)
    (param $nb i32) (param $nh i32) (param $m i32) (param $n i32) (param $k i32)
    (param $alpha f32) (param $ap i32) (param $bp i32) (param $bias i32)
    (local $ib i32) (local $ih i32) (local $mp i32) (local $np i32)
    (local $pa i32) (local $pb i32) (local $pc i32)
    (local.set $mp (i32.and (i32.add (local.get $m) (i32.const 3)) (i32.const -4)))
    (local.set $np (i32.and (i32.add (local.get $n) (i32.const 7)) (i32.const -8)))
    ;; The bias, padded with zeros to np, after packed B (0: no bias).
    (if (local.get $bias) (then
      (call $packB (local.get $bias) (i32.const 0) (i32.const 4) (local.get $n) (local.get $np) (i32.const 1)
        (local.tee $bias (i32.add (local.get $bp) (i32.shl (i32.mul (local.get $k) (local.get $np)) (i32.const 2)))))))
    (local.set $ib (i32.const 0))
    (loop $batches
      (local.set $ih (i32.const 0))
      (loop $heads
        (local.set $pa (i32.add (local.get $a) (i32.add
          (i32.mul (local.get $ib) (local.get $asb)) (i32.mul (local.get $ih) (local.get $ash)))))
        (local.set $pb (i32.add (local.get $b) (i32.add
          (i32.mul (local.get $ib) (local.get $bsb)) (i32.mul (local.get $ih) (local.get $bsh)))))
        (local.set $pc (i32.add (local.get $c) (i32.add
          (i32.mul (local.get $ib) (local.get $csb)) (i32.mul (local.get $ih) (local.get $csh)))))
        (call $packB (local.get $pb) (local.get $bsr) (local.get $bsc) (local.get $n) (local.get $np)
          (local.get $k) (local.get $bp))
        (if (i32.eq (local.get $asc) (i32.const 4))
          (then
            ;; A's rows are contiguous (a b, a b^T): the tiles read A in place,
            ;; panels 4 rows apart, rows asr bytes apart, 4 bytes per k.
            (call $tiles (local.get $pa) (i32.shl (local.get $asr) (i32.const 2)) (local.get $asr) (i32.const 4)
              (local.get $bp) (local.get $pc) (local.get $csr) (local.get $csc)
              (local.get $m) (local.get $n) (local.get $mp) (local.get $np) (local.get $k) (local.get $alpha) (local.get $bias)))
          (else
            (call $packA (local.get $pa) (local.get $asr) (local.get $asc) (local.get $m) (local.get $mp)
              (local.get $k) (local.get $ap))
            (call $tiles (local.get $ap) (i32.shl (local.get $k) (i32.const 4)) (i32.const 4) (i32.const 16)
              (local.get $bp) (local.get $pc) (local.get $csr) (local.get $csc)
              (local.get $m) (local.get $n) (local.get $mp) (local.get $np) (local.get $k) (local.get $alpha) (local.get $bias))))
        (br_if $heads (i32.lt_u (local.tee $ih (i32.add (local.get $ih) (i32.const 1))) (local.get $nh))))
      (br_if $batches (i32.lt_u (local.tee $ib (i32.add (local.get $ib) (i32.const 1))) (local.get $nb)))))

  ;; A [m, k] -> panels of 4 rows, k-major: element (i, kk) at byte
  ;; dst + (i/4)*16k + kk*16 + (i%4)*4, so one step of the inner loop reads
  ;; 4 consecutive floats. Rows m..mp-1 are zeros. When A's rows are 4 bytes
  ;; apart (A = x^T of a row-major x), a whole panel's 4 values for one kk
  ;; are one 16-byte copy; the rows after the last whole panel go one by one.
  (func $packA (param $src i32) (param $sr i32) (param $sc i32) (param $m i32) (param $mp i32)
    (param $k i32) (param $dst i32)
    (local $i i32) (local $kk i32) (local $s i32) (local $d i32)
    (local.set $i (i32.const 0))
    (if (i32.eq (local.get $sr) (i32.const 4)) (then
      (block $panelsDone
        (loop $panels
          (br_if $panelsDone (i32.gt_u (i32.add (local.get $i) (i32.const 4)) (local.get $m)))
          (local.set $s (i32.add (local.get $src) (i32.shl (local.get $i) (i32.const 2))))
          (local.set $d (i32.add (local.get $dst) (i32.mul (local.get $i) (i32.shl (local.get $k) (i32.const 2)))))
          (local.set $kk (local.get $k))
          (loop $copy4
            (v128.store (local.get $d) (v128.load (local.get $s)))
            (local.set $s (i32.add (local.get $s) (local.get $sc)))
            (local.set $d (i32.add (local.get $d) (i32.const 16)))
            (br_if $copy4 (local.tee $kk (i32.sub (local.get $kk) (i32.const 1)))))
          (local.set $i (i32.add (local.get $i) (i32.const 4)))
          (br $panels)))))
    (if (i32.ge_u (local.get $i) (local.get $mp)) (then (return)))
    (loop $rows
      (local.set $d (i32.add (local.get $dst) (i32.add
        (i32.mul (i32.shr_u (local.get $i) (i32.const 2)) (i32.shl (local.get $k) (i32.const 4)))
        (i32.shl (i32.and (local.get $i) (i32.const 3)) (i32.const 2)))))
      (local.set $s (i32.add (local.get $src) (i32.mul (local.get $i) (local.get $sr))))
      (local.set $kk (local.get $k))
      (if (i32.lt_u (local.get $i) (local.get $m))
        (then
          (loop $copy
            (f32.store (local.get $d) (f32.load (local.get $s)))
            (local.set $s (i32.add (local.get $s) (local.get $sc)))
            (local.set $d (i32.add (local.get $d) (i32.const 16)))
            (br_if $copy (local.tee $kk (i32.sub (local.get $kk) (i32.const 1))))))
        (else
          (loop $zero
            (f32.store (local.get $d) (f32.const 0))
            (local.set $d (i32.add (local.get $d) (i32.const 16)))
            (br_if $zero (local.tee $kk (i32.sub (local.get $kk) (i32.const 1)))))))
      (br_if $rows (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $mp)))))

  ;; B [k, n] -> panels of 8 columns, k-major: element (kk, j) at byte
  ;; dst + (j/8)*32k + kk*32 + (j%8)*4, so a tile reads its 8 columns of B
  ;; as one sequential run. Columns n..np-1 are zeros. With k = 1 this is a
  ;; plain copy padded to np (the bias).
  (func $packB (param $src i32) (param $sr i32) (param $sc i32) (param $n i32) (param $np i32)
    (param $k i32) (param $dst i32)
    (local $kk i32) (local $j i32) (local $s i32) (local $d i32) (local $panel i32)
    (local.set $panel (i32.shl (local.get $k) (i32.const 5)))
    (local.set $kk (i32.const 0))
    (loop $rows
      (local.set $s (i32.add (local.get $src) (i32.mul (local.get $kk) (local.get $sr))))
      (local.set $d (i32.add (local.get $dst) (i32.shl (local.get $kk) (i32.const 5))))
      (local.set $j (i32.const 0))
      ;; Whole panels of a contiguous row: two vector copies each.
      (if (i32.eq (local.get $sc) (i32.const 4)) (then
        (block $wideDone
          (loop $wide
            (br_if $wideDone (i32.gt_u (i32.add (local.get $j) (i32.const 8)) (local.get $n)))
            (v128.store (local.get $d) (v128.load (local.get $s)))
            (v128.store offset=16 (local.get $d) (v128.load offset=16 (local.get $s)))
            (local.set $s (i32.add (local.get $s) (i32.const 32)))
            (local.set $d (i32.add (local.get $d) (local.get $panel)))
            (local.set $j (i32.add (local.get $j) (i32.const 8)))
            (br $wide)))))
      ;; The rest one by one: d steps 4 bytes within a panel, then to the next
      ;; panel. s stops at column n-1, so the load a padding column discards
      ;; still reads inside B.
      (block $copyDone
        (loop $copy
          (br_if $copyDone (i32.ge_u (local.get $j) (local.get $np)))
          (f32.store (local.get $d)
            (select (f32.load (local.get $s)) (f32.const 0) (i32.lt_u (local.get $j) (local.get $n))))
          (local.set $s (i32.add (local.get $s) (select (local.get $sc) (i32.const 0)
            (i32.lt_u (i32.add (local.get $j) (i32.const 1)) (local.get $n)))))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (local.set $d (select
            (i32.add (local.get $d) (i32.sub (local.get $panel) (i32.const 28)))
            (i32.add (local.get $d) (i32.const 4))
            (i32.eqz (i32.and (local.get $j) (i32.const 7)))))
          (br $copy)))
      (br_if $rows (i32.lt_u (local.tee $kk (i32.add (local.get $kk) (i32.const 1))) (local.get $k)))))

  ;; A times packed B in tiles of 4 rows x 8 columns (eight 4-lane
  ;; accumulators), each tile scaled by alpha, plus the packed bias when $bias
  ;; is non-zero, and stored through C's strides. A's element (i, kk) is at
  ;; byte ap + (i/4)*panel + (i%4)*rs + kk*ks: packed (panel 16k, rs 4, ks 16)
  ;; or in place (panel 4*asr, rs asr, ks 4). Rows past m read row i0
  ;; instead (their sums are never stored), so A needs no padding.
  (func $tiles (param $ap i32) (param $panel i32) (param $rs i32) (param $ks i32)
    (param $bp i32) (param $c i32) (param $csr i32) (param $csc i32)
    (param $m i32) (param $n i32) (param $mp i32) (param $np i32) (param $k i32) (param $alpha f32)
    (param $bias i32)
    (local $i0 i32) (local $j0 i32) (local $kk i32) (local $pa i32) (local $pb i32) (local $bstep i32)
    (local $cols i32) (local $row i32) (local $r1 i32) (local $r2 i32) (local $r3 i32)
    (local $x0 v128) (local $x1 v128) (local $x2 v128) (local $x3 v128)
    (local $x4 v128) (local $x5 v128) (local $x6 v128) (local $x7 v128)
    (local $b0 v128) (local $b1 v128) (local $s v128) (local $al v128) (local $c0 v128) (local $c1 v128)
    (local.set $al (f32x4.splat (local.get $alpha)))
    (local.set $bstep (i32.const 32))
    (local.set $i0 (i32.const 0))
    (loop $tileRows
      ;; Byte offsets of rows 1-3 of this panel, 0 (row i0) for rows past m.
      (local.set $r1 (select (local.get $rs) (i32.const 0)
        (i32.lt_u (i32.add (local.get $i0) (i32.const 1)) (local.get $m))))
      (local.set $r2 (select (i32.shl (local.get $rs) (i32.const 1)) (i32.const 0)
        (i32.lt_u (i32.add (local.get $i0) (i32.const 2)) (local.get $m))))
      (local.set $r3 (select (i32.mul (local.get $rs) (i32.const 3)) (i32.const 0)
        (i32.lt_u (i32.add (local.get $i0) (i32.const 3)) (local.get $m))))
      (local.set $j0 (i32.const 0))
      (loop $tileCols
        (local.set $x0 (v128.const i32x4 0 0 0 0)) (local.set $x1 (v128.const i32x4 0 0 0 0))
        (local.set $x2 (v128.const i32x4 0 0 0 0)) (local.set $x3 (v128.const i32x4 0 0 0 0))
        (local.set $x4 (v128.const i32x4 0 0 0 0)) (local.set $x5 (v128.const i32x4 0 0 0 0))
        (local.set $x6 (v128.const i32x4 0 0 0 0)) (local.set $x7 (v128.const i32x4 0 0 0 0))
        (local.set $pa (i32.add (local.get $ap) (i32.mul (i32.shr_u (local.get $i0) (i32.const 2)) (local.get $panel))))
        (local.set $pb (i32.add (local.get $bp) (i32.mul (i32.shr_u (local.get $j0) (i32.const 3)) (i32.shl (local.get $k) (i32.const 5)))))
        (local.set $kk (local.get $k))
        (loop $inner
          (local.set $b0 (v128.load (local.get $pb)))
          (local.set $b1 (v128.load offset=16 (local.get $pb)))
          (local.set $s (v128.load32_splat (local.get $pa)))
          (local.set $x0 (f32x4.add (local.get $x0) (f32x4.mul (local.get $s) (local.get $b0))))
          (local.set $x1 (f32x4.add (local.get $x1) (f32x4.mul (local.get $s) (local.get $b1))))
          (local.set $s (v128.load32_splat (i32.add (local.get $pa) (local.get $r1))))
          (local.set $x2 (f32x4.add (local.get $x2) (f32x4.mul (local.get $s) (local.get $b0))))
          (local.set $x3 (f32x4.add (local.get $x3) (f32x4.mul (local.get $s) (local.get $b1))))
          (local.set $s (v128.load32_splat (i32.add (local.get $pa) (local.get $r2))))
          (local.set $x4 (f32x4.add (local.get $x4) (f32x4.mul (local.get $s) (local.get $b0))))
          (local.set $x5 (f32x4.add (local.get $x5) (f32x4.mul (local.get $s) (local.get $b1))))
          (local.set $s (v128.load32_splat (i32.add (local.get $pa) (local.get $r3))))
          (local.set $x6 (f32x4.add (local.get $x6) (f32x4.mul (local.get $s) (local.get $b0))))
          (local.set $x7 (f32x4.add (local.get $x7) (f32x4.mul (local.get $s) (local.get $b1))))
          (local.set $pa (i32.add (local.get $pa) (local.get $ks)))
          (local.set $pb (i32.add (local.get $pb) (local.get $bstep)))
          (br_if $inner (local.tee $kk (i32.sub (local.get $kk) (i32.const 1)))))
        ;; Columns of this tile inside C: min(8, n - j0).
        (local.set $cols (i32.sub (local.get $n) (local.get $j0)))
        (if (i32.gt_u (local.get $cols) (i32.const 8)) (then (local.set $cols (i32.const 8))))
        (local.set $row (i32.add (local.get $c)
          (i32.add (i32.mul (local.get $i0) (local.get $csr)) (i32.mul (local.get $j0) (local.get $csc)))))
        ;; alpha times the sums, plus this tile's 8 bias values (zeros without a bias).
        (local.set $c0 (v128.const i32x4 0 0 0 0))
        (local.set $c1 (v128.const i32x4 0 0 0 0))
        (if (local.get $bias) (then
          (local.set $c0 (v128.load (i32.add (local.get $bias) (i32.shl (local.get $j0) (i32.const 2)))))
          (local.set $c1 (v128.load offset=16 (i32.add (local.get $bias) (i32.shl (local.get $j0) (i32.const 2)))))))
        ;; A whole tile into contiguous rows: eight vector stores; else row by row.
        (if (i32.and (i32.and (i32.eq (local.get $cols) (i32.const 8)) (i32.eq (local.get $csc) (i32.const 4)))
              (i32.lt_u (i32.add (local.get $i0) (i32.const 3)) (local.get $m)))
          (then
            (v128.store (local.get $row) (f32x4.add (f32x4.mul (local.get $x0) (local.get $al)) (local.get $c0)))
            (v128.store offset=16 (local.get $row) (f32x4.add (f32x4.mul (local.get $x1) (local.get $al)) (local.get $c1)))
            (local.set $row (i32.add (local.get $row) (local.get $csr)))
            (v128.store (local.get $row) (f32x4.add (f32x4.mul (local.get $x2) (local.get $al)) (local.get $c0)))
            (v128.store offset=16 (local.get $row) (f32x4.add (f32x4.mul (local.get $x3) (local.get $al)) (local.get $c1)))
            (local.set $row (i32.add (local.get $row) (local.get $csr)))
            (v128.store (local.get $row) (f32x4.add (f32x4.mul (local.get $x4) (local.get $al)) (local.get $c0)))
            (v128.store offset=16 (local.get $row) (f32x4.add (f32x4.mul (local.get $x5) (local.get $al)) (local.get $c1)))
            (local.set $row (i32.add (local.get $row) (local.get $csr)))
            (v128.store (local.get $row) (f32x4.add (f32x4.mul (local.get $x6) (local.get $al)) (local.get $c0)))
            (v128.store offset=16 (local.get $row) (f32x4.add (f32x4.mul (local.get $x7) (local.get $al)) (local.get $c1))))
          (else
            (call $storeRow (local.get $row) (local.get $csc) (local.get $cols)
              (f32x4.add (f32x4.mul (local.get $x0) (local.get $al)) (local.get $c0))
              (f32x4.add (f32x4.mul (local.get $x1) (local.get $al)) (local.get $c1)))
            (if (i32.lt_u (i32.add (local.get $i0) (i32.const 1)) (local.get $m)) (then
              (call $storeRow (i32.add (local.get $row) (local.get $csr)) (local.get $csc) (local.get $cols)
                (f32x4.add (f32x4.mul (local.get $x2) (local.get $al)) (local.get $c0))
                (f32x4.add (f32x4.mul (local.get $x3) (local.get $al)) (local.get $c1)))))
            (if (i32.lt_u (i32.add (local.get $i0) (i32.const 2)) (local.get $m)) (then
              (call $storeRow (i32.add (local.get $row) (i32.shl (local.get $csr) (i32.const 1))) (local.get $csc) (local.get $cols)
                (f32x4.add (f32x4.mul (local.get $x4) (local.get $al)) (local.get $c0))
                (f32x4.add (f32x4.mul (local.get $x5) (local.get $al)) (local.get $c1)))))
            (if (i32.lt_u (i32.add (local.get $i0) (i32.const 3)) (local.get $m)) (then
              (call $storeRow (i32.add (local.get $row) (i32.mul (local.get $csr) (i32.const 3))) (local.get $csc) (local.get $cols)
                (f32x4.add (f32x4.mul (local.get $x6) (local.get $al)) (local.get $c0))
                (f32x4.add (f32x4.mul (local.get $x7) (local.get $al)) (local.get $c1)))))))
        (br_if $tileCols (i32.lt_u (local.tee $j0 (i32.add (local.get $j0) (i32.const 8))) (local.get $np))))
      (br_if $tileRows (i32.lt_u (local.tee $i0 (i32.add (local.get $i0) (i32.const 4))) (local.get $mp)))))

  ;; The first `cols` (1..8) of the 8 values lo|hi to dst, dst+csc, ...
  ;; Two vector stores when the row is whole and contiguous.
  (func $storeRow (param $dst i32) (param $csc i32) (param $cols i32) (param $lo v128) (param $hi v128)
    (if (i32.and (i32.eq (local.get $cols) (i32.const 8)) (i32.eq (local.get $csc) (i32.const 4)))
      (then
        (v128.store (local.get $dst) (local.get $lo))
        (v128.store offset=16 (local.get $dst) (local.get $hi))
        (return)))
    (f32.store (local.get $dst) (f32x4.extract_lane 0 (local.get $lo)))
    (br_if 0 (i32.le_u (local.get $cols) (i32.const 1)))
    (f32.store (local.tee $dst (i32.add (local.get $dst) (local.get $csc))) (f32x4.extract_lane 1 (local.get $lo)))
    (br_if 0 (i32.le_u (local.get $cols) (i32.const 2)))
    (f32.store (local.tee $dst (i32.add (local.get $dst) (local.get $csc))) (f32x4.extract_lane 2 (local.get $lo)))
    (br_if 0 (i32.le_u (local.get $cols) (i32.const 3)))
    (f32.store (local.tee $dst (i32.add (local.get $dst) (local.get $csc))) (f32x4.extract_lane 3 (local.get $lo)))
    (br_if 0 (i32.le_u (local.get $cols) (i32.const 4)))
    (f32.store (local.tee $dst (i32.add (local.get $dst) (local.get $csc))) (f32x4.extract_lane 0 (local.get $hi)))
    (br_if 0 (i32.le_u (local.get $cols) (i32.const 5)))
    (f32.store (local.tee $dst (i32.add (local.get $dst) (local.get $csc))) (f32x4.extract_lane 1 (local.get $hi)))
    (br_if 0 (i32.le_u (local.get $cols) (i32.const 6)))
    (f32.store (local.tee $dst (i32.add (local.get $dst) (local.get $csc))) (f32x4.extract_lane 2 (local.get $hi)))
    (br_if 0 (i32.le_u (local.get $cols) (i32.const 7)))
    (f32.store (local.tee $dst (i32.add (local.get $dst) (local.get $csc))) (f32x4.extract_lane 3 (local.get $hi))))

  ;; out[j] = sum over i < rows of x[i, j] for j < cols, rows of x `rs` bytes
  ;; apart, columns contiguous: a bias or layer-norm gain gradient. Four
  ;; columns at a time, rows added in order; the last cols % 4 one by one.
  (func (export "colsum") (param $x i32) (param $rows i32) (param $cols i32) (param $rs i32) (param $out i32)
    (local $j i32) (local $i i32) (local $p i32) (local $acc v128) (local $one f32)
    (local.set $j (i32.const 0))
    (block $wideDone
      (loop $wide
        (br_if $wideDone (i32.gt_u (i32.add (local.get $j) (i32.const 4)) (local.get $cols)))
        (local.set $acc (v128.const i32x4 0 0 0 0))
        (local.set $p (i32.add (local.get $x) (i32.shl (local.get $j) (i32.const 2))))
        (local.set $i (local.get $rows))
        (loop $down
          (local.set $acc (f32x4.add (local.get $acc) (v128.load (local.get $p))))
          (local.set $p (i32.add (local.get $p) (local.get $rs)))
          (br_if $down (local.tee $i (i32.sub (local.get $i) (i32.const 1)))))
        (v128.store (i32.add (local.get $out) (i32.shl (local.get $j) (i32.const 2))) (local.get $acc))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $wide)))
    (block $narrowDone
      (loop $narrow
        (br_if $narrowDone (i32.ge_u (local.get $j) (local.get $cols)))
        (local.set $one (f32.const 0))
        (local.set $p (i32.add (local.get $x) (i32.shl (local.get $j) (i32.const 2))))
        (local.set $i (local.get $rows))
        (loop $down1
          (local.set $one (f32.add (local.get $one) (f32.load (local.get $p))))
          (local.set $p (i32.add (local.get $p) (local.get $rs)))
          (br_if $down1 (local.tee $i (i32.sub (local.get $i) (i32.const 1)))))
        (f32.store (i32.add (local.get $out) (i32.shl (local.get $j) (i32.const 2))) (local.get $one))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $narrow)))))
