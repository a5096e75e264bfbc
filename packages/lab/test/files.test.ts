import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../src/files.ts';

describe('writeFileAtomic', () => {
  it('replaces the file whole and leaves no temporary file behind', () => {
    const folder = mkdtempSync(join(tmpdir(), 'unroll-files-'));
    const path = join(folder, 'state.json');
    writeFileAtomic(path, '{"step":1}');
    writeFileAtomic(path, new TextEncoder().encode('{"step":2}'));
    expect(readFileSync(path, 'utf8')).toBe('{"step":2}');
    expect(readdirSync(folder)).toEqual(['state.json']);
  });

  it('leaves the old file intact when the write fails', () => {
    const folder = mkdtempSync(join(tmpdir(), 'unroll-files-'));
    const path = join(folder, 'state.json');
    writeFileAtomic(path, 'old');
    expect(() => writeFileAtomic(join(folder, 'missing', 'x.json'), 'new')).toThrow(/ENOENT/);
    expect(readFileSync(path, 'utf8')).toBe('old');
    expect(readdirSync(folder)).toEqual(['state.json']);
  });
});
