/**
 * gemm: the matrix-multiply kernel under matmul, linear and every recurrent cell.
 *
 *   c[m×n] = op(a) · op(b)        or, with accumulate,   c += op(a) · op(b)
 *
 * on row-major Float64Arrays, where op(a) is [m×k] and op(b) is [k×n]. With transA,
 * `a` is stored [k×m] and op(a) = aᵀ; with transB, `b` is stored [n×k] and
 * op(b) = bᵀ. Backward passes need exactly these products (dX = dY·W, dW = dYᵀ·X),
 * so no matrix is ever copied just to transpose it.
 *
 * A transpose is only a change of strides. Entry (i, p) of op(a) lives at
 *   a[i·k + p]   normally        (row stride k, column stride 1)
 *   a[p·m + i]   when transA     (row stride 1, column stride m)
 * so one kernel, written with a row stride and a column stride, serves all four
 * combinations of transA and transB.
 *
 * The kernels here are the readable reference that chapter 3 explains. `gemm`, which
 * the rest of the engine calls, is in gemm-select.ts: it runs the WebAssembly SIMD
 * kernel of gemm.wat where the runtime has it, and `gemmJs` below otherwise.
 */

export interface GemmOptions {
  /** Rows of op(a) and of c. */
  m: number;
  /** Columns of op(b) and of c. */
  n: number;
  /** Columns of op(a) = rows of op(b): the length of each dot product. */
  k: number;
  /** Use aᵀ: `a` is stored [k×m]. */
  transA?: boolean;
  /** Use bᵀ: `b` is stored [n×k]. */
  transB?: boolean;
  /** Add the product to c instead of overwriting c. */
  accumulate?: boolean;
}

/** Strides of op(a) and op(b): entry (i, p) of op(a) is a[i·aRow + p·aCol], likewise b. */
interface Strides {
  aRow: number;
  aCol: number;
  bRow: number;
  bCol: number;
}

function stridesOf(m: number, n: number, k: number, transA: boolean, transB: boolean): Strides {
  return {
    aRow: transA ? 1 : k,
    aCol: transA ? m : 1,
    bRow: transB ? 1 : n,
    bCol: transB ? k : 1,
  };
}

/**
 * The definition, as a plain triple loop: c[i][j] = Σ_p op(a)[i][p] · op(b)[p][j].
 * Each c[i][j] is one dot product of a row of op(a) with a column of op(b); it does
 * 2·m·n·k flops. It is correct and short, and 3–5× slower than `gemmJs` (see
 * bench/): every multiply-add loads two numbers from memory.
 */
export function gemmReference(
  c: Float64Array,
  a: Float64Array,
  b: Float64Array,
  options: GemmOptions,
): void {
  const { m, n, k, transA = false, transB = false, accumulate = false } = options;
  checkGemmArguments(c, a, b, m, n, k, transA, transB);
  const { aRow, aCol, bRow, bCol } = stridesOf(m, n, k, transA, transB);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let p = 0; p < k; p++) sum += a[i * aRow + p * aCol]! * b[p * bRow + j * bCol]!;
      c[i * n + j] = accumulate ? c[i * n + j]! + sum : sum;
    }
  }
}

/**
 * The fast kernel: register tiling. Instead of one entry of c at a time, compute a
 * 4×4 tile c[i..i+3][j..j+3] at once, holding its 16 partial sums in local variables
 * (which the JIT keeps in CPU registers). Each step p loads four numbers of op(a)'s
 * column p and four of op(b)'s row p, then does 16 multiply-adds with them: 8 loads
 * for 16 multiply-adds, where the plain loop needs 32 loads. In JavaScript every
 * typed-array load also pays a bounds check, so loads, not arithmetic, set the pace,
 * and cutting them fourfold makes this 3–5× faster than the plain loop.
 *
 * (Merely reordering the loops to i-p-j, so that the inner loop runs along rows of
 * op(b) and c, makes the accesses contiguous but still loads and stores c once per
 * multiply-add; measured here, it is no faster than the plain loop.)
 *
 * Inside a tile the loop over p walks op(a) and op(b) with fixed strides, so every
 * transpose combination runs the same code. When m or n is not a multiple of 4, the
 * leftover rows are done in 1×4 strips and the leftover columns in 4×1 strips (still
 * 5 loads for 4 multiply-adds), and only the corner by single dot products: a batch
 * of one row, as when sampling from a trained network, stays fast too.
 */
