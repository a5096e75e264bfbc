/**
 * The WebAssembly SIMD gemm: gemm.wat's kernel, loaded from the committed bytes in
 * gemm-wasm.generated.ts and given the same signature as the TypeScript `gemmJs`.
 *
 * A WebAssembly module reads only its own memory, so each call copies a and b in
 * (TypedArray.set, a memcpy), runs the kernel, and copies c out (and in first, when
 * accumulating). The copies are O(mk + kn + mn) against the product's O(mnk) work;
 * the kernel then packs them into panels itself (see gemm.wat for why).
 *
 * A right operand used for many products (W_hh at every step of a recurrent pass) can
 * instead be packed once and kept in the module's memory: `gemmWasmPacked` below, which
 * gemm-packed.ts puts behind `packRight` and `gemmPacked`.
 *
 * Nothing here needs Node: the module is compiled synchronously from a 1.7 KB byte
 * array with the standard `WebAssembly` API, which every current browser has (a page's
 * main thread may compile modules up to 4 KB synchronously).
 */

import { checkGemmArguments, type GemmOptions } from './gemm.ts';
import { gemmWasmBase64 } from './gemm-wasm.generated.ts';

/** The p-block and row-block sizes that gemm.wat's packing buffers are sized for. */
const KC = 256;
const MC = 64;
const BYTES = Float64Array.BYTES_PER_ELEMENT;
const PAGE_BYTES = 65536;

interface KernelExports {
  memory: WebAssembly.Memory;
  gemm: (
    c: number,
    a: number,
    b: number,
    m: number,
    n: number,
    k: number,
    aRow: number,
    aCol: number,
    bRow: number,
    bCol: number,
    accumulate: number,
    packA: number,
    packB: number,
  ) => void;
  packRight: (b: number, n: number, k: number, bRow: number, bCol: number, out: number) => void;
  gemmPacked: (
    c: number,
    a: number,
    packed: number,
    m: number,
    n: number,
    k: number,
    aRow: number,
    aCol: number,
    accumulate: number,
    packA: number,
  ) => void;
}

const BASE64_DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/**
 * Base64 to bytes: every 4 digits carry 6 bits each, 3 bytes. Written out rather than
 * `atob`, which is a browser and Node global but not part of JavaScript itself (a
 * worker or a bare V8 context may lack it).
 */
function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const digits = text.replace(/=+$/, '');
  const bytes = new Uint8Array(Math.floor((digits.length * 6) / 8));
  let bits = 0;
  let bitCount = 0;
  let at = 0;
  for (const digit of digits) {
    bits = ((bits << 6) | BASE64_DIGITS.indexOf(digit)) & 0xffffff;
    bitCount += 6;
    if (bitCount >= 8) {
      bitCount -= 8;
      bytes[at++] = (bits >> bitCount) & 0xff;
    }
  }
  return bytes;
}

/** Round up to a multiple of 16 bytes (one v128). */
const align16 = (bytes: number) => Math.ceil(bytes / 16) * 16;

/**
 * Compile and instantiate the kernel. Returns the reason instead when this runtime
 * cannot: no WebAssembly at all, or one without the SIMD proposal (then the bytes do
 * not validate).
 */
export function loadGemmWasm(): { gemm: typeof gemmWasm } | { unavailable: string } {
  if (typeof WebAssembly !== 'object') return { unavailable: 'WebAssembly is not available' };
  const bytes = decodeBase64(gemmWasmBase64);
  if (!WebAssembly.validate(bytes)) {
    return { unavailable: 'this WebAssembly does not support SIMD (the kernel does not validate)' };
  }
  try {
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes));
    kernel = instance.exports as unknown as KernelExports;
    return { gemm: gemmWasm };
  } catch (error) {
    return { unavailable: `the kernel failed to load: ${(error as Error).message}` };
  }
}

let kernel: KernelExports | undefined;
let heap = new Float64Array(0);

