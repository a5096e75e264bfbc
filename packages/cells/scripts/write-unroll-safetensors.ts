/**
 * Writes a safetensors file from unroll, for PyTorch to read back:
 *
 *   npx tsx scripts/write-unroll-safetensors.ts [file]        (default: $TMPDIR/unroll-gru.safetensors)
 *   python3 scripts/make-torch-references.py --check [file]
 *
 * The file holds the state dict of a 2-layer bidirectional GRU under PyTorch's names,
 * plus an `input` and the `output` unroll computed for it; the metadata names the
 * module and its options. The Python side loads the state dict into torch.nn.GRU with
 * load_state_dict(strict=True), runs the input and compares the outputs.
 */

import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { noGrad, Rng, randn } from '@unroll/tensor';
import { GRU, saveSafetensors } from '../src/index.ts';

const file = process.argv[2] ?? join(tmpdir(), 'unroll-gru.safetensors');
const options = { inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true };
const rng = new Rng(2024);
const layer = new GRU({ ...options, rng });
const input = randn([2, 5, 3], rng);
const { output } = noGrad(() => layer.forward(input));
const bytes = saveSafetensors(
  { ...layer.stateDict(), input, output },
  { format: 'pt', module: 'GRU', options: JSON.stringify({ ...options, batchFirst: true }) },
);
writeFileSync(file, bytes);
console.log(`wrote ${file} (${bytes.length} bytes)`);