export function gemmJs(
  c: Float64Array,
  a: Float64Array,
  b: Float64Array,
  options: GemmOptions,
): void {
  const { m, n, k, transA = false, transB = false, accumulate = false } = options;
  checkGemmArguments(c, a, b, m, n, k, transA, transB);
  const strides = stridesOf(m, n, k, transA, transB);
  const { aRow, aCol, bRow, bCol } = strides;
  const mTiled = m - (m % 4);
  const nTiled = n - (n % 4);
  for (let i = 0; i < mTiled; i += 4) {
    for (let j = 0; j < nTiled; j += 4) {
      // cRC is the running sum for c[i + R][j + C].
      // biome-ignore format: the 16 sums are laid out as the 4×4 grid they fill
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0,
          c10 = 0, c11 = 0, c12 = 0, c13 = 0,
          c20 = 0, c21 = 0, c22 = 0, c23 = 0,
          c30 = 0, c31 = 0, c32 = 0, c33 = 0;
      let ia = i * aRow; // position of op(a)[i][p]
      let ib = j * bCol; // position of op(b)[p][j]
      // biome-ignore format: one line per row of the tile
      for (let p = 0; p < k; p++) {
        const b0 = b[ib]!, b1 = b[ib + bCol]!, b2 = b[ib + 2 * bCol]!, b3 = b[ib + 3 * bCol]!;
        let x = a[ia]!; // op(a)[i][p], then the three rows below it
        c00 += x * b0; c01 += x * b1; c02 += x * b2; c03 += x * b3;
        x = a[ia + aRow]!;
        c10 += x * b0; c11 += x * b1; c12 += x * b2; c13 += x * b3;
        x = a[ia + 2 * aRow]!;
        c20 += x * b0; c21 += x * b1; c22 += x * b2; c23 += x * b3;
        x = a[ia + 3 * aRow]!;
        c30 += x * b0; c31 += x * b1; c32 += x * b2; c33 += x * b3;
        ia += aCol;
        ib += bRow;
      }
      const ic = i * n + j;
      storeRow(c, ic, accumulate, c00, c01, c02, c03);
      storeRow(c, ic + n, accumulate, c10, c11, c12, c13);
      storeRow(c, ic + 2 * n, accumulate, c20, c21, c22, c23);
      storeRow(c, ic + 3 * n, accumulate, c30, c31, c32, c33);
    }
  }
  // The leftovers: the last n % 4 columns, then the last m % 4 rows.
  const operands: Operands = { c, a, b, n, k, accumulate, ...strides };
  for (let i = 0; i < mTiled; i += 4) {
    for (let j = nTiled; j < n; j++) tile4x1(operands, i, j);
  }
  for (let i = mTiled; i < m; i++) {
    for (let j = 0; j < nTiled; j += 4) tile1x4(operands, i, j);
    for (let j = nTiled; j < n; j++) tile1x1(operands, i, j);
  }
}

/** What every tile function needs: the arrays, c's row length n, k, strides, mode. */
interface Operands extends Strides {
  c: Float64Array;
  a: Float64Array;
  b: Float64Array;
  n: number;
  k: number;
  accumulate: boolean;
}

/** c[i][j..j+3] (+)= op(a)[i][:] · op(b)[:][j..j+3]: one row against four columns. */
function tile1x4(operands: Operands, i: number, j: number): void {
  const { c, a, b, n, k, aRow, aCol, bRow, bCol, accumulate } = operands;
  let c0 = 0;
  let c1 = 0;
  let c2 = 0;
  let c3 = 0;
  let ia = i * aRow;
  let ib = j * bCol;
  for (let p = 0; p < k; p++) {
    const x = a[ia]!;
    c0 += x * b[ib]!;
    c1 += x * b[ib + bCol]!;
    c2 += x * b[ib + 2 * bCol]!;
    c3 += x * b[ib + 3 * bCol]!;
    ia += aCol;
    ib += bRow;
  }
  storeRow(c, i * n + j, accumulate, c0, c1, c2, c3);
}

