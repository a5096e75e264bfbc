/**
 * A neural network out of Values: a Neuron computes φ(w·x + b), a Layer is a row
 * of neurons reading the same inputs, an MLP is a stack of layers. Nothing here
 * needs a derivative of its own: every gradient comes from the operations in
 * value.ts, by the chain rule.
 */

import { Random } from './random.ts';
import { Value, type ValueLike } from './value.ts';

/** The nonlinearity φ a neuron applies to w·x + b. */
export type Activation = 'tanh' | 'relu' | 'sigmoid' | 'linear';

const activations: Record<Activation, (z: Value) => Value> = {
  tanh: (z) => z.tanh(),
  relu: (z) => z.relu(),
  sigmoid: (z) => z.sigmoid(),
  linear: (z) => z,
};

/** Anything with trainable parameters. */
export abstract class Module {
  /** Every trainable Value, in a fixed order. */
  abstract parameters(): Value[];

  /** Sets every parameter's gradient to 0, before the next backward(). */
  zeroGrad(): void {
    for (const p of this.parameters()) p.grad = 0;
  }
}

export interface NeuronOptions {
  activation?: Activation;
  /** Where the initial weights come from. */
  random: Random;
  /** Prefix of the parameters' labels, e.g. 'l0.n3' gives 'l0.n3.w0' … and 'l0.n3.b'. */
  name?: string;
}

export class Neuron extends Module {
  readonly weights: Value[];
  readonly bias: Value;
  readonly activation: Activation;

  constructor(inputs: number, { activation = 'tanh', random, name = 'n' }: NeuronOptions) {
    super();
    checkSize(inputs, 'Neuron: the number of inputs');
    if (!Object.hasOwn(activations, activation)) {
      throw new RangeError(
        `Neuron: unknown activation '${activation}' (expected one of ${Object.keys(activations).join(', ')})`,
      );
    }
    // PyTorch's default for a linear layer: U(−1/√inputs, 1/√inputs), so that w·x
    // starts at a scale independent of how many inputs are summed.
    const bound = 1 / Math.sqrt(inputs);
    this.weights = Array.from(
      { length: inputs },
      (_, i) => new Value(random.uniform(-bound, bound), `${name}.w${i}`),
    );
    this.bias = new Value(random.uniform(-bound, bound), `${name}.b`);
    this.activation = activation;
  }

  /** φ(w·x + b). */
  forward(x: readonly ValueLike[]): Value {
    if (x.length !== this.weights.length) {
      throw new RangeError(
        `Neuron.forward: expected ${this.weights.length} inputs, got ${x.length}`,
      );
    }
    let z = this.bias;
    for (let i = 0; i < x.length; i++) z = z.add(this.weights[i]!.mul(x[i]!));
    return activations[this.activation](z);
  }

  parameters(): Value[] {
    return [...this.weights, this.bias];
  }
}

export interface LayerOptions {
  activation?: Activation;
  random: Random;
  name?: string;
}

export class Layer extends Module {
  readonly neurons: Neuron[];

  constructor(inputs: number, outputs: number, { activation, random, name = 'l' }: LayerOptions) {
    super();
    checkSize(outputs, 'Layer: the number of outputs');
    this.neurons = Array.from(
      { length: outputs },
      (_, j) => new Neuron(inputs, { activation, random, name: `${name}.n${j}` }),
    );
  }

  forward(x: readonly ValueLike[]): Value[] {
    return this.neurons.map((neuron) => neuron.forward(x));
  }

  parameters(): Value[] {
    return this.neurons.flatMap((neuron) => neuron.parameters());
  }
}

export interface MLPOptions {
  /** Seed of the initial weights (default 0). */
  seed?: number;
  /** Nonlinearity of the hidden layers (default relu); the last layer is linear. */
  activation?: Activation;
}

/** A multilayer perceptron: `new MLP(2, [16, 16, 1])` maps 2 inputs to 1 output. */
export class MLP extends Module {
  readonly layers: Layer[];

  constructor(
    inputs: number,
    sizes: readonly number[],
    { seed = 0, activation = 'relu' }: MLPOptions = {},
  ) {
    super();
    checkSize(inputs, 'MLP: the number of inputs');
    if (sizes.length === 0) throw new RangeError('MLP: needs at least one layer size, got []');
    sizes.forEach((size) => {
      checkSize(size, `MLP: every layer size (got [${sizes.join(', ')}])`);
    });
    const random = new Random(seed);
    const widths = [inputs, ...sizes];
    this.layers = sizes.map(
      (size, k) =>
        new Layer(widths[k]!, size, {
          activation: k === sizes.length - 1 ? 'linear' : activation,
          random,
          name: `l${k}`,
        }),
    );
  }

  forward(x: readonly ValueLike[]): Value[] {
    let h: readonly ValueLike[] = x;
    for (const layer of this.layers) h = layer.forward(h);
    return h as Value[];
  }

  parameters(): Value[] {
    return this.layers.flatMap((layer) => layer.parameters());
  }
}

function checkSize(n: number, what: string): void {
  if (!Number.isInteger(n) || n < 1) {
    throw new RangeError(`${what} must be a positive integer, got ${n}`);
  }
}
