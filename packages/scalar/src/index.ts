/**
 * @unroll/scalar — automatic differentiation one number at a time. Read in this order:
 *   value.ts   Value and its operations: each forward, its backward closure, its derivative
 *   topo.ts    the topological order backward() walks, built without recursion
 *   graph.ts   the expression graph as Graphviz DOT or Mermaid text, with data and grad
 *   random.ts  a small seeded generator for weights and data
 *   nn.ts      Neuron, Layer, MLP: networks built from Values alone
 *   data.ts    XOR and two moons, two problems a straight line cannot solve
 *   train.ts   hinge loss, gradient descent, the training loop
 */

export { type MoonsOptions, type Sample, twoMoons, xor } from './data.ts';
export { type GraphOptions, toDot, toMermaid } from './graph.ts';
export {
  type Activation,
  Layer,
  type LayerOptions,
  MLP,
  type MLPOptions,
  Module,
  Neuron,
  type NeuronOptions,
} from './nn.ts';
export { Random } from './random.ts';
export { type GraphNode, topologicalOrder } from './topo.ts';
export {
  accuracy,
  type Evaluation,
  evaluate,
  type FitOptions,
  fit,
  hingeLoss,
  l2Penalty,
  sgdStep,
} from './train.ts';
export { sum, toValue, Value, type ValueLike } from './value.ts';
