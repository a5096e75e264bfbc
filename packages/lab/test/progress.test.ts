import { describe, expect, it } from 'vitest';
import { formatDuration, formatNumber, ProgressBoard } from '../src/progress.ts';

function fakeStream(isTTY: boolean) {
  const chunks: string[] = [];
  return { chunks, stream: { isTTY, columns: 100, write: (t: string) => chunks.push(t) } };
}

describe('ProgressBoard', () => {
  it('prints one plain line per tenth of progress when not on a terminal', () => {
    const { chunks, stream } = fakeStream(false);
    let clock = 0;
    const board = new ProgressBoard(stream, { now: () => clock });
    const bar = board.add('lstm T=50', 100);
    for (let step = 1; step <= 100; step++) {
      clock += 10;
      bar.update(step, { loss: 1 / step });
    }
    expect(chunks).toHaveLength(10);
    expect(chunks[0]).toBe('lstm T=50  10/100  loss 0.100  100.0 steps/s  ETA 0:01\n');
    expect(chunks.join('')).not.toContain('\x1b[');
  });

  it('redraws bars in place on a terminal, at most ten times a second', () => {
    const { chunks, stream } = fakeStream(true);
    let clock = 0;
    const board = new ProgressBoard(stream, { now: () => clock });
    const a = board.add('rnn', 10);
    board.add('gru', 10);
    chunks.length = 0;
    a.update(1);
    a.update(2); // same instant: throttled
    expect(chunks).toHaveLength(0);
    clock = 200;
    a.update(3, { loss: 0.5, gradNorm: 2 });
    expect(chunks.join('')).toContain('\x1b[2A'); // moves up over the two bars
    expect(chunks.join('')).toMatch(/rnn █+░+ 3\/10 {2}loss 0\.500 {2}‖g‖ 2\.00/);
  });

  it('shows no rate before a step has gone by since its first update', () => {
    const { chunks, stream } = fakeStream(false);
    let clock = 0;
    const board = new ProgressBoard(stream, { now: () => clock });
    const bar = board.add('gru', 5);
    bar.update(1, { loss: 2 });
    clock += 50;
    bar.update(2, { loss: 1 });
    expect(chunks).toEqual([
      'gru  1/5  loss 2.00\n',
      'gru  2/5  loss 1.00  20.0 steps/s  ETA 0:00\n',
    ]);
  });

  it('prints log messages above the bars', () => {
    const { chunks, stream } = fakeStream(false);
    const board = new ProgressBoard(stream, { now: () => 0 });
    board.log('checkpoint saved');
    expect(chunks).toEqual(['checkpoint saved\n']);
  });
});

describe('formatting', () => {
  it('keeps numbers compact and durations readable', () => {
    expect(formatNumber(0.012345)).toBe('0.0123');
    expect(formatNumber(1.5e-6)).toBe('1.50e-6');
    expect(formatNumber(Number.NaN)).toBe('NaN');
    expect(formatDuration(75)).toBe('1:15');
    expect(formatDuration(3725)).toBe('1:02:05');
  });
});