/** Make the module's memory at least `bytes` long, and refresh the view of it. */
function reserve(memory: WebAssembly.Memory, bytes: number): Float64Array {
  const missing = bytes - memory.buffer.byteLength;
  if (missing > 0) memory.grow(Math.ceil(missing / PAGE_BYTES));
  if (heap.buffer !== memory.buffer) heap = new Float64Array(memory.buffer);
  return heap;
}

/**
 * c[m×n] (+)= op(a) · op(b) by the WebAssembly kernel: the same contract as `gemmJs`
 * (gemm.ts), including its argument checks. Call `loadGemmWasm` first.
 *
 * Memory layout, in bytes from `scratchStart()` (past the packed right operands):
 * packA (MC×KC), packB (KC×4⌈n/4⌉), a, b, c.
 */
export function gemmWasm(
  c: Float64Array,
  a: Float64Array,
  b: Float64Array,
  options: GemmOptions,
): void {
  const { m, n, k, transA = false, transB = false, accumulate = false } = options;
  checkGemmArguments(c, a, b, m, n, k, transA, transB);
  if (kernel === undefined) throw new Error('gemmWasm: call loadGemmWasm() first');
  if (m === 0 || n === 0) return;
  if (k === 0) {
    // An empty sum: c = 0, or c unchanged when accumulating.
    if (!accumulate) c.fill(0, 0, m * n);
    return;
  }
  if (m > M_PIECE && !transA) {
    // Rows of c are independent: each block of M_PIECE rows is a product of its own.
    for (let r0 = 0; r0 < m; r0 += M_PIECE) {
      const rows = Math.min(M_PIECE, m - r0);
      const cRows = c.subarray(r0 * n, (r0 + rows) * n);
      gemmWasm(cRows, a.subarray(r0 * k, (r0 + rows) * k), b, { ...options, m: rows });
    }
    return;
  }
  if (k > K_PIECE) {
    gemmInPieces(kernel, c, a, b, options);
    return;
  }
  const packA = scratchStart();
  const packB = packA + align16(MC * Math.min(k, KC) * BYTES);
  const aAt = packB + align16(Math.min(k, KC) * 4 * Math.ceil(n / 4) * BYTES);
  const bAt = aAt + align16(m * k * BYTES);
  const cAt = bAt + align16(k * n * BYTES);
  // 32 bytes past c: a tile resuming its sums at c's last row reads a whole v128 pair.
  const memory = reserve(kernel.memory, cAt + m * n * BYTES + 32);
  memory.set(a.subarray(0, m * k), aAt / BYTES);
  memory.set(b.subarray(0, k * n), bAt / BYTES);
  // With k > KC the kernel parks partial sums in c, so the old c is added here at the
  // end (c + Σ, as gemmJs forms it); with one block of p the kernel adds it itself.
  const kernelAccumulates = prepareC(memory, c, cAt, m * n, k, accumulate);
  kernel.gemm(
    cAt,
    aAt,
    bAt,
    m,
    n,
    k,
    transA ? 1 : k, // aRow, aCol: as in gemm.ts's stridesOf
    transA ? m : 1,
    transB ? 1 : n, // bRow, bCol
    transB ? k : 1,
    kernelAccumulates ? 1 : 0,
    packA,
    packB,
  );
  finishC(memory, c, cAt, m * n, accumulate && !kernelAccumulates);
}

/**
 * The values of p that one call of the kernel is given at most. The weight gradients of
 * a long sequence sum over k = T·B rows (40,000 at T = 10,000, B = 4): copied in whole,
 * a and b would make the module's memory, which never shrinks, as big as the tape. So a
 * longer k goes in pieces of K_PIECE values, each copied in and multiplied in turn, the
 * sums carried from piece to piece in c (the kernel's resume mode), so every entry is
 * still summed from zero over p = 0, 1, …, k − 1 in order: the same bits as one call.
 * A multiple of KC, so that every piece is made of whole blocks of p.
 */
const K_PIECE = 8 * KC;

