import { arbitraries } from '@unroll/gradcheck';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sum, Value } from '../src/index.ts';
import { assertGradientsMatch, backwardGradient, type Expression } from './helpers.ts';

const { float64Array, value } = arbitraries;

// Each op on a domain where it is smooth: relu away from its kink, log and
// fractional powers on positive numbers, division away from 0.
const unaryOps: [string, Expression, arbitraries.ValueOptions][] = [
  ['neg', ([a]) => a!.neg(), { min: -3, max: 3 }],
  ['exp', ([a]) => a!.exp(), { min: -3, max: 3 }],
  ['log', ([a]) => a!.log(), { min: 0.05, max: 5 }],
  ['tanh', ([a]) => a!.tanh(), { min: -3, max: 3 }],
  ['sigmoid', ([a]) => a!.sigmoid(), { min: -6, max: 6 }],
  ['relu', ([a]) => a!.relu(), { min: -3, max: 3, avoid: [0], margin: 0.01 }],
];

const binaryOps: [string, (a: Value, b: Value | number) => Value, arbitraries.ValueOptions][] = [
  ['add', (a, b) => a.add(b), { min: -3, max: 3 }],
  ['sub', (a, b) => a.sub(b), { min: -3, max: 3 }],
  ['mul', (a, b) => a.mul(b), { min: -3, max: 3 }],
  ['div', (a, b) => a.div(b), { min: -3, max: 3, avoid: [0], margin: 0.2 }],
];

describe('every operation agrees with central differences', () => {
  it.each(unaryOps)('%s', (name, expression, domain) => {
    fc.assert(
      fc.property(float64Array(1, domain), (x) => {
        assertGradientsMatch(expression, x, `d(${name}(a))/da`);
      }),
    );
  });

  it.each(binaryOps)('%s of two Values', (name, op, domain) => {
    // The domain bounds the second operand (the divisor); the first ranges freely.
    fc.assert(
      fc.property(value({ min: -3, max: 3 }), value(domain), (a, b) => {
        assertGradientsMatch(([x, y]) => op(x!, y!), Float64Array.of(a, b), `d(${name})/d(a, b)`);
      }),
    );
  });

  it.each(binaryOps)('%s with a plain number as the second operand', (name, op, domain) => {
    fc.assert(
      fc.property(value({ min: -3, max: 3 }), value(domain), (a, c) => {
        assertGradientsMatch(([x]) => op(x!, c), Float64Array.of(a), `d(${name}(a, ${c}))/da`);
      }),
    );
  });

  it('pow with an integer exponent, on negative bases too', () => {
    fc.assert(
      fc.property(
        value({ min: -3, max: 3, avoid: [0], margin: 0.1 }),
        fc.integer({ min: -3, max: 4 }),
        (a, n) => {
          assertGradientsMatch(([x]) => x!.pow(n), Float64Array.of(a), `d(a^${n})/da`);
        },
      ),
    );
  });

  it('pow with a real exponent, on positive bases', () => {
    fc.assert(
      fc.property(value({ min: 0.1, max: 3 }), value({ min: -2.5, max: 2.5 }), (a, n) => {
        assertGradientsMatch(([x]) => x!.pow(n), Float64Array.of(a), `d(a^${n})/da`);
      }),
    );
  });
});

describe('hand-derived gradients', () => {
  it('f = a·b + c gives ∂f/∂a = b, ∂f/∂b = a, ∂f/∂c = 1', () => {
    const [a, b, c] = [new Value(2), new Value(-3), new Value(10)];
    const f = a.mul(b).add(c);
    f.backward();
    expect([f.data, a.grad, b.grad, c.grad]).toEqual([4, -3, 2, 1]);
  });

  it('a tanh neuron: o = tanh(x₁w₁ + x₂w₂ + b) with n = atanh(1/√2) gives ∂o/∂n = 1/2', () => {
    // o = 1/√2, so ∂o/∂n = 1 − o² = 1/2, and ∂o/∂x₁ = w₁/2, ∂o/∂w₁ = x₁/2, and so on.
    const [x1, x2, w1, w2] = [new Value(2), new Value(0), new Value(-3), new Value(1)];
    const b = new Value(Math.atanh(Math.SQRT1_2) + 6);
    const o = x1.mul(w1).add(x2.mul(w2)).add(b).tanh();
    o.backward();
    expect(o.data).toBeAllclose(Math.SQRT1_2);
    expect([x1.grad, w1.grad, x2.grad, w2.grad, b.grad]).toBeAllclose([-1.5, 1, 0.5, 0, 0.5]);
  });

  it('relu passes no gradient at its kink (0), as PyTorch does', () => {
    const a = new Value(0);
    a.relu().backward();
    expect(a.grad).toBe(0);
  });

  it('pow with exponent 0 has gradient 0 even at a = 0 (not 0·∞ = NaN)', () => {
    const a = new Value(0);
    a.pow(0).backward();
    expect(a.grad).toBe(0);
  });

  it('sigmoid neither overflows nor loses its gradient far from 0', () => {
    for (const x of [-1000, -40, 40, 1000]) {
      const a = new Value(x);
      const s = a.sigmoid();
      s.backward();
      expect(s.data).toBeAllclose(x < 0 ? 0 : 1);
      expect(Number.isFinite(a.grad) && a.grad >= 0 && a.grad < 1e-17).toBe(true);
    }
  });
});

