import { describe, expect, it } from 'vitest';
import { extractSnippets } from './snippets.ts';

describe('extractSnippets', () => {
  it('pairs a ts block with the text block right after it, and ignores other languages', () => {
    const md = [
      '# Title',
      '```ts',
      'console.log(1);',
      '```',
      '',
      '```text',
      '1',
      '```',
      '```bash',
      'npm test',
      '```',
      '```ts',
      'const x = 2;',
      '```',
    ].join('\n');
    expect(extractSnippets(md)).toEqual([
      { line: 2, code: 'console.log(1);', expectedOutput: '1' },
      { line: 12, code: 'const x = 2;', expectedOutput: null },
    ]);
  });

  it('refuses an unclosed fence', () => {
    expect(() => extractSnippets('```ts\nconsole.log(1);\n')).toThrow(
      'unclosed code fence opened at line 1',
    );
  });
});
