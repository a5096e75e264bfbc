/**
 * What every optimizer shares: parameter groups, the loop over parameters that have
 * a gradient, zeroGrad, and state dicts.
 *
 * An optimizer holds its parameters in groups. Each group carries its own copy of
 * every option (lr, weightDecay...), so one model can train its embedding with one
 * learning rate and its recurrent weights with another; schedules change `group.lr`.
 * For every parameter it has stepped, it keeps a small state (step count, moving
 * averages) in Float64Arrays the size of the parameter.
 *
 * A subclass says three things: which option values are allowed, how to make a
 * parameter's fresh state, and how one step updates θ from its gradient g, the
 * state and the group's options. That update is a plain loop over Float64Arrays.
 */

import { formatShape, ShapeError, type Tensor } from '@unroll/tensor';
import {
  checkKnownOptions,
  checkNumber,
  checkOptionsObject,
  checkParameter,
  describeValue,
  NON_NEGATIVE,
} from './validate.ts';

/** Per-parameter state: counters, and buffers the size of the parameter (null until needed). */
export type ParamState = Record<string, number | Float64Array | null>;

/** Every optimizer has a learning rate. */
export interface BaseOptions {
  lr: number;
}

/** A parameter group: its tensors and its own full set of options. */
export type ParamGroup<O extends BaseOptions> = O & {
  params: Tensor[];
  /** The lr before any schedule touched it, recorded by the first schedule attached. */
  initialLr?: number;
};

/** How a group is given to a constructor: its tensors and any options that differ. */
export type ParamGroupSpec<O extends BaseOptions> = Partial<O> & { params: readonly Tensor[] };

/** A serialisable snapshot: parameters are named by their position across all groups. */
export interface OptimizerStateDict<O extends BaseOptions = BaseOptions> {
  state: Record<number, ParamState>;
  paramGroups: (O & { params: number[]; initialLr?: number })[];
}

/** What `loadStateDict` accepts: buffers may be plain arrays (for instance read from JSON). */
export interface OptimizerStateDictInput {
  state: Record<number, Record<string, number | ArrayLike<number> | null>>;
  paramGroups: readonly { readonly params: readonly number[] }[];
}

/** The part of an optimizer that a learning-rate schedule needs. */
export interface HasParamGroups {
  readonly paramGroups: { lr: number; initialLr?: number }[];
}

