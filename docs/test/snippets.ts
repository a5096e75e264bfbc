/**
 * Pulls the runnable snippets out of a chapter or README. A ```ts block is run; when
 * the next block is a ```text block, it is the output the snippet must print, line
 * for line. A fragment that cannot run on its own is fenced ```typescript instead:
 * shown with the same highlighting, never run.
 */

export interface Snippet {
  /** 1-based line of the opening fence, for messages. */
  line: number;
  code: string;
  /** The expected console output, or null when the chapter shows none. */
  expectedOutput: string | null;
}

const fence = /^```(\w*)\s*$/;

export function extractSnippets(markdown: string): Snippet[] {
  const lines = markdown.split('\n');
  const blocks: { lang: string; line: number; body: string }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = fence.exec(lines[i]!);
    if (!open) continue;
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && lines[j]!.trimEnd() !== '```') body.push(lines[j++]!);
    if (j === lines.length) throw new Error(`unclosed code fence opened at line ${i + 1}`);
    blocks.push({ lang: open[1] ?? '', line: i + 1, body: body.join('\n') });
    i = j;
  }
  const snippets: Snippet[] = [];
  blocks.forEach((block, k) => {
    if (block.lang !== 'ts') return;
    const next = blocks[k + 1];
    snippets.push({
      line: block.line,
      code: block.body,
      expectedOutput: next?.lang === 'text' ? next.body : null,
    });
  });
  return snippets;
}

/** Trailing spaces and trailing blank lines do not count. */
export function normalizeOutput(text: string): string {
  return text
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n')
    .trimEnd();
}