/** c[i..i+3][j] (+)= op(a)[i..i+3][:] · op(b)[:][j]: four rows against one column. */
function tile4x1(operands: Operands, i: number, j: number): void {
  const { c, a, b, n, k, aRow, aCol, bRow, bCol, accumulate } = operands;
  let c0 = 0;
  let c1 = 0;
  let c2 = 0;
  let c3 = 0;
  let ia = i * aRow;
  let ib = j * bCol;
  for (let p = 0; p < k; p++) {
    const y = b[ib]!;
    c0 += a[ia]! * y;
    c1 += a[ia + aRow]! * y;
    c2 += a[ia + 2 * aRow]! * y;
    c3 += a[ia + 3 * aRow]! * y;
    ia += aCol;
    ib += bRow;
  }
  const ic = i * n + j;
  c[ic] = accumulate ? c[ic]! + c0 : c0;
  c[ic + n] = accumulate ? c[ic + n]! + c1 : c1;
  c[ic + 2 * n] = accumulate ? c[ic + 2 * n]! + c2 : c2;
  c[ic + 3 * n] = accumulate ? c[ic + 3 * n]! + c3 : c3;
}

/** c[i][j] (+)= op(a)[i][:] · op(b)[:][j]: a single dot product. */
function tile1x1(operands: Operands, i: number, j: number): void {
  const { c, a, b, n, k, aRow, aCol, bRow, bCol, accumulate } = operands;
  let sum = 0;
  let ia = i * aRow;
  let ib = j * bCol;
  for (let p = 0; p < k; p++) {
    sum += a[ia]! * b[ib]!;
    ia += aCol;
    ib += bRow;
  }
  const ic = i * n + j;
  c[ic] = accumulate ? c[ic]! + sum : sum;
}

/** Write (or add) four sums to c[at..at+3]. Never reads c unless accumulating. */
function storeRow(
  c: Float64Array,
  at: number,
  accumulate: boolean,
  x0: number,
  x1: number,
  x2: number,
  x3: number,
): void {
  if (accumulate) {
    c[at] = c[at]! + x0;
    c[at + 1] = c[at + 1]! + x1;
    c[at + 2] = c[at + 2]! + x2;
    c[at + 3] = c[at + 3]! + x3;
  } else {
    c[at] = x0;
    c[at + 1] = x1;
    c[at + 2] = x2;
    c[at + 3] = x3;
  }
}

/** Sizes must be integers ≥ 0, arrays large enough, and c must not overlap a or b. */
export function checkGemmArguments(
  c: Float64Array,
  a: Float64Array,
  b: Float64Array,
  m: number,
  n: number,
  k: number,
  transA: boolean,
  transB: boolean,
): void {
  for (const [name, size] of [
    ['m', m],
    ['n', n],
    ['k', k],
  ] as const) {
    if (!Number.isSafeInteger(size) || size < 0) {
      throw new RangeError(`gemm: ${name} must be a non-negative integer, got ${size}`);
    }
  }
  const needs = (name: string, array: Float64Array, rows: string, cols: string, size: number) => {
    if (array.length < size) {
      throw new RangeError(
        `gemm: ${name} has ${array.length} entries, too few for ${rows}×${cols} = ${size}`,
      );
    }
  };
  needs('a', a, transA ? `k×m = ${k}` : `m×k = ${m}`, transA ? `${m}` : `${k}`, m * k);
  needs('b', b, transB ? `n×k = ${n}` : `k×n = ${k}`, transB ? `${k}` : `${n}`, k * n);
  needs('c', c, `m×n = ${m}`, `${n}`, m * n);
  if (overlaps(c, m * n, a, m * k)) {
    throw new RangeError('gemm: c must not share memory with a (the result would overwrite it)');
  }
  if (overlaps(c, m * n, b, k * n)) {
    throw new RangeError('gemm: c must not share memory with b (the result would overwrite it)');
  }
}

/** Do the first `xLength` entries of x and the first `yLength` of y share bytes? */
function overlaps(x: Float64Array, xLength: number, y: Float64Array, yLength: number): boolean {
  if (x.buffer !== y.buffer || xLength === 0 || yLength === 0) return false;
  const xEnd = x.byteOffset + xLength * Float64Array.BYTES_PER_ELEMENT;
  const yEnd = y.byteOffset + yLength * Float64Array.BYTES_PER_ELEMENT;
  return x.byteOffset < yEnd && y.byteOffset < xEnd;
}
