/**
 * Anomaly detection: find the first NaN or ∞ where it is born, not where it ends up.
 *
 * A NaN spreads: once one entry of hₜ is NaN, every later state, the loss and every
 * gradient are NaN too, and the loss curve only says that something broke. In anomaly
 * mode every op's output is checked as it is made, and every gradient a backward rule
 * produces, and the first non-finite value stops the run with an error that names the
 * op, the tensor's shape, the entry, and — inside a loop over time that labels its
 * steps with `withOpContext({ timestep, layer })`, as unroll does — where in the
 * sequence it happened.
 *
 * A NaN that arrives with the data is caught at the first op that reads it, and the
 * message gives its index in that input (for x [B, T, I] the second index is the
 * timestep). It costs a pass over every tensor, so it is opt-in: wrap the suspect training step
 * in `detectAnomalies(() => …)`.
 */

import { type OpContext, type OpObserver, setOpObserver, type Tensor } from '@unroll/tensor';

export class AnomalyError extends Error {
  constructor(
    message: string,
    readonly phase: 'forward' | 'backward',
    /** The op whose output (forward) or backward rule (backward) first held a non-finite value. */
    readonly op: string,
    /** Shape of that output, or of the input whose gradient it was. */
    readonly shape: readonly number[],
    /** Multi-index of the first non-finite entry, and its value. */
    readonly index: readonly number[],
    readonly value: number,
    /** The loop's labels when the op ran ({ timestep, layer, … }; {} outside any loop). */
    readonly context: OpContext,
  ) {
    super(message);
    this.name = 'AnomalyError';
  }
}

function firstNonFinite(data: Float64Array): number {
  for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i]!)) return i;
  return -1;
}

function unravel(flat: number, shape: readonly number[]): number[] {
  const index = new Array<number>(shape.length).fill(0);
  for (let d = shape.length - 1; d >= 0; d--) {
    index[d] = flat % shape[d]!;
    flat = Math.floor(flat / shape[d]!);
  }
  return index;
}

const shapeText = (shape: readonly number[]) => `[${shape.join(', ')}]`;

/** "at timestep 5, layer 1" — or nothing when no loop labelled the op. */
export function describeContext(context: OpContext): string {
  const parts: string[] = [];
  if (context.timestep !== undefined) parts.push(`timestep ${context.timestep}`);
  if (context.layer !== undefined) parts.push(`layer ${context.layer}`);
  for (const [key, value] of Object.entries(context)) {
    if (key !== 'timestep' && key !== 'layer') parts.push(`${key} ${value}`);
  }
  return parts.length === 0 ? '' : ` at ${parts.join(', ')}`;
}

/**
 * Runs `fn` (synchronously) with every op output and every gradient checked for NaN and
 * ±∞; throws an AnomalyError at the first one. Restores the previous observer after.
 */
export function detectAnomalies<T>(fn: () => T): T {
  // The context of each op's output, so a bad gradient in backward can say where its op ran.
  const contexts = new WeakMap<Tensor, OpContext>();
  const observer: OpObserver = {
    forward(op, output, inputs, context) {
      if (Object.keys(context).length > 0) contexts.set(output, context);
      const at = firstNonFinite(output.data);
      if (at < 0) return;
      const value = output.data[at]!;
      const index = unravel(at, output.shape);
      // Every op is checked, so a non-finite input can only be a leaf: data that came in.
      // (For data x [B, T, I], its index names the timestep.)
      const bad = inputs.findIndex((x) => firstNonFinite(x.data) >= 0);
      let origin = 'its inputs were all finite';
      if (bad >= 0) {
        const input = inputs[bad]!;
        const where = unravel(firstNonFinite(input.data), input.shape);
        origin = `its input ${bad} (shape ${shapeText(input.shape)}${input.isLeaf ? ', a leaf' : ''}) already held ${input.data[firstNonFinite(input.data)]} at ${shapeText(where)}`;
      }
      throw new AnomalyError(
        `anomaly in the forward pass: '${op}' produced ${value} at ${shapeText(index)} of its output of shape ${shapeText(output.shape)}${describeContext(context)}; ${origin}`,
        'forward',
        op,
        output.shape,
        index,
        value,
        context,
      );
    },
    backward(op, output, inputIndex, input, gradient) {
      const at = firstNonFinite(gradient);
      if (at < 0) return;
      const context = contexts.get(output) ?? {};
      const value = gradient[at]!;
      const index = unravel(at, input.shape);
      throw new AnomalyError(
        `anomaly in the backward pass: the backward of '${op}' produced ${value} at ${shapeText(index)} of the gradient for its input ${inputIndex} (shape ${shapeText(input.shape)})${describeContext(context)}`,
        'backward',
        op,
        input.shape,
        index,
        value,
        context,
      );
    },
  };
  const previous = setOpObserver(observer);
  try {
    return fn();
  } finally {
    setOpObserver(previous);
  }
}
