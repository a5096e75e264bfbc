/** oneHot: class ids laid out in a shape → one-hot vectors along a new last axis. */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { oneHot } from '../src/index.ts';

describe('oneHot', () => {
  it('puts a single 1 at each id, in row-major order, with shape [...shape, classes]', () => {
    const cases = fc
      .record({
        classes: fc.integer({ min: 1, max: 6 }),
        B: fc.integer({ min: 1, max: 4 }),
        T: fc.integer({ min: 1, max: 5 }),
      })
      .chain(({ classes, B, T }) =>
        fc.record({
          classes: fc.constant(classes),
          shape: fc.constant([B, T]),
          ids: fc.array(fc.integer({ min: 0, max: classes - 1 }), {
            minLength: B * T,
            maxLength: B * T,
          }),
        }),
      );
    fc.assert(
      fc.property(cases, ({ classes, shape, ids }) => {
        const x = oneHot(ids, shape, classes);
        expect(x.shape).toEqual([...shape, classes]);
        ids.forEach((id, i) => {
          const row = Array.from(x.data.subarray(i * classes, (i + 1) * classes));
          expect(row).toEqual(Array.from({ length: classes }, (_, c) => (c === id ? 1 : 0)));
        });
      }),
      { numRuns: 50 },
    );
  });

  it('matches a worked example', () => {
    expect(oneHot([2, 0, 1], [3], 3).toArray()).toEqual([
      [0, 0, 1],
      [1, 0, 0],
      [0, 1, 0],
    ]);
  });

  it('refuses ids that do not fill the shape, and ids that are not classes', () => {
    expect(() => oneHot([0, 1, 2], [2, 2], 3)).toThrow('oneHot: 3 ids do not fill shape [2, 2]');
    expect(() => oneHot([0, 3], [2], 3)).toThrow(
      'oneHot: id 3 at position 1 is not a class in [0, 2]',
    );
    expect(() => oneHot([0.5], [1], 3)).toThrow(
      'oneHot: id 0.5 at position 0 is not a class in [0, 2]',
    );
    expect(() => oneHot([-1], [1], 3)).toThrow(
      'oneHot: id -1 at position 0 is not a class in [0, 2]',
    );
  });
});