/**
 * The rows of c that one call computes at most, for the same reason: the input
 * projection of a long sequence has T·B rows (c is [T·B, 4H], 164 MB at T = 10,000,
 * B = 4, H = 128). Rows are independent, so a product in blocks of rows is the same
 * product. Only without transA, where a block of op(a)'s rows is a run of a itself; a
 * transposed a with that many rows does not occur in the engine.
 */
const M_PIECE = 32 * MC;

/** The kernel's mode for its sums: start from zero, or resume the partial sums in c. */
const FROM_ZERO = 0;
const RESUME = 2;

/**
 * gemmWasm for k > K_PIECE: op(a)'s columns and op(b)'s rows p0 … p0 + kp − 1 are
 * copied in, piece after piece, each laid out compactly with its own strides.
 */
function gemmInPieces(
  exports: KernelExports,
  c: Float64Array,
  a: Float64Array,
  b: Float64Array,
  { m, n, k, transA = false, transB = false, accumulate = false }: GemmOptions,
): void {
  const packA = scratchStart();
  const packB = packA + align16(MC * KC * BYTES);
  const aAt = packB + align16(KC * 4 * Math.ceil(n / 4) * BYTES);
  const bAt = aAt + align16(m * K_PIECE * BYTES);
  const cAt = bAt + align16(K_PIECE * n * BYTES);
  const memory = reserve(exports.memory, cAt + m * n * BYTES + 32);
  for (let p0 = 0; p0 < k; p0 += K_PIECE) {
    const kp = Math.min(K_PIECE, k - p0);
    // op(a)[·][p0, p0 + kp): with transA, a is [k×m] and the piece is kp whole rows;
    // otherwise a is [m×k] and the piece is a run of kp values in each of its m rows.
    if (transA) memory.set(a.subarray(p0 * m, (p0 + kp) * m), aAt / BYTES);
    else copyRuns(memory, aAt / BYTES, a, m, k, p0, kp);
    // op(b)[p0, p0 + kp)[·]: without transB, b is [k×n] and the piece is kp whole rows.
    if (!transB) memory.set(b.subarray(p0 * n, (p0 + kp) * n), bAt / BYTES);
    else copyRuns(memory, bAt / BYTES, b, n, k, p0, kp);
    exports.gemm(
      cAt,
      aAt,
      bAt,
      m,
      n,
      kp,
      transA ? 1 : kp, // the piece's strides: as gemm.ts's stridesOf, with kp for k
      transA ? m : 1,
      transB ? 1 : n,
      transB ? kp : 1,
      p0 === 0 ? FROM_ZERO : RESUME,
      packA,
      packB,
    );
  }
  // The sums are complete; the old c, when accumulating, is added last (c + Σ).
  finishC(memory, c, cAt, m * n, accumulate);
}

/** Copy values [p0, p0 + kp) of each of `rows` rows of length k to memory, packed. */
function copyRuns(
  memory: Float64Array,
  at: number,
  matrix: Float64Array,
  rows: number,
  k: number,
  p0: number,
  kp: number,
): void {
  for (let r = 0; r < rows; r++) {
    memory.set(matrix.subarray(r * k + p0, r * k + p0 + kp), at + r * kp);
  }
}

/**
 * Before a product: copy c into memory at cAt when the kernel is to add to it, which it
 * does only with a single block of p (k ≤ KC). Returns whether it does.
 */
function prepareC(
  memory: Float64Array,
  c: Float64Array,
  cAt: number,
  size: number,
  k: number,
  accumulate: boolean,
): boolean {
  const kernelAccumulates = accumulate && k <= KC;
  if (kernelAccumulates) memory.set(c.subarray(0, size), cAt / BYTES);
  return kernelAccumulates;
}

/** After a product: copy the sums out to c, or add them to it (c + Σ, as gemmJs does). */
function finishC(
  memory: Float64Array,
  c: Float64Array,
  cAt: number,
  size: number,
  addToC: boolean,
): void {
  const sums = memory.subarray(cAt / BYTES, cAt / BYTES + size);
  if (addToC) {
    for (let i = 0; i < size; i++) c[i] = c[i]! + sums[i]!;
  } else {
    c.set(sums);
  }
}

