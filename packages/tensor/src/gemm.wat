;; gemm.wat — the WebAssembly SIMD matrix-multiply kernel behind `gemm` (see gemm-wasm.ts).
;;
;;   c[m×n] = op(a) · op(b)        or, with accumulate,   c += op(a) · op(b)
;;
;; the same product as the TypeScript kernel in gemm.ts, with the same strides: entry
;; (i, p) of op(a) is a[i·aRow + p·aCol], entry (p, j) of op(b) is b[p·bRow + j·bCol].
;; All pointers are byte offsets into this module's memory; the strides count float64s.
;;
;; Written as WebAssembly text, not compiled from another language, so that every
;; instruction the CPU will run is on the page: a reader sees the loads, the f64x2
;; multiplies and adds, and nothing else. The `wabt` assembler turns it into bytes
;; (scripts/assemble-gemm.ts); the bytes are committed, so nothing is built at run time.
;;
;; Why it is fast (the JavaScript kernel does the first step only):
;;   1. Register tile. A 4×4 tile of c is held in eight f64x2 registers while p runs
;;      over k: each step loads 4 numbers of op(a) and 4 of op(b) and does 16
;;      multiply-adds with them.
;;   2. SIMD. One f64x2.mul multiplies two doubles, so the 16 multiply-adds are
;;      8 vector multiplies and 8 vector adds.
;;   3. Packing. Before multiplying, a block of op(a) is copied into panels of 4 rows
;;      and a block of op(b) into panels of 4 columns, each stored p by p, so the inner
;;      loop reads both with unit stride whatever the transposes were, and a panel
;;      padded with zeros makes every tile a full 4×4 tile.
;;   4. Blocking k. Panels cover KC = 256 values of p at a time: a panel of op(b) is
;;      8 KiB and stays in the L1 cache while it meets every panel of op(a). A long
;;      k (the weight gradients sum over all T·B rows, k = 1600) no longer streams
;;      whole rows through the cache for every tile.
;;   5. Packing once. A right operand used by many products (W_hh, at every step of a
;;      recurrent pass) can be packed whole by packRight and then multiplied by
;;      gemmPacked, which skips the packing of op(b) (gemm-packed.ts).
;;
;; Same bits as the TypeScript kernel. Each entry's sum is formed in the same order as
;; there: from zero, p = 0, 1, …, k − 1, and only then added to c when accumulating.
;; Across blocks of p the running sum is parked in c and picked up again (a tile after
;; the first block starts from what c holds), and for k > KC with accumulate the caller
;; adds the old c at the end (gemm-wasm.ts). f64x2.mul and f64x2.add round each lane
;; exactly as * and + do, so the results are identical, not merely close.
(module
  (memory (export "memory") 1)

  ;; KC: the values of p in one block. MC: the rows of op(a) in one block.
  (global $KC i32 (i32.const 256))
  (global $MC i32 (i32.const 64))

  ;; packB: op(b)[pc .. pc+kc)[0 .. n) into panels of 4 columns. Panel jp holds
  ;; op(b)[pc + p][4·jp + q] at out + 8·(4·kc·jp + 4·p + q), zero where 4·jp + q ≥ n.
  ;; One column at a time: a pointer walks down column 4·jp + q of op(b) (bRow apart)
  ;; while the output pointer steps 32 bytes, one panel row, at a time.
  (func $packB (param $b i32) (param $pc i32) (param $kc i32) (param $n i32)
               (param $bRow i32) (param $bCol i32) (param $out i32)
    (local $col i32) (local $q i32) (local $from i32) (local $to i32) (local $end i32)
    (local $step i32) (local $panelBytes i32)
    (local.set $step (i32.shl (local.get $bRow) (i32.const 3)))
    (local.set $panelBytes (i32.shl (local.get $kc) (i32.const 5)))
    (local.set $col (i32.const 0))
    (block $doneJ (loop $nextJ
      (br_if $doneJ (i32.ge_u (local.get $col) (local.get $n)))
      (local.set $q (i32.const 0))
      ;; When op(b)'s rows are contiguous (bCol = 1) and the panel is whole, its four
      ;; values of each p sit side by side: copy them as two v128s, p after p. Walking
      ;; columns one at a time instead would fetch each cache line four times.
      (if (i32.and (i32.eq (local.get $bCol) (i32.const 1))
                   (i32.le_u (i32.add (local.get $col) (i32.const 4)) (local.get $n)))
        (then
          (local.set $from (i32.add (local.get $b) (i32.shl
            (i32.add (i32.mul (local.get $pc) (local.get $bRow)) (local.get $col))
            (i32.const 3))))
          (local.set $to (local.get $out))
          (local.set $end (i32.add (local.get $to) (local.get $panelBytes)))
          (block $doneP (loop $nextP
            (br_if $doneP (i32.ge_u (local.get $to) (local.get $end)))
            (v128.store (local.get $to) (v128.load (local.get $from)))
            (v128.store offset=16 (local.get $to) (v128.load offset=16 (local.get $from)))
            (local.set $from (i32.add (local.get $from) (local.get $step)))
            (local.set $to (i32.add (local.get $to) (i32.const 32)))
            (br $nextP)))
          (local.set $q (i32.const 4))))
      (block $doneQ (loop $nextQ
        (br_if $doneQ (i32.ge_u (local.get $q) (i32.const 4)))
        (local.set $to (i32.add (local.get $out) (i32.shl (local.get $q) (i32.const 3))))
        (local.set $end (i32.add (local.get $to) (local.get $panelBytes)))
        (if (i32.lt_u (i32.add (local.get $col) (local.get $q)) (local.get $n))
          (then
            (local.set $from (i32.add (local.get $b) (i32.shl
              (i32.add (i32.mul (local.get $pc) (local.get $bRow))
                       (i32.mul (i32.add (local.get $col) (local.get $q)) (local.get $bCol)))
              (i32.const 3))))
            (block $doneP (loop $nextP
              (br_if $doneP (i32.ge_u (local.get $to) (local.get $end)))
              (f64.store (local.get $to) (f64.load (local.get $from)))
              (local.set $from (i32.add (local.get $from) (local.get $step)))
              (local.set $to (i32.add (local.get $to) (i32.const 32)))
              (br $nextP))))
          (else
            (block $doneZ (loop $nextZ
              (br_if $doneZ (i32.ge_u (local.get $to) (local.get $end)))
              (f64.store (local.get $to) (f64.const 0))
              (local.set $to (i32.add (local.get $to) (i32.const 32)))
              (br $nextZ)))))
        (local.set $q (i32.add (local.get $q) (i32.const 1)))
        (br $nextQ)))
      (local.set $out (i32.add (local.get $out) (local.get $panelBytes)))
      (local.set $col (i32.add (local.get $col) (i32.const 4)))
      (br $nextJ))))

  ;; packA: op(a)[ic .. ic+mc)[pc .. pc+kc) into panels of 4 rows. Panel ip holds
  ;; op(a)[ic + 4·ip + r][pc + p] at out + 8·(4·kc·ip + 4·p + r), zero past row ic+mc.
  ;; One row at a time, as packB does columns.
  (func $packA (param $a i32) (param $ic i32) (param $mc i32) (param $pc i32) (param $kc i32)
               (param $aRow i32) (param $aCol i32) (param $out i32)
    (local $row i32) (local $r i32) (local $from i32) (local $to i32) (local $end i32)
    (local $step i32) (local $panelBytes i32)
    (local.set $step (i32.shl (local.get $aCol) (i32.const 3)))
    (local.set $panelBytes (i32.shl (local.get $kc) (i32.const 5)))
    (local.set $row (i32.const 0))
    (block $doneI (loop $nextI
      (br_if $doneI (i32.ge_u (local.get $row) (local.get $mc)))
      (local.set $r (i32.const 0))
      ;; When op(a)'s columns are contiguous (aRow = 1, a transposed a) and the panel is
      ;; whole, copy its four values of each p as two v128s, as packB does.
      (if (i32.and (i32.eq (local.get $aRow) (i32.const 1))
                   (i32.le_u (i32.add (local.get $row) (i32.const 4)) (local.get $mc)))
        (then
          (local.set $from (i32.add (local.get $a) (i32.shl
            (i32.add (i32.add (local.get $ic) (local.get $row))
                     (i32.mul (local.get $pc) (local.get $aCol)))
            (i32.const 3))))
          (local.set $to (local.get $out))
          (local.set $end (i32.add (local.get $to) (local.get $panelBytes)))
          (block $doneP (loop $nextP
            (br_if $doneP (i32.ge_u (local.get $to) (local.get $end)))
            (v128.store (local.get $to) (v128.load (local.get $from)))
            (v128.store offset=16 (local.get $to) (v128.load offset=16 (local.get $from)))
            (local.set $from (i32.add (local.get $from) (local.get $step)))
            (local.set $to (i32.add (local.get $to) (i32.const 32)))
            (br $nextP)))
          (local.set $r (i32.const 4))))
      (block $doneR (loop $nextR
        (br_if $doneR (i32.ge_u (local.get $r) (i32.const 4)))
        (local.set $to (i32.add (local.get $out) (i32.shl (local.get $r) (i32.const 3))))
        (local.set $end (i32.add (local.get $to) (local.get $panelBytes)))
        (if (i32.lt_u (i32.add (local.get $row) (local.get $r)) (local.get $mc))
          (then
            (local.set $from (i32.add (local.get $a) (i32.shl
              (i32.add
                (i32.mul (i32.add (local.get $ic) (i32.add (local.get $row) (local.get $r)))
                         (local.get $aRow))
                (i32.mul (local.get $pc) (local.get $aCol)))
              (i32.const 3))))
            (block $doneP (loop $nextP
              (br_if $doneP (i32.ge_u (local.get $to) (local.get $end)))
              (f64.store (local.get $to) (f64.load (local.get $from)))
              (local.set $from (i32.add (local.get $from) (local.get $step)))
              (local.set $to (i32.add (local.get $to) (i32.const 32)))
              (br $nextP))))
          (else
            (block $doneZ (loop $nextZ
              (br_if $doneZ (i32.ge_u (local.get $to) (local.get $end)))
              (f64.store (local.get $to) (f64.const 0))
              (local.set $to (i32.add (local.get $to) (i32.const 32)))
              (br $nextZ)))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $nextR)))
      (local.set $out (i32.add (local.get $out) (local.get $panelBytes)))
      (local.set $row (i32.add (local.get $row) (i32.const 4)))
      (br $nextI))))

  ;; storeRow: write (or add) one row of a tile, c[0..1] = lo and c[2..3] = hi, keeping
  ;; only the first `cols` entries (when fewer than 4) where the tile hangs over c's edge.
  (func $storeRow (param $c i32) (param $lo v128) (param $hi v128) (param $cols i32)
                  (param $accumulate i32)
    (if (i32.ge_u (local.get $cols) (i32.const 4))
      (then
        (if (local.get $accumulate)
          (then
            (local.set $lo (f64x2.add (local.get $lo) (v128.load (local.get $c))))
            (local.set $hi (f64x2.add (local.get $hi) (v128.load offset=16 (local.get $c))))))
        (v128.store (local.get $c) (local.get $lo))
        (v128.store offset=16 (local.get $c) (local.get $hi))
        (return)))
    (if (local.get $accumulate)
      (then
        (local.set $lo (f64x2.add (local.get $lo) (v128.load64_zero (local.get $c))))))
    (f64.store (local.get $c) (f64x2.extract_lane 0 (local.get $lo)))
    (if (i32.ge_u (local.get $cols) (i32.const 2))
      (then (f64.store offset=8 (local.get $c) (f64.add
        (f64x2.extract_lane 1 (local.get $lo))
        (if (result f64) (local.get $accumulate)
          (then (f64.load offset=8 (local.get $c))) (else (f64.const 0)))))))
    (if (i32.ge_u (local.get $cols) (i32.const 3))
      (then (f64.store offset=16 (local.get $c) (f64.add
        (f64x2.extract_lane 0 (local.get $hi))
        (if (result f64) (local.get $accumulate)
          (then (f64.load offset=16 (local.get $c))) (else (f64.const 0))))))))

  ;; tile: the 4×4 block of c at `c` (+)= panel of op(a) at pa · panel of op(b) at pb,
  ;; over kc values of p. cRs is the running sum of row R, columns 0–1 (L) or 2–3 (H):
  ;; zero at the first block of p, or (resume ≠ 0) the partial sums that c holds.
  (func $tile (param $pa i32) (param $pb i32) (param $kc i32) (param $c i32)
              (param $rowBytes i32) (param $rows i32) (param $cols i32) (param $accumulate i32)
              (param $resume i32)
    (local $c0L v128) (local $c0H v128) (local $c1L v128) (local $c1H v128)
    (local $c2L v128) (local $c2H v128) (local $c3L v128) (local $c3H v128)
    (local $bL v128) (local $bH v128) (local $x v128) (local $end i32) (local $row i32)
    (if (local.get $resume)
      (then
        ;; Lanes past column n read whatever follows (the caller pads c by 32 bytes);
        ;; they are never stored.
        (local.set $row (local.get $c))
        (local.set $c0L (v128.load (local.get $row)))
        (local.set $c0H (v128.load offset=16 (local.get $row)))
        (if (i32.ge_u (local.get $rows) (i32.const 2)) (then
          (local.set $row (i32.add (local.get $row) (local.get $rowBytes)))
          (local.set $c1L (v128.load (local.get $row)))
          (local.set $c1H (v128.load offset=16 (local.get $row)))))
        (if (i32.ge_u (local.get $rows) (i32.const 3)) (then
          (local.set $row (i32.add (local.get $row) (local.get $rowBytes)))
          (local.set $c2L (v128.load (local.get $row)))
          (local.set $c2H (v128.load offset=16 (local.get $row)))))
        (if (i32.ge_u (local.get $rows) (i32.const 4)) (then
          (local.set $row (i32.add (local.get $row) (local.get $rowBytes)))
          (local.set $c3L (v128.load (local.get $row)))
          (local.set $c3H (v128.load offset=16 (local.get $row)))))))
    (local.set $end (i32.add (local.get $pa) (i32.shl (local.get $kc) (i32.const 5))))
    (block $done (loop $nextP
      (br_if $done (i32.ge_u (local.get $pa) (local.get $end)))
      ;; op(b)[p][0..3] and, one at a time, op(a)[r][p] copied into both lanes.
      (local.set $bL (v128.load (local.get $pb)))
      (local.set $bH (v128.load offset=16 (local.get $pb)))
      (local.set $x (v128.load64_splat (local.get $pa)))
      (local.set $c0L (f64x2.add (local.get $c0L) (f64x2.mul (local.get $x) (local.get $bL))))
      (local.set $c0H (f64x2.add (local.get $c0H) (f64x2.mul (local.get $x) (local.get $bH))))
      (local.set $x (v128.load64_splat offset=8 (local.get $pa)))
      (local.set $c1L (f64x2.add (local.get $c1L) (f64x2.mul (local.get $x) (local.get $bL))))
      (local.set $c1H (f64x2.add (local.get $c1H) (f64x2.mul (local.get $x) (local.get $bH))))
      (local.set $x (v128.load64_splat offset=16 (local.get $pa)))
      (local.set $c2L (f64x2.add (local.get $c2L) (f64x2.mul (local.get $x) (local.get $bL))))
      (local.set $c2H (f64x2.add (local.get $c2H) (f64x2.mul (local.get $x) (local.get $bH))))
      (local.set $x (v128.load64_splat offset=24 (local.get $pa)))
      (local.set $c3L (f64x2.add (local.get $c3L) (f64x2.mul (local.get $x) (local.get $bL))))
      (local.set $c3H (f64x2.add (local.get $c3H) (f64x2.mul (local.get $x) (local.get $bH))))
      (local.set $pa (i32.add (local.get $pa) (i32.const 32)))
      (local.set $pb (i32.add (local.get $pb) (i32.const 32)))
      (br $nextP)))
    ;; A whole tile (the common case) is stored here, row by row; a tile on c's edge
    ;; goes through $storeRow, which keeps to the rows and columns that exist.
    (if (i32.and (i32.ge_u (local.get $rows) (i32.const 4)) (i32.ge_u (local.get $cols) (i32.const 4)))
      (then
        (if (local.get $accumulate)
          (then
            (local.set $row (local.get $c))
            (local.set $c0L (f64x2.add (local.get $c0L) (v128.load (local.get $row))))
            (local.set $c0H (f64x2.add (local.get $c0H) (v128.load offset=16 (local.get $row))))
            (local.set $row (i32.add (local.get $row) (local.get $rowBytes)))
            (local.set $c1L (f64x2.add (local.get $c1L) (v128.load (local.get $row))))
            (local.set $c1H (f64x2.add (local.get $c1H) (v128.load offset=16 (local.get $row))))
            (local.set $row (i32.add (local.get $row) (local.get $rowBytes)))
            (local.set $c2L (f64x2.add (local.get $c2L) (v128.load (local.get $row))))
            (local.set $c2H (f64x2.add (local.get $c2H) (v128.load offset=16 (local.get $row))))
            (local.set $row (i32.add (local.get $row) (local.get $rowBytes)))
            (local.set $c3L (f64x2.add (local.get $c3L) (v128.load (local.get $row))))
            (local.set $c3H (f64x2.add (local.get $c3H) (v128.load offset=16 (local.get $row))))))
        (v128.store (local.get $c) (local.get $c0L))
        (v128.store offset=16 (local.get $c) (local.get $c0H))
        (local.set $c (i32.add (local.get $c) (local.get $rowBytes)))
        (v128.store (local.get $c) (local.get $c1L))
        (v128.store offset=16 (local.get $c) (local.get $c1H))
        (local.set $c (i32.add (local.get $c) (local.get $rowBytes)))
        (v128.store (local.get $c) (local.get $c2L))
        (v128.store offset=16 (local.get $c) (local.get $c2H))
        (local.set $c (i32.add (local.get $c) (local.get $rowBytes)))
        (v128.store (local.get $c) (local.get $c3L))
        (v128.store offset=16 (local.get $c) (local.get $c3H))
        (return)))
    (call $storeRow (local.get $c) (local.get $c0L) (local.get $c0H) (local.get $cols)
      (local.get $accumulate))
    (if (i32.lt_u (local.get $rows) (i32.const 2)) (then (return)))
    (local.set $c (i32.add (local.get $c) (local.get $rowBytes)))
    (call $storeRow (local.get $c) (local.get $c1L) (local.get $c1H) (local.get $cols)
      (local.get $accumulate))
    (if (i32.lt_u (local.get $rows) (i32.const 3)) (then (return)))
    (local.set $c (i32.add (local.get $c) (local.get $rowBytes)))
    (call $storeRow (local.get $c) (local.get $c2L) (local.get $c2H) (local.get $cols)
      (local.get $accumulate))
    (if (i32.lt_u (local.get $rows) (i32.const 4)) (then (return)))
    (local.set $c (i32.add (local.get $c) (local.get $rowBytes)))
    (call $storeRow (local.get $c) (local.get $c3L) (local.get $c3H) (local.get $cols)
      (local.get $accumulate)))

  ;; multiplyBlock: c (+)= op(a)[0 .. m)[pc .. pc+kc) · one block of op(b) whose kc rows
  ;; are already packed into panels at pb (as $packB lays them out). For each block of
  ;; MC rows, pack that block of op(a); then every (column panel, row panel) pair is one
  ;; call of $tile. With resume ≠ 0 the sums start from the partial sums that c holds.
  (func $multiplyBlock (param $c i32) (param $a i32) (param $m i32) (param $n i32)
                       (param $pc i32) (param $kc i32) (param $aRow i32) (param $aCol i32)
                       (param $accumulate i32) (param $resume i32) (param $packA i32)
                       (param $pb i32)
    (local $ic i32) (local $mc i32) (local $j i32) (local $i i32)
    (local $rowBytes i32) (local $panelBytes i32)
    (local.set $rowBytes (i32.shl (local.get $n) (i32.const 3)))
    (local.set $panelBytes (i32.shl (local.get $kc) (i32.const 5)))
    (local.set $ic (i32.const 0))
    (block $doneM (loop $nextM
      (br_if $doneM (i32.ge_u (local.get $ic) (local.get $m)))
      (local.set $mc (i32.sub (local.get $m) (local.get $ic)))
      (if (i32.gt_u (local.get $mc) (global.get $MC)) (then (local.set $mc (global.get $MC))))
      (call $packA (local.get $a) (local.get $ic) (local.get $mc) (local.get $pc) (local.get $kc)
        (local.get $aRow) (local.get $aCol) (local.get $packA))
      ;; Column panel j outside, row panel i inside: one panel of op(b) meets all
      ;; the row panels of this block while it is in the L1 cache.
      (local.set $j (i32.const 0))
      (block $doneJ (loop $nextJ
        (br_if $doneJ (i32.ge_u (local.get $j) (local.get $n)))
        (local.set $i (i32.const 0))
        (block $doneI (loop $nextI
          (br_if $doneI (i32.ge_u (local.get $i) (local.get $mc)))
          (call $tile
            (i32.add (local.get $packA) (i32.mul (i32.shr_u (local.get $i) (i32.const 2))
              (local.get $panelBytes)))
            (i32.add (local.get $pb) (i32.mul (i32.shr_u (local.get $j) (i32.const 2))
              (local.get $panelBytes)))
            (local.get $kc)
            (i32.add (local.get $c) (i32.shl
              (i32.add (i32.mul (i32.add (local.get $ic) (local.get $i)) (local.get $n))
                (local.get $j))
              (i32.const 3)))
            (local.get $rowBytes)
            (i32.sub (local.get $mc) (local.get $i))
            (i32.sub (local.get $n) (local.get $j))
            (i32.and (local.get $accumulate) (i32.eqz (local.get $resume)))
            (local.get $resume))
          (local.set $i (i32.add (local.get $i) (i32.const 4)))
          (br $nextI)))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $nextJ)))
      (local.set $ic (i32.add (local.get $ic) (global.get $MC)))
      (br $nextM))))

  ;; gemm: the whole product. For each block of KC values of p: pack that block of
  ;; op(b) once, then multiply every block of rows of op(a) by it. The first block of p
  ;; starts its sums from zero, every later one from the partial sums in c; only a
  ;; single block (k ≤ KC) may accumulate, adding its sums to c as it stores them.
  ;; $accumulate is a mode: 0 = c is the sum, 1 = c += the sum (one block of p only),
  ;; 2 = resume: c holds the partial sums of earlier values of p (a previous call over
  ;; them), so even the first block starts from c, as a later block would. Mode 2 lets
  ;; the caller feed a very long k in pieces with the same bits as one call.
  ;; Needs k ≥ 1. packA needs 8·MC·KC bytes and packB 8·KC·4·⌈n/4⌉ bytes.
  (func (export "gemm") (param $c i32) (param $a i32) (param $b i32)
                        (param $m i32) (param $n i32) (param $k i32)
                        (param $aRow i32) (param $aCol i32) (param $bRow i32) (param $bCol i32)
                        (param $accumulate i32) (param $packA i32) (param $packB i32)
    (local $pc i32) (local $kc i32) (local $resumeFirst i32)
    (local.set $resumeFirst (i32.eq (local.get $accumulate) (i32.const 2)))
    (local.set $pc (i32.const 0))
    (block $doneK (loop $nextK
      (br_if $doneK (i32.ge_u (local.get $pc) (local.get $k)))
      (local.set $kc (i32.sub (local.get $k) (local.get $pc)))
      (if (i32.gt_u (local.get $kc) (global.get $KC)) (then (local.set $kc (global.get $KC))))
      (call $packB (local.get $b) (local.get $pc) (local.get $kc) (local.get $n)
        (local.get $bRow) (local.get $bCol) (local.get $packB))
      (call $multiplyBlock (local.get $c) (local.get $a) (local.get $m) (local.get $n)
        (local.get $pc) (local.get $kc) (local.get $aRow) (local.get $aCol)
        (i32.eq (local.get $accumulate) (i32.const 1))
        (i32.or (i32.ne (local.get $pc) (i32.const 0)) (local.get $resumeFirst))
        (local.get $packA) (local.get $packB))
      (local.set $pc (i32.add (local.get $pc) (global.get $KC)))
      (br $nextK))))

  ;; packRight: all of op(b) [k×n] into panels once, so that many products with the
  ;; same right operand (W_hh at every step of a recurrent pass) skip the packing. Block
  ;; after block of KC rows, each laid out by $packB; block pc starts at
  ;; out + 8·pc·4·⌈n/4⌉, since every earlier block holds KC rows of 4·⌈n/4⌉ values.
  (func (export "packRight") (param $b i32) (param $n i32) (param $k i32)
                             (param $bRow i32) (param $bCol i32) (param $out i32)
    (local $pc i32) (local $kc i32)
    (local.set $pc (i32.const 0))
    (block $doneK (loop $nextK
      (br_if $doneK (i32.ge_u (local.get $pc) (local.get $k)))
      (local.set $kc (i32.sub (local.get $k) (local.get $pc)))
      (if (i32.gt_u (local.get $kc) (global.get $KC)) (then (local.set $kc (global.get $KC))))
      (call $packB (local.get $b) (local.get $pc) (local.get $kc) (local.get $n)
        (local.get $bRow) (local.get $bCol)
        (call $packedBlock (local.get $out) (local.get $pc) (local.get $n)))
      (local.set $pc (i32.add (local.get $pc) (global.get $KC)))
      (br $nextK))))

  ;; gemmPacked: c (+)= op(a) · op(b), where op(b) was packed by packRight at $packed:
  ;; the product of gemm, block by block of p in the same order, without packing op(b).
  (func (export "gemmPacked") (param $c i32) (param $a i32) (param $packed i32)
                              (param $m i32) (param $n i32) (param $k i32)
                              (param $aRow i32) (param $aCol i32)
                              (param $accumulate i32) (param $packA i32)
    (local $pc i32) (local $kc i32)
    (local.set $pc (i32.const 0))
    (block $doneK (loop $nextK
      (br_if $doneK (i32.ge_u (local.get $pc) (local.get $k)))
      (local.set $kc (i32.sub (local.get $k) (local.get $pc)))
      (if (i32.gt_u (local.get $kc) (global.get $KC)) (then (local.set $kc (global.get $KC))))
      (call $multiplyBlock (local.get $c) (local.get $a) (local.get $m) (local.get $n)
        (local.get $pc) (local.get $kc) (local.get $aRow) (local.get $aCol)
        (local.get $accumulate) (i32.ne (local.get $pc) (i32.const 0)) (local.get $packA)
        (call $packedBlock (local.get $packed) (local.get $pc) (local.get $n)))
      (local.set $pc (i32.add (local.get $pc) (global.get $KC)))
      (br $nextK))))

  ;; packedBlock: where packRight put the block of op(b) that starts at row pc.
  (func $packedBlock (param $packed i32) (param $pc i32) (param $n i32) (result i32)
    (i32.add (local.get $packed) (i32.shl
      (i32.mul (local.get $pc) (i32.shl (i32.shr_u (i32.add (local.get $n) (i32.const 3))
        (i32.const 2)) (i32.const 2)))
      (i32.const 3))))
)
