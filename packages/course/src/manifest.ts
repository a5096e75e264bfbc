/**
 * Exercise manifests: one Markdown file per exercise, `exercises/<id>.md`, whose front
 * matter says what the exercise is and whose body is what the student reads.
 *
 *   ---
 *   id: lstm-step-backward
 *   title: LSTM step backward
 *   chapter: 6
 *   points: 10
 *   files:
 *     - packages/bptt/src/steps/lstm-step.ts
 *   checks:
 *     - dx: 2
 *     - dcPrev: 2
 *   ---
 *   (the text: the equations to implement, the shapes, the hint)
 *
 * The front matter is a small, strict subset of YAML: `key: value` lines and lists of
 * `- item` under a key; a value holding ': ' is written in double quotes (JSON's
 * escapes), so that YAML readers (the book's website) read it the same way. Anything
 * else is refused with the line that broke it.
 */

export interface ExerciseManifest {
  id: string;
  title: string;
  chapter: number;
  /** The sum of the checks' points. */
  points: number;
  /** Repository-relative files that hold the exercise's marked regions. */
  files: string[];
  /** Files deleted from the student copy because they give the answer away. */
  remove: string[];
  /** Each grader check by name, with its points, in the order they are graded. */
  checks: { name: string; points: number }[];
  /** Shown under a failing check. */
  hint: string;
  /** The Markdown body: what the student reads. */
  text: string;
}

export class ManifestError extends Error {
  override name = 'ManifestError';
}

const ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** Parses one manifest; `source` names it in errors. */
export function parseManifest(markdown: string, source: string): ExerciseManifest {
  const lines = markdown.split('\n');
  if (lines[0]?.trim() !== '---')
    throw new ManifestError(`${source}: must start with a '---' line`);
  const end = lines.indexOf('---', 1);
  if (end < 0) throw new ManifestError(`${source}: the front matter has no closing '---' line`);
  const fields = new Map<string, string | string[]>();
  let list: string[] | null = null;
  for (let n = 1; n < end; n++) {
    const line = lines[n]!;
    if (line.trim() === '') continue;
    const item = /^\s+-\s+(.+)$/.exec(line);
    if (item !== null) {
      if (list === null) throw new ManifestError(`${source}:${n + 1}: a list item outside a list`);
      list.push(item[1]!.trim());
      continue;
    }
    const pair = /^([a-z]+):\s*(.*)$/.exec(line);
    if (pair === null)
      throw new ManifestError(`${source}:${n + 1}: expected 'key: value', got '${line}'`);
    const [, key, value] = pair as unknown as [string, string, string];
    if (fields.has(key)) throw new ManifestError(`${source}:${n + 1}: '${key}' given twice`);
    if (value === '') fields.set(key, (list = []));
    else {
      fields.set(key, unquote(value.trim(), `${source}:${n + 1}`));
      list = null;
    }
  }
  const text = (key: string): string => {
    const value = fields.get(key);
    if (typeof value !== 'string')
      throw new ManifestError(`${source}: '${key}' must be a single value`);
    return value;
  };
  const items = (key: string, required: boolean): string[] => {
    const value = fields.get(key);
    if (value === undefined && !required) return [];
    if (!Array.isArray(value) || (required && value.length === 0)) {
      throw new ManifestError(`${source}: '${key}' must be a list of '- item' lines`);
    }
    return value;
  };
  const id = text('id');
  if (!ID.test(id))
    throw new ManifestError(`${source}: id '${id}' must be kebab-case (a-z, 0-9, -)`);
  const chapter = Number(text('chapter'));
  if (!Number.isInteger(chapter) || chapter < 0 || chapter > 99) {
    throw new ManifestError(
      `${source}: chapter must be an integer in [0, 99], got '${text('chapter')}'`,
    );
  }
  const checks = items('checks', true).map((entry) => {
    const match = /^(.+):\s*(\d+(\.\d+)?)$/.exec(entry);
    if (match === null)
      throw new ManifestError(`${source}: check '${entry}' must read 'name: points'`);
    return { name: match[1]!.trim(), points: Number(match[2]) };
  });
  const points = Number(text('points'));
  const sum = checks.reduce((total, c) => total + c.points, 0);
  if (Math.abs(points - sum) > 1e-9) {
    throw new ManifestError(`${source}: points is ${points} but the checks add up to ${sum}`);
  }
  return {
    id,
    title: text('title'),
    chapter,
    points,
    files: items('files', true),
    remove: items('remove', false),
    checks,
    hint: fields.has('hint') ? text('hint') : '',
    text: lines
      .slice(end + 1)
      .join('\n')
      .trim(),
  };
}

/** A double-quoted value (JSON's escapes, which YAML's double quotes accept) or a plain one. */
function unquote(value: string, where: string): string {
  if (!value.startsWith('"')) return value;
  try {
    return JSON.parse(value) as string;
  } catch {
    throw new ManifestError(`${where}: a quoted value must end with its quote, got ${value}`);
  }
}
