import { describe, expect, it } from 'vitest';
import { type CommandSpec, formatHelp, parseFlags, UsageError } from '../src/args.ts';

const command = {
  name: 'train',
  summary: 'Train a model.',
  usage: 'unroll train [--cell rnn|lstm|gru] [--lr N]',
  flags: {
    cell: {
      kind: 'choice',
      choices: ['rnn', 'lstm', 'gru'],
      help: 'recurrent cell',
      default: 'lstm',
    },
    lr: { kind: 'number', above: 0, help: 'learning rate' },
    hidden: { kind: 'int', min: 1, max: 4096, help: 'hidden size' },
    tbptt: { kind: 'intPair', min: 1, placeholder: 'K1,K2 (two integers ≥ 1)', help: 'truncation' },
    anomaly: { kind: 'boolean', help: 'check every op' },
  },
  examples: ['unroll train --cell gru'],
} as const satisfies CommandSpec;

function errorOf(argv: string[]): string {
  try {
    parseFlags(argv, command);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error('expected a UsageError');
}

describe('parseFlags', () => {
  it('reads --flag value, --flag=value and bare switches, with types', () => {
    expect(
      parseFlags(
        ['--cell', 'gru', '--lr=0.01', '--hidden', '64', '--tbptt', '20,40', '--anomaly'],
        command,
      ),
    ).toEqual({
      cell: 'gru',
      lr: 0.01,
      hidden: 64,
      tbptt: [20, 40],
      anomaly: true,
    });
  });

  it('names the flag and the allowed values when a value is out of range', () => {
    expect(errorOf(['--lr', '-1'])).toBe("invalid value '-1' for --lr: expected a number > 0");
    expect(errorOf(['--hidden', '0'])).toBe(
      "invalid value '0' for --hidden: expected an integer in [1, 4096]",
    );
    expect(errorOf(['--hidden', '2.5'])).toBe(
      "invalid value '2.5' for --hidden: expected an integer in [1, 4096]",
    );
    expect(errorOf(['--cell', 'transformer'])).toBe(
      "invalid value 'transformer' for --cell: expected one of rnn, lstm, gru",
    );
    expect(errorOf(['--tbptt', '20'])).toBe(
      "invalid value '20' for --tbptt: expected K1,K2 (two integers ≥ 1)",
    );
  });

  it('refuses unknown flags, missing values, repeated flags and stray words', () => {
    expect(errorOf(['--colour', 'red'])).toBe(
      "unknown flag '--colour' for 'train' (known flags: --cell, --lr, --hidden, --tbptt, --anomaly)",
    );
    expect(errorOf(['--lr'])).toBe("flag '--lr' needs a value: expected a number > 0");
    expect(errorOf(['--lr', '--anomaly'])).toBe("flag '--lr' needs a value: expected a number > 0");
    expect(errorOf(['--lr', '1', '--lr', '2'])).toBe("flag '--lr' given twice");
    expect(errorOf(['fast'])).toBe("unexpected argument 'fast'");
    expect(errorOf(['--anomaly=yes'])).toBe("flag '--anomaly' takes no value");
  });

  it('carries the usage line for the error printout', () => {
    expect(() => parseFlags(['--nope'], command)).toThrow(
      expect.objectContaining({ name: 'UsageError', usage: command.usage }),
    );
  });
});

describe('formatHelp', () => {
  it('lists usage, every flag with its default, and the examples', () => {
    const help = formatHelp(command);
    expect(help.split('\n')[0]).toBe('usage: unroll train [--cell rnn|lstm|gru] [--lr N]');
    expect(help).toMatch(/--cell rnn\|lstm\|gru\s+recurrent cell \(default lstm\)/);
    expect(help).toMatch(/--tbptt K1,K2 \(two integers ≥ 1\)\s+truncation/);
    expect(help).toContain('  unroll train --cell gru');
  });
});