export abstract class Optimizer<O extends BaseOptions, S extends ParamState>
  implements HasParamGroups
{
  /** The options a group gets when it does not set its own. */
  readonly defaults: Readonly<O>;
  readonly paramGroups: ParamGroup<O>[] = [];
  /** Each parameter's state, created at its first step. */
  protected readonly state = new Map<Tensor, S>();
  /** How each group's tensors are named in messages. */
  private readonly groupLabels: string[] = [];

  /**
   * @param name      the class name, used in every error message
   * @param defaults  PyTorch's defaults for every option
   * @param params    tensors, or groups `{ params, ...optionsThatDiffer }`
   * @param options   options for every group (over the defaults)
   */
  protected constructor(
    protected readonly name: string,
    defaults: O,
    params: readonly Tensor[] | readonly ParamGroupSpec<O>[],
    options: Partial<O>,
  ) {
    checkOptionsObject(name, options);
    checkKnownOptions(name, options, Object.keys(defaults));
    const merged = { ...defaults, ...options } as O;
    this.checkOptions(merged, name);
    this.defaults = merged;
    if (!Array.isArray(params)) {
      throw new TypeError(
        `${name}: params must be an array of Tensors or of parameter groups { params, ...options }, got ${describeValue(params)}`,
      );
    }
    if (params.length === 0) {
      throw new RangeError(`${name}: params must hold at least one tensor, got an empty list`);
    }
    const isGroupList = params.every(
      (p) => typeof p === 'object' && p !== null && 'params' in p && !('data' in p),
    );
    if (isGroupList) {
      for (const group of params as readonly ParamGroupSpec<O>[]) this.addParamGroup(group);
    } else {
      this.addGroup({ params: params as readonly Tensor[] } as ParamGroupSpec<O>, 'params');
    }
    if (this.paramGroups.every((g) => g.params.length === 0)) {
      throw new RangeError(`${name}: params must hold at least one tensor, got only empty groups`);
    }
  }

  /**
   * Throws a RangeError/TypeError naming the option, its value and its allowed range.
   * `owner` is the class name, or e.g. "Adam param group 1".
   */
  protected abstract checkOptions(options: O, owner: string): void;

  /** A parameter's state before its first step. */
  protected abstract initState(param: Tensor, group: ParamGroup<O>): S;

  /**
   * One step for one parameter: θ and the state are updated in place. Nothing is
   * allocated here after a parameter's first step (its buffers are made once).
   */
  protected abstract update(
    theta: Float64Array,
    grad: Float64Array,
    state: S,
    group: ParamGroup<O>,
  ): void;

  /** Adds a group of tensors, with options that differ from the defaults. */
  addParamGroup(spec: ParamGroupSpec<O>): void {
    this.addGroup(spec, `param group ${this.paramGroups.length} params`);
  }

  /** `label` names the group's tensors in messages: "params" or "param group 1 params". */
  private addGroup(spec: ParamGroupSpec<O>, label: string): void {
    const index = this.paramGroups.length;
    const owner = `${this.name} param group ${index}`;
    checkOptionsObject(owner, spec);
    if (!Array.isArray(spec.params)) {
      throw new TypeError(
        `${owner}: params must be an array of Tensors, got ${describeValue(spec.params)}`,
      );
    }
    const { params, ...options } = spec;
    checkKnownOptions(owner, options, [...Object.keys(this.defaults), 'initialLr']);
    const group = { ...this.defaults, ...options, params: [] as Tensor[] } as ParamGroup<O>;
    this.checkOptions(group, owner);
    if (group.initialLr !== undefined)
      checkNumber(owner, 'initialLr', group.initialLr, NON_NEGATIVE);
    const seen = new Map<Tensor, string>();
    this.paramGroups.forEach((g, gi) => {
      g.params.forEach((p, pi) => {
        seen.set(p, `${this.groupLabels[gi]}[${pi}]`);
      });
    });
    params.forEach((p, pi) => {
      const where = `${label}[${pi}]`;
      const param = checkParameter(this.name, where, p);
      const earlier = seen.get(param);
      if (earlier !== undefined) {
        throw new RangeError(
          `${this.name}: ${where} is the same tensor as ${earlier}; a parameter may appear only once`,
        );
      }
      seen.set(param, where);
      group.params.push(param);
    });
    this.paramGroups.push(group);
    this.groupLabels.push(label);
  }

  /**
   * Updates every parameter that has a gradient; parameters whose `.grad` is null
   * are skipped (they get no state, and their moving averages do not decay).
   */
  step(): void {
    // Check everything first, so that a bad option or grad leaves every parameter as it was.
    this.paramGroups.forEach((group, gi) => {
      // Options may have been changed by hand or by a schedule since the last step.
      const owner = this.paramGroups.length > 1 ? `${this.name} param group ${gi}` : this.name;
      this.checkOptions(group, owner);
      for (const param of group.params) {
        if (param.grad !== null && param.grad.size !== param.size) {
          throw new ShapeError(
            `${this.name}.step: a parameter of shape ${formatShape(param.shape)} has a grad of shape ${formatShape(param.grad.shape)}`,
          );
        }
      }
    });
    for (const group of this.paramGroups) {
      for (const param of group.params) {
        if (param.grad === null) continue;
        let state = this.state.get(param);
        if (state === undefined) {
          state = this.initState(param, group);
          this.state.set(param, state);
        }
        this.update(param.data, param.grad.data, state, group);
      }
    }
  }

  /**
   * Forgets every parameter's gradient. Like PyTorch's default (set_to_none), the
   * grad becomes null, so a parameter that gets no gradient next time is skipped
   * rather than stepped with zeros; pass false to fill the grads with zeros instead.
   */
  zeroGrad(setToNone = true): void {
    for (const group of this.paramGroups) {
      for (const param of group.params) {
        if (setToNone) param.grad = null;
        else param.grad?.data.fill(0);
      }
    }
  }

  /** A deep copy of the options and of every parameter's state. */
  stateDict(): OptimizerStateDict<O> {
    const state: Record<number, ParamState> = {};
    const paramGroups: OptimizerStateDict<O>['paramGroups'] = [];
    let index = 0;
    for (const group of this.paramGroups) {
      const ids: number[] = [];
      for (const param of group.params) {
        const s = this.state.get(param);
        if (s !== undefined) state[index] = copyState(s);
        ids.push(index++);
      }
      const { params: _, ...options } = group;
      paramGroups.push({
        ...copyOptions(options),
        params: ids,
      } as OptimizerStateDict<O>['paramGroups'][number]);
    }
    return { state, paramGroups };
  }

  /**
   * Restores options and state from `stateDict()` of an optimizer of the same kind
   * over parameters of the same shapes, in the same groups. Everything is checked
   * before anything changes, and buffers are copied, never shared.
   */
  loadStateDict(dict: OptimizerStateDictInput): void {
    const owner = `${this.name}.loadStateDict`;
    if (typeof dict !== 'object' || dict === null || !Array.isArray(dict.paramGroups)) {
      throw new TypeError(`${owner}: expected { state, paramGroups }, got ${describeValue(dict)}`);
    }
    if (typeof dict.state !== 'object' || dict.state === null) {
      throw new TypeError(`${owner}: state must be an object, got ${describeValue(dict.state)}`);
    }
    if (dict.paramGroups.length !== this.paramGroups.length) {
      throw new RangeError(
        `${owner}: the state dict has ${dict.paramGroups.length} parameter groups, this optimizer has ${this.paramGroups.length}`,
      );
    }
    const flat: { param: Tensor; group: ParamGroup<O> }[] = [];
    const newGroups = this.paramGroups.map((group, gi) => {
      const saved = dict.paramGroups[gi]!;
      if (!Array.isArray(saved.params) || saved.params.length !== group.params.length) {
        throw new RangeError(
          `${owner}: parameter group ${gi} has ${group.params.length} parameters but the state dict's has ${describeValue(saved.params)}`,
        );
      }
      const { params: _, ...options } = saved as { params: unknown } & Record<string, unknown>;
      const groupOwner = `${owner} param group ${gi}`;
      checkKnownOptions(groupOwner, options, [...Object.keys(this.defaults), 'initialLr']);
      const restored = {
        ...this.defaults,
        ...copyOptions(options),
        params: group.params,
      } as ParamGroup<O>;
      this.checkOptions(restored, groupOwner);
      for (const param of group.params) flat.push({ param, group: restored });
      return restored;
    });
    const newState = new Map<Tensor, S>();
    for (const key of Object.keys(dict.state)) {
      const index = Number(key);
      const entry = flat[index];
      if (!Number.isInteger(index) || entry === undefined) {
        throw new RangeError(
          `${owner}: state has an entry for parameter ${key}, but there are only ${flat.length} parameters (0 to ${flat.length - 1})`,
        );
      }
      const saved = dict.state[index]!;
      const fresh = this.initState(entry.param, entry.group);
      newState.set(entry.param, restoreState(`${owner}: state[${key}]`, saved, fresh, entry.param));
    }
    newGroups.forEach((g, gi) => {
      this.paramGroups[gi] = g;
    });
    this.state.clear();
    for (const [param, s] of newState) this.state.set(param, s);
  }
}

