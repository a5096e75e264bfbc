// A worker thread of `unroll train --threads N`. Worker threads do not inherit the main
// thread's module loader, so this one sets up its own (see load.js) before loading the worker.
import { importEntry } from './load.js';

await importEntry('train-worker');
