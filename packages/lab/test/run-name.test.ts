/**
 * run-name.ts: a run name becomes a folder name inside --out, so it must be one path
 * segment from a safe alphabet.
 */

import { describe, expect, it } from 'vitest';
import { runNameProblem } from '../src/run-name.ts';

describe('run names', () => {
  it.each(['lstm-adding-T10', 'a', 'A.b_c-1', 'x'.repeat(100)])('accepts %s', (name) => {
    expect(runNameProblem(name)).toBeNull();
  });

  it.each([
    '../escaped',
    'a/b',
    'a\\b',
    '.hidden',
    '-flag',
    '',
    'with space',
    'x'.repeat(101),
    'é',
  ])('refuses %j, naming the value and the rule', (name) => {
    expect(runNameProblem(name)).toBe(
      `invalid value '${name}' for --name: expected one folder name of letters, digits, '.', '_' and '-' (starting with a letter or digit, at most 100 characters)`,
    );
  });
});
