/**
 * Module: a named bag of parameters, and of child modules that have their own.
 *
 * A parameter is an ordinary Tensor with `requiresGrad`, registered under a name.
 * Names compose with dots, as in PyTorch: a child registered as `encoder` with a
 * parameter `weight_ih_l0` contributes `encoder.weight_ih_l0`. Those names are the
 * keys of the state dict, and so of every weights file — which is why the layers
 * use PyTorch's own names, and why a state dict moves between the two libraries.
 *
 * `loadStateDict` writes into each parameter's existing `.data` array (the tensors
 * that an optimizer or a graph already holds stay the same objects). It checks the
 * whole dict before it writes anything: a refused load changes nothing.
 */

import type { Tensor } from '@unroll/tensor';

/** Anything with a shape and row-major data: a Tensor, or an entry read from a file. */
export interface StateEntry {
  readonly shape: readonly number[];
  readonly data: ArrayLike<number>;
}

export interface LoadStateDictOptions {
  /** Refuse keys the module lacks and keys the dict lacks (default true). */
  strict?: boolean;
}

/** What a non-strict load skipped. */
export interface LoadStateDictResult {
  /** Parameters of the module that the dict does not have (left as they were). */
  missing: string[];
  /** Keys of the dict that name no parameter (ignored). */
  unexpected: string[];
}

export class Module {
  /** Dropout and other train-only behaviour is on while this is true. */
  training = true;

  readonly #parameters = new Map<string, Tensor>();
  readonly #children = new Map<string, Module>();

  /** Registers `tensor` as a parameter called `name` (it must require grad); returns it. */
  protected registerParameter(name: string, tensor: Tensor): Tensor {
    checkName(this, name, this.#parameters.has(name) || this.#children.has(name));
    if (!tensor.requiresGrad) {
      throw new Error(
        `${this.constructor.name}: parameter '${name}' must be created with { requiresGrad: true }`,
      );
    }
    this.#parameters.set(name, tensor);
    return tensor;
  }

  /** Registers a child module, whose parameters are then named `name.<theirs>`; returns it. */
  protected registerModule<M extends Module>(name: string, module: M): M {
    checkName(this, name, this.#parameters.has(name) || this.#children.has(name));
    this.#children.set(name, module);
    return module;
  }

  /** Every parameter with its dotted name: own parameters first, then each child's, in order. */
  namedParameters(): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    for (const [name, tensor] of this.#parameters) out.push([name, tensor]);
    for (const [prefix, child] of this.#children) {
      for (const [name, tensor] of child.namedParameters()) out.push([`${prefix}.${name}`, tensor]);
    }
    return out;
  }

  parameters(): Tensor[] {
    return this.namedParameters().map(([, tensor]) => tensor);
  }

  /** The parameter called `name` (dotted for a child's: 'encoder.weight_hh_l0'). */
  getParameter(name: string): Tensor {
    const found = this.namedParameters().find(([n]) => n === name);
    if (found === undefined) {
      const names = this.namedParameters().map(([n]) => n);
      throw new RangeError(
        `${this.constructor.name}.getParameter: no parameter '${name}' (have: ${names.join(', ')})`,
      );
    }
    return found[1];
  }

  /** The child modules with their names (direct children only). */
  namedChildren(): [string, Module][] {
    return [...this.#children];
  }

  /** Training mode (dropout active) for this module and all below it. */
  train(mode = true): this {
    this.training = mode;
    for (const child of this.#children.values()) child.train(mode);
    return this;
  }

  /** Evaluation mode: dropout off. */
  eval(): this {
    return this.train(false);
  }

  /** Forgets every parameter's accumulated gradient. */
  zeroGrad(): void {
    for (const tensor of this.parameters()) tensor.zeroGrad();
  }

  /**
   * Name → parameter. The values are the parameters themselves detached from any graph
   * (they share `.data`): save them, copy them, but writing into them writes the model.
   */
  stateDict(): Record<string, Tensor> {
    const dict: Record<string, Tensor> = {};
    for (const [name, tensor] of this.namedParameters()) dict[name] = tensor.detach();
    return dict;
  }

  /**
   * Copies each entry of `dict` into the parameter of the same name, in place. Refuses
   * (throwing, having changed nothing) when a shape differs, or, when strict, when a
   * parameter is missing from the dict or the dict has a key the module does not.
   */
  loadStateDict(
    dict: Readonly<Record<string, StateEntry>>,
    { strict = true }: LoadStateDictOptions = {},
  ): LoadStateDictResult {
    const own = new Map(this.namedParameters());
    const missing = [...own.keys()].filter((name) => !Object.hasOwn(dict, name));
    const unexpected = Object.keys(dict).filter((name) => !own.has(name));
    const mismatched: string[] = [];
    for (const [name, tensor] of own) {
      const entry = dict[name];
      if (entry === undefined) continue;
      const sameShape =
        entry.shape.length === tensor.rank && entry.shape.every((d, i) => d === tensor.shape[i]);
      if (!sameShape || entry.data.length !== tensor.size) {
        mismatched.push(
          `'${name}': the dict has [${entry.shape.join(', ')}] (${entry.data.length} values), the module [${tensor.shape.join(', ')}]`,
        );
      }
    }
    const problems: string[] = [];
    if (mismatched.length > 0) problems.push(`shape mismatches: ${mismatched.join('; ')}`);
    if (strict && missing.length > 0) problems.push(`missing keys: ${list(missing)}`);
    if (strict && unexpected.length > 0) problems.push(`unexpected keys: ${list(unexpected)}`);
    if (problems.length > 0) {
      throw new Error(
        `loadStateDict (${this.constructor.name}): refused, nothing was changed — ${problems.join('. ')}`,
      );
    }
    for (const [name, tensor] of own) {
      const entry = dict[name];
      if (entry !== undefined) tensor.data.set(entry.data);
    }
    return { missing, unexpected };
  }
}

const list = (names: string[]) => names.map((n) => `'${n}'`).join(', ');

function checkName(module: Module, name: string, taken: boolean): void {
  if (name === '' || name.includes('.')) {
    throw new Error(
      `${module.constructor.name}: '${name}' is not a valid name (non-empty, no dots)`,
    );
  }
  if (taken) throw new Error(`${module.constructor.name}: the name '${name}' is already taken`);
}
