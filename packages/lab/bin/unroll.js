#!/usr/bin/env node
// The `unroll` command: load main (compiled or source, see load.js) and run it.
import { importEntry } from './load.js';

const { main } = await importEntry('main');
process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
});
