import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeFolders, writeFileAtomic } from '../src/files.ts';

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

describe('makeFolders', () => {
  it('makes every missing level, and is content when the folder exists', () => {
    const root = mkdtempSync(join(tmpdir(), 'unroll-files-'));
    const deep = join(root, 'a', 'b', 'c');
    makeFolders(deep);
    expect(statSync(deep).isDirectory()).toBe(true);
    expect(() => makeFolders(deep)).not.toThrow();
    expect(readdirSync(root)).toEqual(['a']);
  });

  it('refuses a path that runs through a file, with the system error', () => {
    const root = mkdtempSync(join(tmpdir(), 'unroll-files-'));
    writeFileSync(join(root, 'file'), 'x');
    expect(() => makeFolders(join(root, 'file', 'runs'))).toThrow(/ENOTDIR/);
    expect(() => makeFolders(join(root, 'file'))).toThrow(/ENOTDIR/);
  });
});
