/** The PyTorch reference cases written by scripts/make-torch-references.py. */

import { readFileSync } from 'node:fs';
import { fromData, type Tensor } from '@unroll/tensor';

export interface Flat {
  shape: number[];
  data: number[];
}

export interface TorchCase {
  name: string;
  module: 'RNNCell' | 'LSTMCell' | 'GRUCell' | 'RNN' | 'LSTM' | 'GRU';
  options: Record<string, unknown>;
  lengths?: number[] | null;
  x: Flat;
  h0?: Flat;
  c0?: Flat;
  parameters: Record<string, Flat>;
  lossWeights: { output?: Flat; h: Flat; c?: Flat };
  output?: Flat;
  h: Flat;
  c?: Flat;
  loss: number;
  grad: Record<string, Flat>;
}

const fixture = (name: string) => new URL(`./fixtures/${name}`, import.meta.url);

export function readCases(file: 'torch-cells.json' | 'torch-layers.json'): TorchCase[] {
  return JSON.parse(readFileSync(fixture(file), 'utf8')).cases;
}

export function readFixtureBytes(file: string): Uint8Array {
  return new Uint8Array(readFileSync(fixture(file)));
}

/** A leaf tensor holding a copy of the flat values. */
export function leaf(flat: Flat, requiresGrad = false): Tensor {
  return fromData(Float64Array.from(flat.data), flat.shape, { requiresGrad });
}

/** Agreement with PyTorch float64: about 1e-10 relative. */
export const TORCH_TOLERANCE = { rtol: 1e-10, atol: 1e-12 };
