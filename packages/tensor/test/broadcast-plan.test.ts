/**
 * The walk `planBroadcast` lays out, as broadcast.ts documents it: dims of size 1 are
 * dropped and neighbouring dims laid out alike in every operand are merged, so a
 * same-shape op is one run over everything and a bias add [B,H] + [H] is B runs of H.
 * Each operand's run r starts at offsets[p][r] and steps by steps[p] (0 when it is
 * broadcast along the run). Offsets worked out by hand from row-major strides.
 */
import { describe, expect, it } from 'vitest';
import { type BroadcastPlan, planBroadcast } from '../src/broadcast.ts';

const plain = (plan: BroadcastPlan) => ({
  rows: plan.rows,
  inner: plan.inner,
  steps: plan.steps,
  offsets: plan.offsets.map((o) => Array.from(o)),
});

describe('planBroadcast', () => {
  it('walks same-shaped operands as one run, whatever their rank', () => {
    expect(
      plain(
        planBroadcast(
          [2, 3, 4],
          [
            [2, 3, 4],
            [2, 3, 4],
          ],
        ),
      ),
    ).toEqual({
      rows: 1,
      inner: 24,
      steps: [1, 1],
      offsets: [[0], [0]],
    });
  });

  it('walks a bias add [B,H] + [H] as B runs of H, the bias restarting at 0', () => {
    expect(plain(planBroadcast([3, 4], [[3, 4], [4]]))).toEqual({
      rows: 3,
      inner: 4,
      steps: [1, 1],
      offsets: [
        [0, 4, 8],
        [0, 0, 0],
      ],
    });
  });

  it('drops dims of size 1 before merging: [2,1,3] with [3] is still 2 runs of 3', () => {
    expect(plain(planBroadcast([2, 1, 3], [[2, 1, 3], [3]]))).toEqual({
      rows: 2,
      inner: 3,
      steps: [1, 1],
      offsets: [
        [0, 3],
        [0, 0],
      ],
    });
  });

  it('merges the leading dims a column [B,1] is read along: [2,3,4] with [2,3,1]', () => {
    // The column's stride is 1 along dim 1 and 3 along dim 0 = 1·3: one merged dim of 6.
    expect(
      plain(
        planBroadcast(
          [2, 3, 4],
          [
            [2, 3, 4],
            [2, 3, 1],
          ],
        ),
      ),
    ).toEqual({
      rows: 6,
      inner: 4,
      steps: [1, 0],
      offsets: [
        [0, 4, 8, 12, 16, 20],
        [0, 1, 2, 3, 4, 5],
      ],
    });
  });

  it('walks an outer product [4,1]·[3] with the column stepping 0 along each run', () => {
    expect(plain(planBroadcast([4, 3], [[4, 1], [3]]))).toEqual({
      rows: 4,
      inner: 3,
      steps: [0, 1],
      offsets: [
        [0, 1, 2, 3],
        [0, 0, 0, 0],
      ],
    });
  });

  it('walks a shape of all ones as one run of one entry', () => {
    expect(plain(planBroadcast([1, 1], [[1], [1, 1]]))).toEqual({
      rows: 1,
      inner: 1,
      steps: [0, 0],
      offsets: [[0], [0]],
    });
  });
});
