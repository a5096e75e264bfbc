/**
 * A run's model as an ONNX file: the standard RNN / LSTM / GRU operators, one per layer,
 * and the readout as MatMul + Add, in float32.
 *
 *   x [B, T, I] ─Transpose→ [T, B, I] ─LSTM→ Y [T, 1, B, H] ─Squeeze→ [T, B, H] ─ … next layer
 *        last layer:  'every' readout  Y ─Transpose→ [B, T, H] ─MatMul Wᵀ, Add b→ y [B, T, O]
 *                     'last' readout   Y_h [1, B, H] ─Squeeze→ [B, H] ─MatMul Wᵀ, Add b→ y [B, O]
 *
 * The recurrent operators take time-major input, and one direction here. Their weights
 * (ONNX operator docs, "LSTM", "GRU", "RNN"):
 *
 *   W [1, G·H, I]   the input weights of every gate block, stacked   = PyTorch's weight_ih
 *   R [1, G·H, H]   the recurrent weights                            = weight_hh
 *   B [1, 2·G·H]    [Wb, Rb]: the input biases, then the recurrent   = [bias_ih, bias_hh]
 *
 * with the blocks in ONNX's order — LSTM i o f c, GRU z r h — not PyTorch's i f g o and
 * r z n (layout.ts). The default activations (σ, tanh, tanh; tanh for the RNN) are the
 * PyTorch cells'. The GRU needs `linear_before_reset = 1`: PyTorch computes
 * n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)), the reset gate applied AFTER the
 * recurrent product; ONNX's default (0) is Cho et al.'s r applied to h before it.
 *
 * Field numbers are those of onnx.proto (ModelProto, GraphProto, NodeProto, …).
 */

import {
  BLOCKS_FROM_PYTORCH,
  type ExportModel,
  GATE_BLOCKS,
  reorderBlocks,
  transpose,
} from './layout.ts';
import { MessageWriter } from './protobuf.ts';

const OPSET = 13;
const IR_VERSION = 7;
const FLOAT = 1;
const INT64 = 7;
const ATTRIBUTE_INT = 2;
const ATTRIBUTE_INTS = 7;

/** TensorProto: dims = 1, data_type = 2, name = 8, raw_data = 9 (little-endian bytes). */
function tensorProto(
  name: string,
  dims: readonly number[],
  values: ArrayLike<number>,
  type = FLOAT,
) {
  const raw =
    type === FLOAT
      ? new Uint8Array(Float32Array.from(values).buffer)
      : new Uint8Array(BigInt64Array.from(Array.from(values, (v) => BigInt(v))).buffer);
  const t = new MessageWriter();
  for (const d of dims) t.int(1, d);
  return t.int(2, type).string(8, name).bytes(9, raw);
}

/** AttributeProto: name = 1, i = 3, ints = 8, type = 20. */
function intAttribute(name: string, value: number | readonly number[]) {
  const a = new MessageWriter().string(1, name);
  if (typeof value === 'number') return a.int(3, value).int(20, ATTRIBUTE_INT);
  for (const v of value) a.int(8, v);
  return a.int(20, ATTRIBUTE_INTS);
}

/** NodeProto: input = 1, output = 2, name = 3, op_type = 4, attribute = 5. */
function node(
  op: string,
  inputs: readonly string[],
  outputs: readonly string[],
  attributes: MessageWriter[] = [],
) {
  const n = new MessageWriter();
  for (const i of inputs) n.string(1, i);
  for (const o of outputs) n.string(2, o);
  n.string(3, `${op}_${outputs[0]}`).string(4, op);
  for (const a of attributes) n.message(5, a);
  return n;
}

/** ValueInfoProto of a float tensor: name = 1, type = 2 → TypeProto.tensor_type = 1 → {elem_type = 1, shape = 2}. */
function valueInfo(name: string, dims: readonly (number | string)[]) {
  const shape = new MessageWriter();
  for (const d of dims) {
    const dim = new MessageWriter();
    if (typeof d === 'number') dim.int(1, d);
    else dim.string(2, d); // dim_param: a named, free size
    shape.message(1, dim);
  }
  const tensorType = new MessageWriter().int(1, FLOAT).message(2, shape);
  return new MessageWriter().string(1, name).message(2, new MessageWriter().message(1, tensorType));
}

