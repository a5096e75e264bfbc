import type { Io } from './main.ts';

export async function runGradcheck(_argv: readonly string[], io: Io): Promise<number> {
  io.stderr.write('not yet\n');
  return 1;
}
