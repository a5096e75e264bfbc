/**
 * The update rules of torch.optim's documentation, written a second time on plain
 * number arrays, the way the algorithm boxes write them: whole-vector steps, the
 * bias-corrected m̂ and v̂ computed explicitly, ε added to √v̂, AdamW's decay as its
 * own line. Nothing is shared with src/ (not even the order of the arithmetic), so
 * the tests compare two independent readings of the same equations.
 *
 * One reading that is PyTorch's code rather than a box: maximize negates the
 * gradient before weight decay is added, in SGD as in the others (SGD's box writes
 * θ + γg at the end instead; the trajectories from torch.optim confirm the code).
 */

export type Vec = number[];

const scale = (a: Vec, k: number): Vec => a.map((x) => k * x);
const add = (a: Vec, b: Vec): Vec => a.map((x, i) => x + b[i]!);
const mul = (a: Vec, b: Vec): Vec => a.map((x, i) => x * b[i]!);
const div = (a: Vec, b: Vec): Vec => a.map((x, i) => x / b[i]!);
const sqrt = (a: Vec): Vec => a.map(Math.sqrt);
const plus = (a: Vec, k: number): Vec => a.map((x) => x + k);

/** g ← ±∇f(θ), then g ← g + λθ. */
function directionWithDecay(theta: Vec, grad: Vec, maximize: boolean, lambda: number): Vec {
  const g = maximize ? scale(grad, -1) : [...grad];
  return lambda !== 0 ? add(g, scale(theta, lambda)) : g;
}

export interface SGDHyper {
  lr: number;
  momentum: number;
  dampening: number;
  weightDecay: number;
  nesterov: boolean;
  maximize: boolean;
}

export interface AdagradHyper {
  lr: number;
  lrDecay: number;
  weightDecay: number;
  initialAccumulatorValue: number;
  eps: number;
  maximize: boolean;
}

export interface RMSpropHyper {
  lr: number;
  alpha: number;
  eps: number;
  weightDecay: number;
  momentum: number;
  centered: boolean;
  maximize: boolean;
}

export interface AdamHyper {
  lr: number;
  betas: [number, number];
  eps: number;
  weightDecay: number;
  amsgrad: boolean;
  maximize: boolean;
}

/** A reference optimizer for one parameter: a fresh state, and a step returning the new θ. */
export interface Reference<H> {
  step(theta: Vec, grad: Vec, hyper: H): Vec;
}

export function sgdReference(): Reference<SGDHyper> {
  let b: Vec | null = null;
  return {
    step(theta, grad, o) {
      let g = directionWithDecay(theta, grad, o.maximize, o.weightDecay);
      if (o.momentum !== 0) {
        b = b === null ? g : add(scale(b, o.momentum), scale(g, 1 - o.dampening));
        g = o.nesterov ? add(g, scale(b, o.momentum)) : b;
      }
      return add(theta, scale(g, -o.lr));
    },
  };
}

export function adagradReference(
  size: number,
  initialAccumulatorValue: number,
): Reference<AdagradHyper> {
  let t = 0;
  let sum: Vec = new Array(size).fill(initialAccumulatorValue);
  return {
    step(theta, grad, o) {
      t += 1;
      const g = directionWithDecay(theta, grad, o.maximize, o.weightDecay);
      const lrT = o.lr / (1 + (t - 1) * o.lrDecay);
      sum = add(sum, mul(g, g));
      return add(theta, scale(div(g, plus(sqrt(sum), o.eps)), -lrT));
    },
  };
}

export function rmspropReference(size: number): Reference<RMSpropHyper> {
  let v: Vec = new Array(size).fill(0);
  let gAve: Vec = new Array(size).fill(0);
  let b: Vec = new Array(size).fill(0);
  return {
    step(theta, grad, o) {
      const g = directionWithDecay(theta, grad, o.maximize, o.weightDecay);
      v = add(scale(v, o.alpha), scale(mul(g, g), 1 - o.alpha));
      let vTilde = v;
      if (o.centered) {
        gAve = add(scale(gAve, o.alpha), scale(g, 1 - o.alpha));
        vTilde = add(vTilde, scale(mul(gAve, gAve), -1));
      }
      const normalised = div(g, plus(sqrt(vTilde), o.eps));
      if (o.momentum > 0) {
        b = add(scale(b, o.momentum), normalised);
        return add(theta, scale(b, -o.lr));
      }
      return add(theta, scale(normalised, -o.lr));
    },
  };
}

/** Adam's box; `decoupled` adds AdamW's line θ ← θ − γλθ in place of the L2 term. */
export function adamReference(size: number, decoupled: boolean): Reference<AdamHyper> {
  let t = 0;
  let m: Vec = new Array(size).fill(0);
  let v: Vec = new Array(size).fill(0);
  let vMax: Vec = new Array(size).fill(0);
  return {
    step(theta0, grad, o) {
      t += 1;
      const [beta1, beta2] = o.betas;
      let theta = theta0;
      let g: Vec;
      if (decoupled) {
        theta = add(theta, scale(theta, -o.lr * o.weightDecay));
        g = directionWithDecay(theta, grad, o.maximize, 0);
      } else {
        g = directionWithDecay(theta, grad, o.maximize, o.weightDecay);
      }
      m = add(scale(m, beta1), scale(g, 1 - beta1));
      v = add(scale(v, beta2), scale(mul(g, g), 1 - beta2));
      const mHat = scale(m, 1 / (1 - beta1 ** t));
      let vForStep = v;
      if (o.amsgrad) {
        vMax = vMax.map((x, i) => Math.max(x, v[i]!));
        vForStep = vMax;
      }
      const vHat = scale(vForStep, 1 / (1 - beta2 ** t));
      return add(theta, scale(div(mHat, plus(sqrt(vHat), o.eps)), -o.lr));
    },
  };
}
