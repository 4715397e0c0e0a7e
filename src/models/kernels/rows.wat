;; Row gathers and scatter-adds for embeddings, on tfjs's wasm memory.
;;
;; Why: on wasm the embedding's forward pass was oneHot(ids) times the table
;; and its backward pass oneHot(ids)^T dy, two products with a [B*T, V]
;; one-hot matrix (tfjs's OneHot alone took 0.7 ms a call for 1024 ids);
;; copying rows is one pass over the output. Rows are contiguous: row r of a
;; [rows, c] float32 matrix starts at byte base + r*c*4. ids are int32.
;; Compiled to rowsBinary.ts by `npm run kernels` (scripts/build_kernels.mjs).
(module
  (import "env" "memory" (memory 1))

  ;; out[n, :] = table[ids[n], :] for n < count, or zeros where ids[n] is
  ;; not in [0, v) (what the one-hot product gave).
  (func (export "gather") (param $table i32) (param $v i32) (param $c i32) (param $ids i32) (param $count i32)
    (param $out i32)
    (local $n i32) (local $id i32) (local $src i32) (local $dst i32) (local $bytes i32)
    (local.set $bytes (i32.shl (local.get $c) (i32.const 2)))
    (local.set $dst (local.get $out))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $n) (local.get $count)))
        (local.set $id (i32.load (i32.add (local.get $ids) (i32.shl (local.get $n) (i32.const 2)))))
        (if (i32.lt_u (local.get $id) (local.get $v)) ;; unsigned: negative ids are out of range too
          (then
            (local.set $src (i32.add (local.get $table) (i32.mul (local.get $id) (local.get $bytes))))
            (memory.copy (local.get $dst) (local.get $src) (local.get $bytes)))
          (else (memory.fill (local.get $dst) (i32.const 0) (local.get $bytes))))
        (local.set $dst (i32.add (local.get $dst) (local.get $bytes)))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (br $each))))

  ;; out[r, :] = sum of dy[n, :] over n < count with ids[n] = r, for r < v
  ;; (rows no id names are zeros; out-of-range ids add nothing). Rows are
  ;; added in the order of n, four columns at a time, the last c % 4 singly.
  (func (export "scatterAdd") (param $dy i32) (param $c i32) (param $ids i32) (param $count i32)
    (param $v i32) (param $out i32)
    (local $n i32) (local $id i32) (local $src i32) (local $dst i32) (local $j i32) (local $bytes i32)
    (local.set $bytes (i32.shl (local.get $c) (i32.const 2)))
    (memory.fill (local.get $out) (i32.const 0) (i32.mul (local.get $v) (local.get $bytes)))
    (local.set $src (local.get $dy))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $n) (local.get $count)))
        (local.set $id (i32.load (i32.add (local.get $ids) (i32.shl (local.get $n) (i32.const 2)))))
        (if (i32.lt_u (local.get $id) (local.get $v))
          (then
            (local.set $dst (i32.add (local.get $out) (i32.mul (local.get $id) (local.get $bytes))))
            (local.set $j (i32.const 0))
            (block $wideDone
              (loop $wide
                (br_if $wideDone (i32.gt_u (i32.add (local.get $j) (i32.const 16)) (local.get $bytes)))
                (v128.store (i32.add (local.get $dst) (local.get $j))
                  (f32x4.add (v128.load (i32.add (local.get $dst) (local.get $j)))
                    (v128.load (i32.add (local.get $src) (local.get $j)))))
                (local.set $j (i32.add (local.get $j) (i32.const 16)))
                (br $wide)))
            (block $narrowDone
              (loop $narrow
                (br_if $narrowDone (i32.ge_u (local.get $j) (local.get $bytes)))
                (f32.store (i32.add (local.get $dst) (local.get $j))
                  (f32.add (f32.load (i32.add (local.get $dst) (local.get $j)))
                    (f32.load (i32.add (local.get $src) (local.get $j)))))
                (local.set $j (i32.add (local.get $j) (i32.const 4)))
                (br $narrow)))))
        (local.set $src (i32.add (local.get $src) (local.get $bytes)))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (br $each)))))