const OPERATOR = { rnn: 'RNN', lstm: 'LSTM', gru: 'GRU' } as const;

/** The model as the bytes of an .onnx file. */
export function onnxModel(model: ExportModel, producerVersion: string): Uint8Array {
  const { cell, layers, hiddenSize: H, inputSize: I, outputSize: O, readout, tensors } = model;
  const G = GATE_BLOCKS[cell];
  const order = BLOCKS_FROM_PYTORCH.onnx[cell];
  const nodes: MessageWriter[] = [];
  const initializers: MessageWriter[] = [tensorProto('axes_1', [1], [1], INT64)];
  nodes.push(node('Transpose', ['x'], ['x_time_major'], [intAttribute('perm', [1, 0, 2])]));
  let input = 'x_time_major';
  let lastState = '';
  for (let l = 0; l < layers; l++) {
    const inSize = l === 0 ? I : H;
    const t = (name: string) => tensors[`${name}_l${l}`]!.data;
    const W = reorderBlocks(t('weight_ih'), H, inSize, order);
    const R = reorderBlocks(t('weight_hh'), H, H, order);
    const B = new Float64Array(2 * G * H);
    B.set(reorderBlocks(t('bias_ih'), H, 1, order), 0);
    B.set(reorderBlocks(t('bias_hh'), H, 1, order), G * H);
    initializers.push(
      tensorProto(`W_l${l}`, [1, G * H, inSize], W),
      tensorProto(`R_l${l}`, [1, G * H, H], R),
      tensorProto(`B_l${l}`, [1, 2 * G * H], B),
    );
    const attributes = [intAttribute('hidden_size', H)];
    if (cell === 'gru') attributes.push(intAttribute('linear_before_reset', 1));
    nodes.push(
      node(
        OPERATOR[cell],
        [input, `W_l${l}`, `R_l${l}`, `B_l${l}`],
        [`Y_l${l}`, `Y_h_l${l}`],
        attributes,
      ),
      node('Squeeze', [`Y_l${l}`, 'axes_1'], [`h_l${l}`]),
    );
    input = `h_l${l}`;
    lastState = `Y_h_l${l}`;
  }
  initializers.push(
    tensorProto('readout_weight_T', [H, O], transpose(tensors['readout.weight']!.data, O, H)),
    tensorProto('readout_bias', [O], tensors['readout.bias']!.data),
  );
  if (readout === 'every') {
    nodes.push(node('Transpose', [input], ['h_batch_major'], [intAttribute('perm', [1, 0, 2])]));
    nodes.push(node('MatMul', ['h_batch_major', 'readout_weight_T'], ['logits']));
  } else {
    initializers.push(tensorProto('axes_0', [1], [0], INT64));
    nodes.push(node('Squeeze', [lastState, 'axes_0'], ['h_last']));
    nodes.push(node('MatMul', ['h_last', 'readout_weight_T'], ['logits']));
  }
  nodes.push(node('Add', ['logits', 'readout_bias'], ['y']));

  // GraphProto: node = 1, name = 2, initializer = 5, doc_string = 10, input = 11, output = 12.
  const graph = new MessageWriter();
  for (const n of nodes) graph.message(1, n);
  graph.string(2, `unroll_${cell}`);
  for (const i of initializers) graph.message(5, i);
  graph.string(
    10,
    `${layers}-layer ${cell.toUpperCase()} (hidden ${H}) and a linear readout of ${readout === 'every' ? 'every step' : 'the last step'}`,
  );
  graph.message(11, valueInfo('x', ['batch', 'time', I]));
  graph.message(12, valueInfo('y', readout === 'every' ? ['batch', 'time', O] : ['batch', O]));
  // ModelProto: ir_version = 1, producer_name = 2, producer_version = 3, graph = 7,
  // opset_import = 8 (OperatorSetIdProto: domain = 1, version = 2; '' is the standard domain).
  return new MessageWriter()
    .int(1, IR_VERSION)
    .string(2, 'unroll')
    .string(3, producerVersion)
    .message(7, graph)
    .message(8, new MessageWriter().string(1, '').int(2, OPSET))
    .finish();
}
