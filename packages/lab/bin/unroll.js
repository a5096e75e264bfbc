#!/usr/bin/env node
// The `unroll` command. The sources are TypeScript and there is no build step, so
// register tsx's loader first (it compiles each module on import), then run main.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
});