describe('edge values', () => {
  it('sigmoid(a) ≈ eᵃ far below 0, where e^(−a) alone would overflow', () => {
    // σ(a) = eᵃ/(1 + eᵃ) = eᵃ(1 − eᵃ + …); e^710 overflows a float64, e^(−710) does not.
    for (const x of [-710, -740]) expect(new Value(x).sigmoid().data).toBeAllclose(Math.exp(x));
    expect(new Value(-710).sigmoid().data).toBeGreaterThan(0);
  });

  it('0 to a positive fractional power is 0 (only negative bases need an integer power)', () => {
    expect(new Value(0).pow(0.5).data).toBe(0);
    expect(new Value(0).pow(2.5).data).toBe(0);
  });
});

describe('each operation records its symbol, which graph exports show, and leaves its result unnamed', () => {
  const a = new Value(0.5);
  const cases: [string, Value][] = [
    ['+', a.add(1)],
    ['-', a.sub(1)],
    ['*', a.mul(2)],
    ['/', a.div(2)],
    ['neg', a.neg()],
    ['^3', a.pow(3)],
    ['exp', a.exp()],
    ['log', a.log()],
    ['tanh', a.tanh()],
    ['sigmoid', a.sigmoid()],
    ['relu', a.relu()],
  ];
  it.each(cases)('%s', (symbol, out) => {
    expect(out.op).toBe(symbol);
    expect(out.label).toBe('');
  });

  it('toString names the label, data and grad', () => {
    const b = new Value(2, 'b');
    b.mul(b).backward();
    expect(String(b)).toBe('Value(b: data=2, grad=4)');
    expect(String(new Value(-1.5))).toBe('Value(data=-1.5, grad=0)');
  });
});

describe('fan-out: a Value used more than once collects a gradient from every use', () => {
  it('d(x·x)/dx = 2x', () => {
    fc.assert(
      fc.property(value({ min: -3, max: 3 }), (x) => {
        const [g] = backwardGradient(([a]) => a!.mul(a!), Float64Array.of(x));
        expect(g).toBeAllclose(2 * x);
      }),
    );
  });

  it('d(a + a)/da = 2', () => {
    const a = new Value(1.5);
    a.add(a).backward();
    expect(a.grad).toBe(2);
  });

  it('b = a + a; c = b + b gives dc/da = 4 (an interior node used twice)', () => {
    const a = new Value(-0.7);
    const b = a.add(a);
    const c = b.add(b);
    c.backward();
    expect([a.grad, b.grad, c.grad]).toEqual([4, 2, 1]);
  });

  it('shared leaves across several paths agree with central differences', () => {
    // f = tanh(a·b + a) · (b − a)³ / (1 + exp(a)): a enters four times, b twice.
    const f: Expression = ([a, b]) =>
      a!.mul(b!).add(a!).tanh().mul(b!.sub(a!).pow(3)).div(a!.exp().add(1));
    fc.assert(
      fc.property(float64Array(2, { min: -2, max: 2 }), (x) => {
        assertGradientsMatch(f, x, 'd(tanh(ab + a)(b − a)³/(1 + eᵃ))/d(a, b)');
      }),
    );
  });
});

describe('backward() called again', () => {
  it('adds the same gradient to the leaves again, as PyTorch does', () => {
    const a = new Value(3);
    const b = a.mul(a).named('b');
    const c = b.add(b).tanh();
    c.backward();
    const once = a.grad;
    c.backward();
    expect(a.grad).toBeAllclose(2 * once);
    // The interior node holds this pass's gradient only, not a sum over passes.
    expect(b.grad).toBeAllclose(2 * (1 - c.data ** 2));
  });

  it('over two outputs that share a leaf sums their gradients', () => {
    const x = new Value(0.3);
    const h = x.tanh();
    h.mul(2).backward();
    h.exp().backward();
    expect(x.grad).toBeAllclose((2 + Math.exp(h.data)) * (1 - h.data ** 2));
  });

  it('starts over after zeroGrad(), which clears the whole graph', () => {
    const a = new Value(2);
    const out = a.pow(3).named('out');
    out.backward();
    out.zeroGrad();
    expect([a.grad, out.grad]).toEqual([0, 0]);
    out.backward();
    expect(a.grad).toBe(12);
  });

  it('on a leaf adds 1 to its own gradient', () => {
    const a = new Value(5);
    a.backward();
    a.backward();
    expect(a.grad).toBe(2);
  });
});