/** Copies option values; arrays (betas) are copied so the snapshot cannot change later. */
function copyOptions<T extends Record<string, unknown>>(options: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    out[key] = Array.isArray(value) ? [...value] : value;
  }
  return out as T;
}

function copyState<S extends ParamState>(state: S): S {
  const out: ParamState = {};
  for (const [key, value] of Object.entries(state)) {
    out[key] = value instanceof Float64Array ? value.slice() : value;
  }
  return out as S;
}

/**
 * Checks a saved state entry against a fresh one: the same keys; numbers where the
 * fresh state has numbers; buffers (or null) of the parameter's size elsewhere.
 */
function restoreState<S extends ParamState>(
  owner: string,
  saved: Record<string, number | ArrayLike<number> | null>,
  fresh: S,
  param: Tensor,
): S {
  if (typeof saved !== 'object' || saved === null) {
    throw new TypeError(`${owner} must be an object, got ${describeValue(saved)}`);
  }
  const expected = Object.keys(fresh);
  for (const key of Object.keys(saved)) {
    if (!expected.includes(key)) {
      throw new RangeError(
        `${owner} has an unknown entry '${key}'; expected ${expected.join(', ')}`,
      );
    }
  }
  const out: ParamState = {};
  for (const key of expected) {
    const value = saved[key];
    if (typeof fresh[key] === 'number') {
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        throw new TypeError(`${owner}.${key} must be a finite number, got ${describeValue(value)}`);
      }
      out[key] = value;
    } else if (fresh[key] === null && (value === null || value === undefined)) {
      out[key] = null; // a buffer not yet allocated (SGD's momentum before its first step)
    } else if (typeof value === 'object' && value !== null && typeof value.length === 'number') {
      if (value.length !== param.size) {
        throw new RangeError(
          `${owner}.${key} has ${value.length} entries but the parameter has shape ${formatShape(param.shape)} (${param.size} entries)`,
        );
      }
      out[key] = Float64Array.from(value);
    } else {
      throw new TypeError(
        `${owner}.${key} must be an array of numbers, got ${describeValue(value)}`,
      );
    }
  }
  return out as S;
}
