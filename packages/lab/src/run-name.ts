/**
 * Run names become folder names (<date-time>-<name>), so a name is one path segment
 * from a small safe alphabet: letters, digits, '.', '_' and '-', starting with a letter
 * or digit, at most 100 characters. '../x' or 'a/b' would put the folder somewhere
 * other than --out (or fail halfway); a leading '-' or '.' makes awkward file names.
 */

export const RUN_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** The problem with `name` as a run name, as one line, or null when it is fine. */
export function runNameProblem(name: string): string | null {
  if (RUN_NAME_PATTERN.test(name)) return null;
  return `invalid value '${name}' for --name: expected one folder name of letters, digits, '.', '_' and '-' (starting with a letter or digit, at most 100 characters)`;
}