// Generous timeouts: these tests assert results, not speed (bench/ measures speed),
// and must pass on a 2-core machine busy with every other package's tests.
const SLOW_TEST_TIMEOUT_MS = 30_000;

describe('a chain of 1,000,000 operations', () => {
  it(
    'runs forward and backward without overflowing the stack',
    () => {
      // y = x·r·r·…·r (N = 10⁶ factors of one shared r): dy/dx = r^N, dy/dr = N·x·r^(N−1).
      const steps = 1_000_000;
      const x = new Value(0.5);
      const r = new Value(1 + 1e-6);
      let y = x;
      for (let i = 0; i < steps; i++) y = y.mul(r);
      y.backward();
      expect(y.data).toBeAllclose(0.5 * r.data ** steps, { rtol: 1e-9 });
      expect(x.grad).toBeAllclose(r.data ** steps, { rtol: 1e-9 });
      expect(r.grad).toBeAllclose(steps * 0.5 * r.data ** (steps - 1), { rtol: 1e-9 });
    },
    SLOW_TEST_TIMEOUT_MS,
  );
});

describe('sum', () => {
  it('adds Values and numbers, and is 0 when empty', () => {
    const a = new Value(2);
    const total = sum([a, 3, a.mul(a)]);
    total.backward();
    expect([total.data, a.grad, sum([]).data]).toEqual([9, 5, 0]);
  });
});

describe('bad input is refused with a message that names the problem', () => {
  const a = new Value(2);
  const cases: [string, () => unknown, string][] = [
    [
      'data that is not a number',
      () => new Value('2' as never),
      'Value: data must be a number, got the string "2"',
    ],
    ['NaN data', () => new Value(Number.NaN), 'Value: data must be a number, got NaN'],
    [
      'an operation whose result is NaN',
      () => new Value(Number.POSITIVE_INFINITY).sub(Number.POSITIVE_INFINITY),
      "Value: the operation '-' produced NaN from inputs Infinity, Infinity",
    ],
    [
      'a string operand',
      () => a.add('1' as never),
      'add: the operand must be a number or a Value, got the string "1"',
    ],
    [
      'an array operand',
      () => a.mul([1] as never),
      'mul: the operand must be a number or a Value, got an array',
    ],
    ['null data', () => new Value(null as never), 'Value: data must be a number, got null'],
    [
      'undefined data',
      () => new Value(undefined as never),
      'Value: data must be a number, got undefined',
    ],
    [
      'an object without a prototype',
      () => new Value(Object.create(null) as never),
      'Value: data must be a number, got an object (Object)',
    ],
    [
      'a string subtrahend',
      () => a.sub('1' as never),
      'sub: the operand must be a number or a Value, got the string "1"',
    ],
    [
      'a boolean divisor',
      () => a.div(true as never),
      'div: the operand must be a number or a Value, got boolean',
    ],
    [
      'a string first term of a sum',
      () => sum(['1' as never]),
      'sum: the operand must be a number or a Value, got the string "1"',
    ],
    ['division by 0', () => a.div(0), 'div: the divisor is 0 (dividing 2 by 0)'],
    ['log of 0', () => new Value(0).log(), 'log: the input must be > 0, got 0'],
    ['log of a negative', () => new Value(-1.5).log(), 'log: the input must be > 0, got -1.5'],
    [
      'a Value exponent',
      () => a.pow(a as never),
      'pow: the exponent must be a finite number, got an object (Value)',
    ],
    [
      'an infinite exponent',
      () => a.pow(Number.POSITIVE_INFINITY),
      'pow: the exponent must be a finite number, got Infinity',
    ],
    [
      'a fractional power of a negative',
      () => new Value(-2).pow(0.5),
      'pow: a negative base (-2) needs an integer exponent, got 0.5',
    ],
    [
      'a negative power of 0',
      () => new Value(0).pow(-1),
      'pow: base 0 with a negative exponent (-1) divides by zero',
    ],
  ];
  it.each(cases)('%s', (_name, act, message) => {
    expect(act).toThrow(message);
  });
});