// ---------------------------------------------------------------------------------
// Packed right operands. A recurrent pass multiplies by the same W_hh at every step;
// copying it in and packing it each time costs as much as the product itself at
// B = 32. So a right operand can be packed once into one of SLOTS regions at the
// start of memory and stay there while the steps use it. A slot is reused by the
// next operand to be packed once all are taken (the one used longest ago goes), and
// an operand that lost its slot is simply packed again from its array on its next
// use: memory is bounded by SLOTS times the largest operand, whoever forgets what.

/** The operands kept packed at once: a forward and a backward pass of two layers. */
const SLOTS = 4;

/** A right operand op(b) [k×n] as the caller described it; its identity is its slot's key. */
export interface WasmRightOperand {
  readonly b: Float64Array;
  readonly n: number;
  readonly k: number;
  readonly transB: boolean;
}

let slotBytes = 0;
const slotOwner: (WasmRightOperand | undefined)[] = new Array(SLOTS).fill(undefined);
const slotLastUse: number[] = new Array(SLOTS).fill(0);
let uses = 0;

/** Where the per-call buffers begin: after the slots. */
function scratchStart(): number {
  return SLOTS * slotBytes;
}

/** Bytes of packRight's output for op(b) [k×n]: k rows of ⌈n/4⌉ panels of 4 values. */
const packedBytes = (n: number, k: number) => align16(k * 4 * Math.ceil(n / 4) * BYTES);

/** The byte offset of `right`'s packed panels, packing it first if it has no slot. */
function residentAt(exports: KernelExports, right: WasmRightOperand): number {
  uses++;
  let slot = slotOwner.indexOf(right);
  if (slot < 0) {
    const needed = packedBytes(right.n, right.k);
    if (needed > slotBytes) {
      // Every slot grows to fit it; what the old slots held is dropped (packed again on use).
      slotBytes = needed;
      slotOwner.fill(undefined);
    }
    slot = slotLastUse.indexOf(Math.min(...slotLastUse));
    const { b, n, k, transB } = right;
    const bAt = scratchStart();
    const memory = reserve(exports.memory, bAt + k * n * BYTES);
    memory.set(b.subarray(0, k * n), bAt / BYTES);
    exports.packRight(bAt, n, k, transB ? 1 : n, transB ? k : 1, slot * slotBytes);
    slotOwner[slot] = right;
  }
  slotLastUse[slot] = uses;
  return slot * slotBytes;
}

/**
 * c[m×n] (+)= op(a) · op(right) by the WebAssembly kernel, with op(right) packed once
 * and kept in memory across calls (see above): the same bits as `gemmWasm` and
 * `gemmJs`. The caller checks the arguments (gemm-packed.ts does).
 */
export function gemmWasmPacked(
  c: Float64Array,
  a: Float64Array,
  right: WasmRightOperand,
  m: number,
  transA: boolean,
  accumulate: boolean,
): void {
  if (kernel === undefined) throw new Error('gemmWasmPacked: call loadGemmWasm() first');
  const { n, k } = right;
  const packed = residentAt(kernel, right);
  const packA = scratchStart();
  const aAt = packA + align16(MC * Math.min(k, KC) * BYTES);
  const cAt = aAt + align16(m * k * BYTES);
  const memory = reserve(kernel.memory, cAt + m * n * BYTES + 32);
  memory.set(a.subarray(0, m * k), aAt / BYTES);
  const kernelAccumulates = prepareC(memory, c, cAt, m * n, k, accumulate);
  kernel.gemmPacked(
    cAt,
    aAt,
    packed,
    m,
    n,
    k,
    transA ? 1 : k,
    transA ? m : 1,
    kernelAccumulates ? 1 : 0,
    packA,
  );
  finishC(memory, c, cAt, m * n, accumulate && !kernelAccumulates);
}

/** The size of the kernel's memory in bytes (for tests: it must stop growing). */
export function gemmWasmMemoryBytes(): number {
  return kernel?.memory.buffer.byteLength ?? 0;
}
